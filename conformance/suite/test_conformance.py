"""One test per requirement per scenario; ids read ``scenario:REQUIREMENT-ID``.

The scenarios run once, concurrently, before the first test; each test then reads the
outcome of its requirement in its scenario.
"""

from __future__ import annotations

import pytest

from conformance.core.results import NOT_REACHED, ScenarioResult
from conformance.lanes.explain import failure_message, first_refused
from conformance.plugin import FINDING
from conformance.scenarios import CASES, Case
from conformance.session.campaign import Campaign
from conformance.session.gate import Gate
from conformance.target.probe import Target


@pytest.fixture
def scenario_result(case: Case, conformance_campaign: Campaign, conformance_target: Target) -> ScenarioResult:
    """The scenario's result; a requirement not reached (no verdict) or skipped stops the test here, in set-up."""
    result = conformance_campaign.results[case.scenario.id]
    outcome, detail = result.outcome(case.requirement.id)
    if outcome == "not_reached":
        refused = first_refused(result, conformance_target)
        shown = f"{detail}\n{refused}" if refused and refused not in detail else detail
        pytest.fail(f"{NOT_REACHED}{shown}", pytrace=False)
    if outcome == "skipped":
        pytest.skip(detail)
    return result


@pytest.mark.parametrize("case", [pytest.param(case, id=case.id) for case in CASES])
def test_conformance(
    case: Case, scenario_result: ScenarioResult, conformance_target: Target, conformance_gate: Gate,
    conformance_rerun_flags: str, request: pytest.FixtureRequest,
) -> None:  # fmt: skip
    """A failure at the gate's level fails the test; one below it (or one the baseline expects) is an expected
    failure, shown as pytest shows one (``x``), with its evidence in the reports."""
    outcome, detail = scenario_result.outcome(case.requirement.id)
    if outcome != "passed":
        message = failure_message(case.requirement, scenario_result, detail, conformance_target,
                                  conformance_rerun_flags, case.lane)  # fmt: skip
        if not conformance_gate.gates(case.requirement.id, case.requirement.level.value):
            request.node.stash[FINDING] = message
            why = "the baseline expects it" if case.requirement.id in conformance_gate.baseline else "below the gate's level"
            pytest.xfail(f"{case.requirement.title} ({why}): {next(iter(detail.splitlines()), '')[:160]}")
        pytest.fail(message, pytrace=False)
