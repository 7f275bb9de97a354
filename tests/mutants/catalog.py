"""The mutants: each changes one behaviour of a correct server, and names what that breaks.

A breaking mutant lists the requirement IDs the suite must fail on it; an equivalent mutant
lists none and must pass everything.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["MUTANTS", "Exchange", "Mutant"]

_RUNS = re.compile(r"^/threads/([^/]+)/runs(?:/(stream|wait))?$")
_RUN = re.compile(r"^/threads/([^/]+)/runs/([^/]+)$")


@dataclass
class Exchange:
    """One request through the proxy; the mutant may change any field."""

    method: str
    path: str
    query: dict[str, str]
    body: Any
    memory: dict[str, Any]
    status: int = 0
    reply: Any = None

    def creates_run(self) -> bool:
        """A POST that creates a run on a thread."""
        return self.method == "POST" and bool(_RUNS.match(self.path)) and isinstance(self.body, dict)


Hook = Callable[[Exchange], None]


def _nothing(_: Exchange) -> None:
    return None


@dataclass(frozen=True)
class Mutant:
    """One changed behaviour."""

    name: str
    breaks: tuple[str, ...]
    on_request: Hook = _nothing
    on_response: Hook = _nothing
    delay: float = 0.0
    note: str = field(default="", compare=False)


def _strategy(old: str | None, new: str | None) -> Hook:
    """Rewrite ``multitask_strategy`` ``old`` (None: omitted) to ``new`` on run creation."""

    def hook(x: Exchange) -> None:
        if x.creates_run() and x.body.get("multitask_strategy") == old:
            if new is None:
                x.body.pop("multitask_strategy", None)
            else:
                x.body["multitask_strategy"] = new

    return hook


_ALL: tuple[Mutant, ...] = (
    Mutant("rollback-as-interrupt",
           ("DT-ROLLBACK-FIRST-404", "DT-ROLLBACK-FIRST-UNLISTED", "DT-ROLLBACK-STATE-SECOND-ONLY",
            "DT-ROLLBACK-HISTORY-CLEAN", "DT-REPLACEMENT-DOUBLE-TEXT", "DT-RUN-ECHOES-STRATEGY",
            "JOIN-DELETED-NOT-SUCCESS", "JOIN-STREAM-DELETED-NOT-SUCCESS"),
           on_request=_strategy("rollback", "interrupt"), note="rollback keeps the first run, as interrupt does"),
)  # fmt: skip

MUTANTS: dict[str, Mutant] = {m.name: m for m in _ALL}
