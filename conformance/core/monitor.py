"""What a campaign's scenarios are doing right now: counts and waits in flight, fed to the breaker."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from conformance.core.breaker import Breaker
from conformance.core.errors import TimedOut
from conformance.core.results import NOT_RUN
from conformance.core.room import Room, alone, had_room

if TYPE_CHECKING:  # results hold exchanges, and exchanges are reported here
    from conformance.core.results import ScenarioResult

__all__ = ["Monitor", "Snapshot", "Wait"]


@dataclass(eq=False)
class Wait:
    """One wait on the target; ``progress``: its end shows a run moved (reached a hold, finished)."""

    scenario: str
    what: str
    progress: bool
    started: float


@dataclass(frozen=True)
class Snapshot:
    """The campaign at one moment, for a progress line."""

    total: int
    done: int
    failing: int
    errors: int
    elapsed: float
    slowest: Wait | None
    slowest_s: float
    below: int = 0
    """Failed tests (requirements in scenarios) the gate does not count; ``failing``: those it counts."""
    not_run: int = 0
    """Scenarios a stop left unrun (never counted done)."""


@dataclass
class Monitor:
    """Counts scenarios, tracks waits in flight, and calls ``on_trip`` once when the breaker trips."""

    total: int
    on_trip: Callable[[str], None] = lambda reason: None
    clock: Callable[[], float] = time.monotonic
    breaker: Breaker = field(default_factory=Breaker)
    gates: Callable[[str], bool] = lambda requirement: True
    """Whether a failure of a requirement (by ID) counts against the verdict."""
    capacity: int = 1
    """Runs the target executes at once, as probed."""
    executing: int = 0
    """Runs the session has admitted to execute at once now (the campaign keeps it)."""
    done: int = 0
    failing: int = 0
    below: int = 0
    errors: int = 0
    not_run: int = 0
    started: float = field(init=False)
    queued: int = field(init=False)
    _waits: set[Wait] = field(default_factory=set)
    _reported: bool = False

    def __post_init__(self) -> None:
        self.started = self.clock()
        self.queued = self.total

    def scenario_started(self) -> None:
        self.queued -= 1

    def scenario_finished(self, result: ScenarioResult) -> None:
        if (result.error or "").startswith(NOT_RUN):
            self.not_run += 1
            return
        self.done += 1
        requirements = set(result.planned) | {c.requirement for c in result.checks}
        failed = [r for r in requirements if result.outcome(r)[0] == "failed"]
        if result.error:
            self.errors += 1
        counted = sum(map(self.gates, failed))
        self.failing += counted
        self.below += len(failed) - counted
        if not (result.error or result.deviation or result.skipped or result.not_reached):
            self.breaker.progressed(self.clock())

    @contextmanager
    def waiting(self, scenario: str, what: str, *, progress: bool) -> Iterator[Wait]:
        """Track one wait; its outcome (done, timed out) goes to the breaker."""
        wait = Wait(scenario, what, progress, self.clock())
        self._waits.add(wait)
        try:
            yield wait
        except TimedOut as exc:
            room = Room(self.capacity, self.executing, progressed=self.breaker.last_progress >= wait.started)
            if exc.started is None:  # the innermost wait judges: it is the one that ran out
                exc.started = wait.started
                exc.room, exc.why = had_room(room)
                exc.alone = alone(room)
            self.breaker.timed_out(scenario, what, progressed=room.progressed, queued=self.queued > 0)
            self._check()
            raise
        else:
            if progress:
                self.breaker.progressed(self.clock())
        finally:
            self._waits.discard(wait)

    def replied(self, status: int | None) -> None:
        """A reply's status, or ``None`` when none came."""
        self.breaker.replied(status)
        self._check()

    def _check(self) -> None:
        if self.breaker.tripped is not None and not self._reported:
            self._reported = True
            self.on_trip(self.breaker.tripped)

    def snapshot(self) -> Snapshot:
        now = self.clock()
        slowest = min(self._waits, key=lambda w: w.started, default=None)
        return Snapshot(self.total, self.done, self.failing, self.errors, now - self.started, slowest,
                        now - slowest.started if slowest else 0.0, self.below, self.not_run)  # fmt: skip
