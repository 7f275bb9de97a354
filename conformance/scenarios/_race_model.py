"""The vocabulary of the race lane: a storm of simultaneous double-texts on a fresh thread, repeated.

A ``Storm`` optionally starts a first run and holds it in the model's node (so it is in flight
when the storm arrives), then sends ``--storm N`` double-texts with one strategy, all released
at the same instant. Each storm run holds at the model's node too, so that none can finish
before the others have arrived; once every request has its answer, all holds are released
and the suite waits until every run has settled. Every run carries the fixture's record
directive: the graph itself writes when each run entered and left each node.
"""

from __future__ import annotations

from dataclasses import dataclass

from conformance.scenarios._model import Lane, Sdk, Strategy

__all__ = ["Storm"]


@dataclass(frozen=True)
class Storm:
    """One race scenario: its storm, and the one requirement its histories are judged by."""

    id: str
    title: str
    requirement: str
    strategy: Strategy
    first_in_flight: bool = True
    cancel_first: bool = False
    """The storm is a cancel of the first run (action interrupt) and one double-text, at the same instant."""
    lane: Lane = "race"
    server_wide: bool = False

    @property
    def requirement_ids(self) -> tuple[str, ...]:
        return (self.requirement,)

    @property
    def steps(self) -> tuple[str, ...]:
        """What one repetition does, in words (for reports)."""
        first = ("start first, held in the agent node",) if self.first_in_flight else ()
        storm = ("at one instant: cancel first (interrupt) and one enqueue double-text",) if self.cancel_first else \
            (f"at one instant: --storm N double-texts with multitask_strategy={self.strategy}, each held",)  # fmt: skip
        return (*first, *storm, "release every hold", "wait until every run has settled",
                "read each run, the runs list, the state and the graph's enter/exit records")  # fmt: skip

    @property
    def sdks(self) -> set[Sdk]:
        return set()

    @property
    def holds(self) -> bool:
        """Whether it holds runs in a node and waits to see them held."""
        return True

    @property
    def executing(self) -> int:
        """Runs the target must execute at once: two, or a storm could never show two runs executing at once."""
        return 2
