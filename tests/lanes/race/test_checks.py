"""The race rules on hand-made histories: when a run counts as started, what a rollback may leave, enqueue order."""

from __future__ import annotations

from conformance.lanes.race.checks import judge_storm
from conformance.lanes.race.history import History, Record, RunSeen
from conformance.scenarios.races import RACES
from conformance.scenarios.transcripts import asked, conversation

STORMS = {storm.strategy: storm for storm in RACES if not storm.cancel_first and storm.schedule == "simultaneous"}
FIRST, DT1, DT2 = "what's the weather in sf?", "what's the weather in paris?", "what's the weather in tokyo?"


def _history(strategy: str, *, checkpointed: list[str]) -> History:
    """first held in the model, interrupted; dt2 taken by the worker and stopped before its first node; dt1 survives.

    The state holds first's question, dt2's question, then dt1's whole conversation, as the reference showed it.
    """
    stopped = "interrupted" if strategy == "interrupt" else "deleted (404)"
    runs = {
        "first": RunSeen("first", FIRST, created=200, final=stopped, listed=strategy == "interrupt"),
        "dt1": RunSeen("dt1", DT1, created=200, final="success", listed=True),
        "dt2": RunSeen("dt2", DT2, created=200, final=stopped, listed=strategy == "interrupt"),
    }
    records = [Record("first", "agent", "enter", 1.0), Record("first", "agent", "exit", 1.2),
               Record("dt1", "agent", "enter", 1.5), Record("dt1", "agent", "exit", 1.6)]  # fmt: skip
    state = [*asked(DT2), *conversation(DT1)] if strategy == "rollback" else [*asked(FIRST), *asked(DT2), *conversation(DT1)]
    return History(1, runs=runs, state=state, records=records, checkpointed=checkpointed)


def _violations(strategy: str, history: History) -> list[str]:
    check, _, _ = judge_storm(STORMS[strategy], [history])
    assert check.passed == (not history.violations)
    return history.violations


def test_an_interrupted_run_that_wrote_its_input_had_started() -> None:
    """Its checkpoint in the thread's history is the evidence: input only is its partial output."""
    assert _violations("interrupt", _history("interrupt", checkpointed=["dt1", "dt2", "first"])) == []


def test_an_input_no_run_wrote_is_a_violation_of_interrupt() -> None:
    violations = _violations("interrupt", _history("interrupt", checkpointed=["dt1", "first"]))
    assert len(violations) == 1 and violations[0].startswith("dt2 never started (")


def test_a_rolled_back_runs_input_is_a_violation_whether_or_not_it_started() -> None:
    started = _violations("rollback", _history("rollback", checkpointed=["dt1", "dt2"]))
    assert "dt2 was rolled back, but its input is in the state" in started
    never = _violations("rollback", _history("rollback", checkpointed=["dt1"]))
    assert any(v.startswith("dt2 was rolled back and never started (") for v in never)


def _enqueued(created: dict[str, str], ran: list[str]) -> History:
    """first, dt1 and dt2 enqueued, all succeeded, created at ``created``; their conversations in the order ``ran``."""
    asks = {"first": FIRST, "dt1": DT1, "dt2": DT2}
    runs = {n: RunSeen(n, asks[n], created=200, created_at=created[n], final="success", listed=True) for n in asks}
    return History(1, runs=runs, state=[line for n in ran for line in conversation(asks[n])], records=[])


def test_enqueued_runs_created_in_one_millisecond_may_run_either_way() -> None:
    """A JS server keeps milliseconds: two runs of one millisecond are not ordered by their created_at."""
    created = {"first": "2026-11-30T13:29:10.700Z", "dt1": "2026-11-30T13:29:10.707Z", "dt2": "2026-11-30T13:29:10.707Z"}
    assert _violations("enqueue", _enqueued(created, ["first", "dt2", "dt1"])) == []


def test_an_enqueued_run_that_ran_before_an_earlier_one_is_a_violation() -> None:
    created = {"first": "2026-11-30T13:29:10.700+00:00", "dt1": "2026-11-30T13:29:10.707+00:00",
               "dt2": "2026-11-30T13:29:10.708+00:00"}  # fmt: skip
    violations = _violations("enqueue", _enqueued(created, ["first", "dt2", "dt1"]))
    expected = "dt1 (created 2026-11-30T13:29:10.707+00:00) ran after dt2 (created 2026-11-30T13:29:10.708+00:00)"
    assert violations == [f"{expected}: not in creation order"]


def test_interleaved_or_missing_conversations_are_violations() -> None:
    created = {"first": "2026-11-30T13:29:10.700Z", "dt1": "2026-11-30T13:29:10.701Z", "dt2": "2026-11-30T13:29:10.702Z"}
    history = _enqueued(created, ["first", "dt1"])
    history.state = [*asked(FIRST), *conversation(DT1), *conversation(FIRST)[1:]]
    violations = _violations("enqueue", history)
    assert any(v.startswith("first's messages in the state are not its whole conversation alone") for v in violations)
    assert "dt2's conversation is not in the state" in violations


def _cancelled(*, began: bool, state: list[str]) -> History:
    """first cancelled (interrupt) as dt1 is enqueued beside it; first began its node or not; dt1 succeeded."""
    runs = {"first": RunSeen("first", FIRST, created=200, final="interrupted", listed=True),
            "second": RunSeen("second", DT1, created=200, final="success", listed=True)}  # fmt: skip
    records = [*([Record("first", "agent", "enter", 1.0), Record("first", "agent", "exit", 1.1)] if began else []),
               Record("second", "agent", "enter", 1.5), Record("second", "agent", "exit", 1.6)]  # fmt: skip
    return History(1, runs=runs, state=state, records=records, checkpointed=["first", "second"] if began else ["second"],
                   answers={"cancel first": 202})  # fmt: skip


def test_a_run_cancelled_before_it_began_leaves_nothing_one_cancelled_after_keeps_its_question() -> None:
    storm = next(s for s in RACES if s.cancel_first and s.schedule == "unheld")
    kept, alone = [*asked(FIRST), *conversation(DT1)], list(conversation(DT1))
    for began, state, violated in ((True, kept, False), (True, alone, True), (False, alone, False), (False, kept, True)):
        history = _cancelled(began=began, state=state)
        judge_storm(storm, [history])
        assert bool(history.violations) == violated, (began, history.violations)
