"""Scenario data: consistent scripts, every requirement checked, the matrix as large as promised."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from conformance.requirements import REQUIREMENTS
from conformance.scenarios import CASES, SCENARIOS
from conformance.scenarios._model import (
    Answered,
    AnsweredError,
    AwaitHeld,
    Cancel,
    CancelByStatus,
    CancelMany,
    Check,
    CheckNow,
    Join,
    JoinStream,
    OneOf,
    Raised,
    Release,
    ReturnedMessages,
    ReturnedRun,
    Scenario,
    SdkCall,
    Start,
    StartStateless,
    UpdateState,
)  # fmt: skip


def _leaves(check: Check) -> Iterator[Check]:
    if isinstance(check, OneOf):
        for option in check.options:
            yield from _leaves(option)
    else:
        yield check


@pytest.mark.parametrize("scenario", list(SCENARIOS.values()), ids=list(SCENARIOS))
def test_script_is_consistent(scenario: Scenario) -> None:
    started: dict[str, Start] = {}
    for step in scenario.steps:
        if isinstance(step, Start | SdkCall) and (not isinstance(step, SdkCall) or step.method == "runs.create"):
            assert step.run not in started, f"{step.run} started twice"
            started[step.run] = step if isinstance(step, Start) else Start(step.run, step.ask, step.strategy)
        for name in [getattr(step, "run", None), *getattr(step, "runs", ())]:
            assert not name or name in started, f"{step} before {name} was started"
        if isinstance(step, AwaitHeld | Release):
            assert started[step.run].hold_at, f"{step} on a run started without a hold"
    for expect in scenario.expectations:
        assert expect.requirement in REQUIREMENTS, expect
        for check in _leaves(expect.check):
            for name in [getattr(check, "run", None), *getattr(check, "runs", ())]:
                assert name is None or name in started, f"{check} names a run the script never started"
            if isinstance(check, Answered | AnsweredError | Raised | ReturnedRun | ReturnedMessages):
                assert check.label in scenario.labels, f"{check} names a request the script never makes"
    assert not scenario.create_thread or not any(s.if_not_exists for s in started.values())


def test_requests_are_labelled_as_the_model_documents() -> None:
    """Scenario authors name these labels in ``Answered`` checks; the runner records replies under them."""
    steps = (Start("first", "q"), StartStateless("stateless", "q"), UpdateState("update", "q"), Join("first"),
             JoinStream("first"), Cancel("first"), CancelMany(("first",)), CancelByStatus("pending"))
    assert [s.label for s in steps] == ["first", "stateless", "update", "join:first", "join_stream:first",
                                        "cancel:first", "cancel_many", "cancel_many"]  # fmt: skip


def test_check_now_steps_count_as_expectations() -> None:
    with_now = [s for s in SCENARIOS.values() if any(isinstance(step, CheckNow) for step in s.steps)]
    assert with_now and all(len(s.expectations) > len(s.expect) for s in with_now)


def test_every_requirement_is_checked() -> None:
    assert {case.requirement.id for case in CASES} == set(REQUIREMENTS)


def test_matrix_is_as_large_as_promised() -> None:
    assert len(SCENARIOS) >= 100


def test_case_ids_are_unique() -> None:
    ids = [case.id for case in CASES]
    assert len(ids) == len(set(ids))
