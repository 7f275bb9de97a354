"""Requests drawn from the document by schemathesis: a fixed seed and count, so every run sends the same ones.

What hypothesis and schemathesis draw also depends on the order of Python's sets, which changes
with every process's hash seed. So the draws are made once per session, for every operation
asked for, in one child process with a fixed hash seed (``python -m conformance.lanes.schema.cases``).
"""

from __future__ import annotations

import functools
import json
import os
import pickle
import subprocess
import sys
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis.errors import Unsatisfiable
from hypothesis.internal.conjecture import providers
from schemathesis import Case, GenerationMode
from sortedcontainers import SortedSet

from conformance.core.errors import HarnessError
from conformance.lanes.schema.document import reference_schema

__all__ = ["EXAMPLES", "RUN", "SEED", "THREAD", "Drawn", "Wanted", "draw_cases"]

SEED = 20261124
EXAMPLES = 8  # per operation and mode: valid ones, then invalid ones
THREAD, RUN = "00000000-0000-4000-8000-000000000001", "00000000-0000-4000-8000-000000000002"
"""The path ids every drawn request carries (only bodies and queries vary); the scenario's own replace them."""
DRAW_TIMEOUT = 300.0
Wanted = tuple[tuple[str, str, bool], ...]
"""(method, path, valid) of every operation and mode to draw for."""
_ONE_AT_A_TIME = threading.Lock()


@dataclass(frozen=True)
class Drawn:
    """One drawn request: what varies (path ids are the placeholders above)."""

    method: str
    path: str
    path_parameters: dict[str, Any] = field(default_factory=dict)
    query: dict[str, Any] = field(default_factory=dict)
    body: Any = None
    has_body: bool = False

    def validate_response(self, response: Any) -> None:
        """schemathesis' judgement of ``response`` against this operation's responses in the document."""
        reference_schema()[self.path][self.method].validate_response(response)


def draw_cases(method: str, path: str, *, valid: bool, among: Wanted) -> tuple[Drawn, ...]:
    """The requests for one operation, valid ones (``valid``) or invalid ones: the same in every run.

    The first call draws for every entry of ``among`` (one child process); later calls read what it drew.
    """
    with _ONE_AT_A_TIME:
        return _drawn_in_child(among).get((method, path, valid), ())


@functools.cache
def _drawn_in_child(among: Wanted) -> dict[tuple[str, str, bool], tuple[Drawn, ...]]:
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    try:
        done = subprocess.run([sys.executable, "-m", "conformance.lanes.schema.cases"], input=json.dumps(among).encode(),
                              capture_output=True, env=env, timeout=DRAW_TIMEOUT, check=False)  # fmt: skip
    except subprocess.TimeoutExpired:
        raise HarnessError(f"drawing the schema lane's requests took more than {DRAW_TIMEOUT:g} s") from None
    if done.returncode != 0:
        last = (done.stderr.decode(errors="replace").strip().splitlines() or ["no output"])[-1]
        raise HarnessError(f"drawing the schema lane's requests failed: {last}")
    drawn: dict[tuple[str, str, bool], tuple[Drawn, ...]] = pickle.loads(done.stdout)
    return drawn


@contextmanager
def _no_local_constants() -> Iterator[None]:
    """Hypothesis mixes string and number literals of the project's own loaded modules into what it draws,
    so the drawn requests would depend on where and how the suite is installed. Not while drawing here."""
    found = providers._get_local_constants
    empty = providers.Constants(integers=SortedSet(), floats=SortedSet(key=providers.float_to_int),
                                bytes=SortedSet(), strings=SortedSet())  # fmt: skip
    providers._get_local_constants = lambda: empty
    providers.CONSTANTS_CACHE.cache.clear()
    try:
        yield
    finally:
        providers._get_local_constants = found
        providers.CONSTANTS_CACHE.cache.clear()


def _draw(method: str, path: str, valid: bool) -> tuple[Drawn, ...]:
    operation = reference_schema()[path][method]
    mode = GenerationMode.POSITIVE if valid else GenerationMode.NEGATIVE
    cases: list[Case] = []
    ids = {"thread_id": THREAD, "run_id": RUN}
    fixed = {p.name: ids[p.name] for p in operation.path_parameters if p.name in ids}

    @seed(SEED)
    @settings(max_examples=EXAMPLES, database=None, phases=[Phase.generate], deadline=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(operation.as_strategy(generation_mode=mode, path_parameters=fixed or None))
    def collect(case: Case) -> None:
        cases.append(case)

    with warnings.catch_warnings(), _no_local_constants():  # warnings: hypothesis-jsonschema's notes on formats
        warnings.simplefilter("ignore")
        try:
            collect()
        except Unsatisfiable:  # nothing of this operation can be invalid but its path ids, which stay ours
            return ()
    return tuple(_as_drawn(method, path, c) for c in cases)


def _as_drawn(method: str, path: str, case: Case) -> Drawn:
    """What varies in ``case``, in a form that pickles (schemathesis marks an absent body ``NotSet``)."""
    has_body = type(case.body).__name__ != "NotSet"
    return Drawn(method, path, dict(case.path_parameters or {}), dict(case.query or {}),
                 case.body if has_body else None, has_body)


def _child() -> None:
    """What to draw on stdin (JSON), the draws on stdout (pickle)."""
    wanted = [(str(m), str(p), bool(v)) for m, p, v in json.load(sys.stdin)]
    sys.stdout.buffer.write(pickle.dumps({(m, p, v): _draw(m, p, v) for m, p, v in wanted}))


if __name__ == "__main__":  # through the module proper, so that the draws pickle as conformance.lanes.schema.cases.Drawn
    from conformance.lanes.schema.cases import _child as child

    child()
