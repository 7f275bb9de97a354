"""The one rule that says whether a wait that ran out is evidence, and how the monitor applies it."""

from __future__ import annotations

import pytest

from conformance.core.errors import TimedOut
from conformance.core.monitor import Monitor
from conformance.core.room import Room, after_control, alone, had_room


def test_room_needs_progress_elsewhere_and_runs_within_capacity() -> None:
    assert had_room(Room(capacity=4, executing=4, progressed=True))[0]
    assert not had_room(Room(capacity=4, executing=4, progressed=False))[0]
    assert not had_room(Room(capacity=1, executing=2, progressed=True))[0]
    assert "made no progress" in had_room(Room(4, 1, progressed=False))[1]
    assert "more than the 1" in had_room(Room(1, 2, progressed=True))[1]


def test_a_control_run_decides_where_nothing_else_was_there_to_progress() -> None:
    assert alone(Room(capacity=1, executing=1, progressed=False))
    assert not alone(Room(capacity=1, executing=1, progressed=True))  # the rule itself decides
    assert not alone(Room(capacity=1, executing=2, progressed=False))  # queued: no control can tell
    assert after_control(True, 1.25) == (True, "no other run was there to progress, but a control run started when "
                                               "the wait ran out finished in 1.2 s: the target was working")  # fmt: skip
    assert not after_control(False, 30.0)[0] and "did not finish either" in after_control(False, 30.0)[1]


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
