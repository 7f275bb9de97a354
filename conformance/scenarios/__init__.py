"""Every scenario the suite runs, and the test cases they make: one per (scenario, requirement)."""

from __future__ import annotations

from dataclasses import dataclass

from conformance._index import unique_by_id
from conformance.requirements import Requirement, requirement
from conformance.scenarios._model import Scenario
from conformance.scenarios.cancellation import CANCELLATION
from conformance.scenarios.chains import CHAINS
from conformance.scenarios.double_texting import DOUBLE_TEXTING
from conformance.scenarios.joining import JOINING
from conformance.scenarios.lifecycle import LIFECYCLE
from conformance.scenarios.seed import SEED

__all__ = ["CASES", "SCENARIOS", "Case"]


@dataclass(frozen=True)
class Case:
    """One test: a requirement as checked by one scenario."""

    scenario: Scenario
    requirement: Requirement

    @property
    def id(self) -> str:
        """The pytest id: ``scenario:REQUIREMENT-ID``."""
        return f"{self.scenario.id}:{self.requirement.id}"


SCENARIOS: dict[str, Scenario] = unique_by_id("scenario", SEED, DOUBLE_TEXTING, CHAINS, CANCELLATION, JOINING, LIFECYCLE)

CASES: tuple[Case, ...] = tuple(
    Case(scenario, requirement(req_id)) for scenario in SCENARIOS.values() for req_id in scenario.requirement_ids
)
