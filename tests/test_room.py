"""The one rule that says whether a wait that ran out is evidence, and how the monitor applies it."""

from __future__ import annotations

import pytest

from conformance._errors import TimedOut
from conformance._monitor import Monitor
from conformance._room import Room, had_room


def test_room_needs_progress_elsewhere_and_runs_within_capacity() -> None:
    assert had_room(Room(capacity=4, executing=4, progressed=True))[0]
    assert not had_room(Room(capacity=4, executing=4, progressed=False))[0]
    assert not had_room(Room(capacity=1, executing=2, progressed=True))[0]
    assert "made no progress" in had_room(Room(4, 1, progressed=False))[1]
    assert "more than the 1" in had_room(Room(1, 2, progressed=True))[1]


def _timed_out(monitor: Monitor, clock: list[float], progress_at: float | None) -> TimedOut:
    with pytest.raises(TimedOut) as caught, monitor.waiting("s", "first to finish", progress=True):
        if progress_at is not None:
            monitor.breaker.progressed(progress_at)
        clock[0] += 30
        raise TimedOut("timed out after 30 s waiting for first to finish")
    return caught.value


def test_the_monitor_judges_the_wait_that_ran_out() -> None:
    clock = [100.0]
    monitor = Monitor(3, clock=lambda: clock[0], capacity=2, executing=2)
    judged = _timed_out(monitor, clock, progress_at=110.0)
    assert (judged.room, judged.started) == (True, 100.0)
    silent = _timed_out(monitor, clock, progress_at=None)
    assert not silent.room and "no progress" in silent.why
    monitor.executing = 3
    crowded = _timed_out(monitor, clock, progress_at=clock[0] + 1)
    assert not crowded.room and "more than the 2" in crowded.why
