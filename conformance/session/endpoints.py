"""A 5xx that an endpoint answers whatever the strategy is the endpoint's finding, not the strategy's.

Where a double-text's creation answers a 5xx, ``RUN-CREATE-NO-SERVER-ERROR`` fails with it. The
strategy's own requirements in that scenario fail with it too, unless the same creation (same
endpoint, same strategy) on an idle thread, the scenario's ``control``, answered a 5xx in the
session as well: then the endpoint fails without a double-text, and what the strategy would
have done is not reached, naming both answers. Decided once every scenario has ended, so that
the verdict does not depend on the order they ran in.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from conformance.core.results import CheckResult, ScenarioResult
from conformance.scenarios._model import NoServerError, Scenario, Start

__all__ = ["ENDPOINT_REQUIREMENT", "blame_endpoints"]

ENDPOINT_REQUIREMENT = "RUN-CREATE-NO-SERVER-ERROR"
DOUBLE_TEXT = "second"


def blame_endpoints(scenarios: Sequence[Scenario], results: Mapping[str, ScenarioResult]) -> None:
    """In each scenario whose double-text and control both answered a 5xx, turn what the strategy's checks did not
    pass into not reached with that cause (in place); what passed (a premise read before the double-text) stays."""
    for scenario in scenarios:
        result, control = results.get(scenario.id), results.get(scenario.control)
        if not scenario.control or result is None or control is None or _strategy(scenario) == "reject":
            continue
        here, there = result.answers.get(DOUBLE_TEXT, 0), control.answers.get(DOUBLE_TEXT, 0)
        if here < 500 or there < 500:
            continue
        cause = (f"the double-text's creation answered HTTP {here}, and the same creation "
                 f"on an idle thread ({scenario.control}) answered HTTP {there}: the endpoint fails without a "
                 f"double-text ({ENDPOINT_REQUIREMENT} names it), so what the strategy does is unseen")  # fmt: skip
        finding = CheckResult(ENDPOINT_REQUIREMENT, str(NoServerError(DOUBLE_TEXT)), "failed", "no 5xx", f"HTTP {here}")
        result.checks = [*(c if c.outcome == "passed" else replace(c, outcome="not_reached", actual=cause)
                           for c in result.checks if c.requirement != ENDPOINT_REQUIREMENT), finding]  # fmt: skip
        if result.deviation:  # the script stopped on the missing run: no verdict either
            result.deviation, result.not_reached = None, cause


def _strategy(scenario: Scenario) -> str | None:
    """The strategy of the scenario's double-text."""
    return next((s.strategy for s in scenario.steps if isinstance(s, Start) and s.run == DOUBLE_TEXT), None)
