"""Scenario data: consistent scripts, every requirement checked somewhere."""

from __future__ import annotations

import pytest

from conformance.requirements import REQUIREMENTS
from conformance.scenarios import CASES, SCENARIOS
from conformance.scenarios._model import AwaitHeld, Release, Start


@pytest.mark.parametrize("scenario", list(SCENARIOS.values()), ids=list(SCENARIOS))
def test_script_is_consistent(scenario) -> None:
    started: dict[str, Start] = {}
    for step in scenario.steps:
        if isinstance(step, Start):
            assert step.run not in started, f"{step.run} started twice"
            started[step.run] = step
        else:
            assert step.run in started, f"{step} before {step.run} was started"
        if isinstance(step, AwaitHeld | Release):
            assert started[step.run].hold_at, f"{step} on a run started without a hold"
    for expectation in scenario.expect:
        assert expectation.requirement in REQUIREMENTS
        for name in [getattr(expectation, "run", None), *getattr(expectation, "runs", ())]:
            assert name is None or name in started, f"{expectation} names a run the script never started"


def test_every_requirement_is_checked() -> None:
    assert {case.requirement.id for case in CASES} == set(REQUIREMENTS)


def test_case_ids_are_unique() -> None:
    ids = [case.id for case in CASES]
    assert len(ids) == len(set(ids))
