"""The fault invariants on hand-made fates: each check fails on a history that breaks it, and is not reached
on one that shows it nothing."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from conformance.core.errors import HarnessError
from conformance.core.faults import Fault
from conformance.lanes.faults.checks import DELETED, FaultRecord, RunFate, ThreadFate, judge
from conformance.scenarios.transcripts import conversation
from conformance.target.nemesis import run_command

FIRST, SECOND = "what's the weather in sf?", "what's the weather in nyc?"
PROVEN_ON_HISTORIES = {"FAULT-NODE-ONCE"}
"""Fault invariants whose check is proven here, on histories, and not by a live mutant (the others are:
tests/faults/targets.py). A proxy cannot make the graph complete a node twice without forging its records."""


def _visit(run: str, enter: float, leave: float, step: int = 1, completed: bool = True) -> list[FaultRecord]:
    return [FaultRecord(run, "agent", "enter", enter, step), FaultRecord(run, "agent", "exit", leave, step, completed)]


def _kept() -> list[ThreadFate]:
    enqueue = ThreadFate("enqueue", {"first": RunFate("first", FIRST, 200, "a", True, "success"),
                                     "second": RunFate("second", SECOND, 200, "b", True, "success")},
                         [*conversation(FIRST), *conversation(SECOND)], "idle",
                         _visit("first", 1.0, 3.0) + _visit("second", 3.1, 5.0))  # fmt: skip
    rollback = ThreadFate("rollback", {"first": RunFate("first", FIRST, 200, "c", False, DELETED, True),
                                       "second": RunFate("second", SECOND, 200, "d", True, "success")},
                          list(conversation(SECOND)), "idle", _visit("first", 1.0, 1.5) + _visit("second", 1.6, 3.0))  # fmt: skip
    return [enqueue, rollback]


def _outcomes(threads: list[ThreadFate]) -> dict[str, str]:
    return {c.requirement: c.outcome for c in judge(threads, 30.0)}


def test_a_kept_history_passes_every_invariant() -> None:
    assert set(_outcomes(_kept()).values()) == {"passed"}


def test_each_broken_invariant_fails_alone() -> None:
    overlapping = _kept()
    overlapping[0].records = _visit("first", 1.0, 3.0) + _visit("second", 2.0, 4.0)
    leaked = _kept()
    leaked[1].state = [*conversation(FIRST)[:1], *conversation(SECOND)]
    twice = _kept()
    twice[0].records = _visit("first", 1.0, 2.0) + _visit("first", 2.1, 2.9) + _visit("second", 3.1, 5.0)
    stuck = _kept()
    stuck[0].status = "busy"
    lost = _kept()
    lost[0].runs["second"].final = DELETED
    for threads, broken in ((overlapping, "FAULT-ONE-AT-A-TIME"), (leaked, "FAULT-ROLLBACK-CLEAN"),
                            (twice, "FAULT-NODE-ONCE"), (stuck, "FAULT-THREAD-SETTLES"), (lost, "FAULT-NO-RUN-LOST")):  # fmt: skip
        outcomes = _outcomes(threads)
        assert {r for r, o in outcomes.items() if o == "failed"} == {broken}, (broken, outcomes)


def test_a_visit_a_kill_cut_short_proves_no_overlap_and_a_retry_of_it_is_no_repeat() -> None:
    killed = _kept()
    killed[0].records = [FaultRecord("first", "agent", "enter", 1.0, 1)] + _visit("first", 2.5, 3.0) + \
        _visit("second", 3.1, 5.0)  # fmt: skip
    assert set(_outcomes(killed).values()) == {"passed"}


def test_a_thread_busy_with_a_run_still_in_flight_is_not_the_situation() -> None:
    running = _kept()
    running[0].runs["second"].final, running[0].status = "running", "busy"
    running[1].status = "HTTP 404"
    outcomes = _outcomes(running)
    assert outcomes["FAULT-THREAD-SETTLES"] == "not_reached" and outcomes["FAULT-NO-RUN-LOST"] == "failed"


def test_a_server_that_forgot_everything_proves_only_the_loss() -> None:
    """A kill that takes the in-memory runtime's threads, records and store along: 404 for all of it."""
    forgotten = _kept()
    for thread in forgotten:
        thread.state, thread.status, thread.records = None, "HTTP 404", []
        for run in thread.runs.values():
            run.final, run.listed = DELETED, False
    outcomes = _outcomes(forgotten)
    assert outcomes == {"FAULT-NO-RUN-LOST": "failed", "FAULT-ONE-AT-A-TIME": "not_reached",
                        "FAULT-ROLLBACK-CLEAN": "not_reached", "FAULT-NODE-ONCE": "not_reached",
                        "FAULT-THREAD-SETTLES": "not_reached"}  # fmt: skip


def test_nothing_shown_is_not_reached() -> None:
    blind = [ThreadFate("enqueue", {"first": RunFate("first", FIRST, None)}, None, "HTTP 404", None)]
    outcomes = _outcomes(blind)
    assert outcomes == {"FAULT-NO-RUN-LOST": "not_reached", "FAULT-ONE-AT-A-TIME": "not_reached",
                        "FAULT-ROLLBACK-CLEAN": "not_reached", "FAULT-NODE-ONCE": "not_reached",
                        "FAULT-THREAD-SETTLES": "not_reached"}  # fmt: skip



def test_a_command_that_fails_or_hangs_is_a_harness_error_naming_it(tmp_path: Path) -> None:
    """The nemesis's commands: never a verdict, and a hung one is stopped (its own process group) at its bound."""
    healed = tmp_path / "healed"
    fault = Fault("replica-kill", "echo refused >&2; exit 3", f"touch {healed}", tmp_path, timeout=5)
    with pytest.raises(HarnessError, match="the inject command exited 3: .*refused"):
        asyncio.run(run_command(fault, "inject"))
    asyncio.run(run_command(fault, "heal"))  # run in the file's directory, with sh
    assert healed.exists()
    slow = Fault("replica-kill", "sleep 30", "true", tmp_path, timeout=0.5)
    with pytest.raises(HarnessError, match="did not end within 0.5 s"):
        asyncio.run(run_command(slow, "inject"))
