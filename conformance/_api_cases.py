"""Requests drawn from the document by schemathesis: a fixed seed and count, so every run sends the same ones."""

from __future__ import annotations

import functools
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis.errors import Unsatisfiable
from hypothesis.internal.conjecture import providers
from sortedcontainers import SortedSet
from schemathesis import Case, GenerationMode

from conformance._api_document import reference_schema

__all__ = ["EXAMPLES", "RUN", "SEED", "THREAD", "draw_cases"]

SEED = 20261124
EXAMPLES = 8  # per operation and mode: valid ones, then invalid ones
THREAD, RUN = "00000000-0000-4000-8000-000000000001", "00000000-0000-4000-8000-000000000002"
"""The path ids every drawn request carries (only bodies and queries vary); the scenario's own replace them."""
_ONE_AT_A_TIME = threading.Lock()  # hypothesis runs one generation per process at a time


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


@functools.cache
def _drawn(method: str, path: str, valid: bool, examples: int) -> tuple[Case, ...]:
    operation = reference_schema()[path][method]
    mode = GenerationMode.POSITIVE if valid else GenerationMode.NEGATIVE
    cases: list[Case] = []
    ids = {"thread_id": THREAD, "run_id": RUN}
    fixed = {p.name: ids[p.name] for p in operation.path_parameters if p.name in ids}

    @seed(SEED)
    @settings(max_examples=examples, database=None, phases=[Phase.generate], deadline=None,
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
    return tuple(cases)


def draw_cases(method: str, path: str, *, valid: bool, examples: int = EXAMPLES) -> tuple[Case, ...]:
    """The cases for one operation: valid ones (``valid``) or invalid ones, the same on every call."""
    with _ONE_AT_A_TIME:
        return _drawn(method, path, valid, examples)
