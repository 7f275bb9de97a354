"""Scenario data: consistent scripts, every requirement checked, the matrix as large as promised."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from conformance.lanes.schema.document import reference_document
from conformance.requirements import REQUIREMENTS
from conformance.scenarios import CASES, SCENARIOS
from conformance.scenarios._api_model import ApiScenario
from conformance.scenarios._model import (
    STARTS,
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
from conformance.scenarios._race_model import SCHEDULES, Storm
from conformance.target.capacity import MOST_AT_ONCE


def _leaves(check: Check) -> Iterator[Check]:
    if isinstance(check, OneOf):
        for option in check.options:
            yield from _leaves(option)
    else:
        yield check


SCRIPTS = {sid: s for sid, s in SCENARIOS.items() if isinstance(s, Scenario)}


@pytest.mark.parametrize("scenario", list(SCRIPTS.values()), ids=list(SCRIPTS))
def test_script_is_consistent(scenario: Scenario) -> None:
    started: dict[str, Start] = {}
    for step in scenario.script:
        if isinstance(step, Start | SdkCall) and (not isinstance(step, SdkCall) or step.method in STARTS):
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


def test_the_double_text_under_test_is_never_set_up() -> None:
    """A refused set-up step leaves a scenario not reached: what the scenario judges must be among its steps."""
    for scenario in SCRIPTS.values():
        for step in scenario.setup:
            assert not (isinstance(step, Start) and step.strategy in ("reject", "interrupt", "rollback")), scenario.id
            assert not isinstance(step, CheckNow | SdkCall), scenario.id
        if scenario.id.split(".")[0] in ("rollback", "interrupt", "enqueue", "reject", "default"):
            assert any(isinstance(s, Start) and s.run == "second" for s in scenario.steps), scenario.id


def test_requests_are_labelled_as_the_model_documents() -> None:
    """Scenario authors name these labels in ``Answered`` checks; the runner records replies under them."""
    steps = (Start("first", "q"), StartStateless("stateless", "q"), UpdateState("update", "q"), Join("first"),
             JoinStream("first"), Cancel("first"), CancelMany(("first",)), CancelByStatus("pending"))
    assert [s.label for s in steps] == ["first", "stateless", "update", "join:first", "join_stream:first",
                                        "cancel:first", "cancel_many", "cancel_many"]  # fmt: skip


def test_check_now_steps_count_as_expectations() -> None:
    with_now = [s for s in SCRIPTS.values() if any(isinstance(step, CheckNow) for step in s.script)]
    assert with_now and all(len(s.expectations) > len(s.expect) for s in with_now)


def test_every_requirement_is_checked() -> None:
    assert {case.requirement.id for case in CASES} == set(REQUIREMENTS)


def test_matrix_is_as_large_as_promised() -> None:
    assert len(SCENARIOS) >= 100


def test_case_ids_are_unique() -> None:
    ids = [case.id for case in CASES]
    assert len(ids) == len(set(ids))


def test_schema_lane_asks_the_reference_document_about_real_operations() -> None:
    document = reference_document()
    api = [s for s in SCENARIOS.values() if isinstance(s, ApiScenario)]
    assert api and all(s.lane == "schema" and s.requirement_ids for s in api)
    for scenario in api:
        assert all(r in REQUIREMENTS for r in scenario.requirement_ids)
        for operation in scenario.generated:
            assert operation.method.lower() in document["paths"][operation.path], operation
    refusals = [r.id for s in api for r in s.refusals]
    assert len(refusals) == len(set(refusals)) >= 10


def test_each_race_requirement_has_its_storm() -> None:
    storms = [s for s in SCENARIOS.values() if isinstance(s, Storm)]
    races = sorted(r for r in REQUIREMENTS if r.startswith("RACE-"))
    assert sorted((s.requirement, s.schedule) for s in storms) == [(r, k) for r in races for k in sorted(SCHEDULES)]
    assert all(s.lane == "race" and s.steps for s in storms)


def test_the_capacity_probe_holds_as_many_runs_as_any_scenario_needs() -> None:
    """Else a low --concurrency would leave the probe unable to show what a scenario needs (at least k, k small)."""
    assert max(scenario.executing for scenario in SCENARIOS.values()) <= MOST_AT_ONCE
