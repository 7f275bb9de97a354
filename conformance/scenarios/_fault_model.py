"""The vocabulary of the fault lane: double-texts in flight on three threads, one fault, then the histories.

A ``Nemesis`` scenario starts, on each of three fresh threads, a first run busy in the model's
node (no hold: the fault must find it executing) and a double-text with one strategy
(``enqueue``, ``rollback``, ``interrupt``), all through the replica the fault takes away; then
injects the fault, sends one more enqueue double-text through that replica while it is down
(its answer may be lost: indeterminate), heals the fault, waits until every run has ended and
judges what the server shows: statuses, runs, states and the graph's own records.
"""

from __future__ import annotations

from dataclasses import dataclass

from conformance.scenarios._model import Lane, Sdk, Strategy

__all__ = ["THREADS", "Nemesis"]

THREADS: tuple[Strategy, ...] = ("enqueue", "rollback", "interrupt")
"""One thread per strategy, each with a first run in flight and one double-text."""


@dataclass(frozen=True)
class Nemesis:
    """One fault lane scenario: which fault of ``--faults``, and the invariants it is judged by."""

    id: str
    title: str
    fault: str
    requirement_ids: tuple[str, ...]
    lane: Lane = "faults"
    server_wide: bool = True
    """A fault disrupts every run of the target: it runs alone, on a dedicated target."""

    @property
    def steps(self) -> tuple[str, ...]:
        """What it does, in words (for reports)."""
        return ((f"on three threads, through the replica the fault takes away: a first run busy in the agent node, "
                 f"then one double-text each ({', '.join(THREADS)})"), f"inject {self.fault}",
                "while it lasts: one more enqueue double-text through that replica (its answer may be lost)",
                f"heal {self.fault}", "wait until every run has ended and no thread is busy",
                "read each run, the runs lists, the states and the graph's enter/exit records")  # fmt: skip

    @property
    def sdks(self) -> set[Sdk]:
        return set()

    @property
    def holds(self) -> bool:
        return False

    @property
    def executing(self) -> int:
        """Three first runs busy at once, one per thread."""
        return len(THREADS)
