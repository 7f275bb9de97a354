"""The vocabulary of the race lane: a storm of double-texts on a fresh thread, repeated, under a schedule.

A ``Storm`` optionally starts a first run and holds it in the model's node (so it is in flight
when the storm arrives), then sends ``--storm N`` double-texts with one strategy. How they
arrive is the storm's ``schedule``:

- ``simultaneous``: every request released at the same instant; each storm run holds at the
  model's node, so that none can finish before the others have arrived; once every request
  has its answer, all holds are released.
- ``staggered``: the same, but each request released at its own offset, drawn from a seeded
  random generator over the target's queue pick-up time, so that some land while a worker is
  taking the run before.
- ``unheld``: nothing is held; every run takes about a second, as a model call does: half a
  second to start (the fixture's slow-start graph, where the target serves it) and half a
  second in the model's node (the fixture's timed hold). The storm lands as soon as a worker
  has taken the first run: while it is starting.

The suite then waits until every run has settled. Every run carries the fixture's record
directive: the graph itself writes when each run entered and left each node.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from conformance.scenarios._model import Lane, Sdk, Strategy

__all__ = ["SCHEDULES", "Schedule", "Storm"]

Schedule = Literal["simultaneous", "staggered", "unheld"]
SCHEDULES: tuple[Schedule, ...] = ("simultaneous", "staggered", "unheld")


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
    schedule: Schedule = "simultaneous"
    repetitions: int = 5
    """Repetitions when ``--race-repeat`` gives none: fixed, so that every target gets the same testing."""
    at_once: int = 2
    """Runs the target must execute at once for the storm to show what it checks. One for the reject storms: a
    correct server executes one run of the storm (the others are refused), and a violation shows in the answers (a
    second run created) whatever the target's capacity. Two for the others: a correct server executes their runs
    one at a time too, but a violation may be two runs executing at once, which a target that executes one run at
    a time could never show."""
    lane: Lane = "race"
    server_wide: bool = False

    @property
    def requirement_ids(self) -> tuple[str, ...]:
        return (self.requirement,)

    @property
    def steps(self) -> tuple[str, ...]:
        """What one repetition does, in words (for reports)."""
        unheld = self.schedule == "unheld"
        how = "slow to start, then busy in the agent node (about a second)" if unheld else "held in the agent node"
        first = (f"start first, {how}",) if self.first_in_flight else ()
        when = {"simultaneous": "at one instant", "staggered": "at seeded offsets over the queue pick-up time",
                "unheld": "at one instant, once a worker has taken first" if self.first_in_flight else "at one instant"}[self.schedule]
        what = "cancel first (interrupt) and one enqueue double-text" if self.cancel_first else \
            f"--storm N double-texts with multitask_strategy={self.strategy}, each {how}"  # fmt: skip
        release = () if unheld else ("release every hold",)
        return (*first, f"{when}: {what}", *release, "wait until every run has settled",
                "read each run, the runs list, the state and the graph's enter/exit records")  # fmt: skip

    @property
    def sdks(self) -> set[Sdk]:
        return set()

    @property
    def holds(self) -> bool:
        """Whether it holds runs in a node and waits to see them held."""
        return self.schedule != "unheld"

    @property
    def executing(self) -> int:
        """Runs the target must execute at once for the storm to show what it checks (``at_once``)."""
        return self.at_once
