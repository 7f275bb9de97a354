"""Every scenario the suite runs, and the test cases they make: one per (scenario, requirement)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias, get_args

from conformance.core.index import unique_by_id
from conformance.requirements import Requirement, requirement
from conformance.scenarios._api_model import ApiScenario
from conformance.scenarios._fault_model import Nemesis
from conformance.scenarios._model import Lane, Scenario
from conformance.scenarios._race_model import Storm
from conformance.scenarios.api_shape import API_SHAPE
from conformance.scenarios.cancellation import CANCELLATION
from conformance.scenarios.chains import CHAINS
from conformance.scenarios.clients import CLIENTS
from conformance.scenarios.double_texting import DOUBLE_TEXTING
from conformance.scenarios.faults import FAULTS
from conformance.scenarios.joining import JOINING
from conformance.scenarios.lifecycle import LIFECYCLE
from conformance.scenarios.races import RACES
from conformance.scenarios.seed import SEED
from conformance.scenarios.thread_protocol import THREAD_PROTOCOL

__all__ = ["CASES", "DEFAULT_LANES", "LANES", "SCENARIOS", "AnyScenario", "Case"]


AnyScenario: TypeAlias = Scenario | ApiScenario | Storm | Nemesis


@dataclass(frozen=True)
class Case:
    """One test: a requirement as checked by one scenario."""

    scenario: AnyScenario
    requirement: Requirement

    @property
    def lane(self) -> str:
        """The lane that runs it (``run --lane``)."""
        return self.scenario.lane

    @property
    def id(self) -> str:
        """The pytest id: ``scenario:REQUIREMENT-ID``."""
        return f"{self.scenario.id}:{self.requirement.id}"


LANES: tuple[str, ...] = get_args(Lane)
DEFAULT_LANES: tuple[str, ...] = ("contract", "schema")
"""What ``run`` checks unless ``--lane`` says otherwise: together well within a minute on the embedded server."""

SCENARIOS: dict[str, AnyScenario] = unique_by_id("scenario", SEED, DOUBLE_TEXTING, CHAINS, CANCELLATION, JOINING, LIFECYCLE, CLIENTS, API_SHAPE, RACES, FAULTS,
                                                  THREAD_PROTOCOL)

CASES: tuple[Case, ...] = tuple(
    Case(scenario, requirement(req_id)) for scenario in SCENARIOS.values() for req_id in scenario.requirement_ids
)
