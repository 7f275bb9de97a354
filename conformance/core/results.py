"""One result model: what a scenario did and found, and each test's outcome drawn from it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from conformance.core.exchange import Exchange

__all__ = ["CUT_SHORT", "HARNESS_ERROR", "NOT_REACHED", "NOT_RUN", "CheckOutcome", "CheckResult", "Event", "Outcome", "ScenarioResult"]

Outcome = Literal["passed", "failed", "not_reached", "skipped"]
"""A requirement's outcome in one scenario (``conformance.core.outcomes`` shows each in every format)."""
CheckOutcome = Literal["passed", "failed", "not_reached"]

# The error of a scenario that a stopped campaign did not run, or cut short; the campaign adds the reason.
NOT_RUN = "not run"
HARNESS_ERROR = "harness error, no verdict: "
"""How a test's detail begins where a harness error left its scenario unjudged."""
NOT_REACHED = "not reached, no verdict: "
"""How a not-reached test's failure text begins (before its scenario's reason)."""
CUT_SHORT = "stopped before it finished"


@dataclass(frozen=True)
class CheckResult:
    """One expectation, evaluated."""

    requirement: str
    expectation: str
    outcome: CheckOutcome
    expected: str
    actual: str
    diff: str = ""
    shown: str = ""

    @property
    def passed(self) -> bool:
        return self.outcome == "passed"

    def explain(self) -> str:
        """Expected against actual, for a reader of a failure; for a check not reached, why."""
        if self.outcome == "not_reached":
            return f"{self.expectation}: not reached: {self.actual}"
        if self.diff:
            return f"{self.expectation} (it shows {self.actual}):\n{self.diff}"
        return f"{self.expectation}: expected {self.expected}, got {self.actual}"


@dataclass(frozen=True)
class Event:
    """Something a run did, as the suite saw it (for timelines)."""

    at: float
    run: str
    what: str


@dataclass
class ScenarioResult:
    """Everything one scenario execution produced."""

    scenario: str
    started: float = 0.0
    duration_s: float = 0.0
    checks: list[CheckResult] = field(default_factory=list)
    deviation: str | None = None
    """A violation that stopped the script: the requirements not judged before it fail with it."""
    not_reached: str | None = None
    """Why the script never got to its situation (a refused set-up step, a wait without room)."""
    error: str | None = None
    """A harness error (or the campaign's stop) that ended the scenario: no verdict."""
    skipped: str | None = None
    trace: list[Exchange] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    aliases: dict[str, str] = field(default_factory=dict)
    answers: dict[str, int] = field(default_factory=dict)
    """The HTTP status each labelled request was answered with."""
    planned: dict[str, int] = field(default_factory=dict)
    """How many checks the scenario has for each requirement: one judged in full before a deviation keeps its verdict."""
    leftovers: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """What an SDK did on its own that the script showed (``SdkNote``): never a verdict on the server."""
    repetitions: list[dict[str, Any]] = field(default_factory=list)
    """The race lane: each repetition's history (requests, statuses seen, the graph's records) and violations."""
    race: dict[str, Any] = field(default_factory=dict)
    """The race lane: the schedule, its seed, and the power of the repetitions that ran."""
    faults: dict[str, Any] = field(default_factory=dict)
    """The fault lane: the fault, and each thread's fate after the heal."""

    def outcome(self, requirement: str) -> tuple[Outcome, str]:
        """The outcome for one requirement, and the text that explains anything but a pass.

        Evidence first: a check that failed, or a violation that stopped the script before every check
        of the requirement was made, is a failure whatever else happened. A requirement whose checks
        were all made (a premise read before the double-text) keeps what they showed, whatever stopped
        the scenario later. Then what stopped the scenario short of evidence, then the checks that could
        not see what they need; only checks that all passed are a pass.
        """
        if self.skipped:
            return "skipped", self.skipped
        mine = [c for c in self.checks if c.requirement == requirement]
        failed = [c for c in mine if c.outcome == "failed"]
        if failed:
            return "failed", "\n".join(c.explain() for c in failed)
        judged = len(mine) >= self.planned.get(requirement, len(mine) + 1)  # every check it has was made
        if self.deviation and not judged:
            return "failed", self.deviation
        if self.error and not judged:
            return "not_reached", f"{HARNESS_ERROR}{self.error}"
        if self.not_reached and not judged:
            return "not_reached", self.not_reached
        unseen = [c for c in mine if c.outcome == "not_reached"]
        if unseen:
            return "not_reached", "\n".join(c.explain() for c in unseen)
        if not mine:
            return "not_reached", f"scenario {self.scenario} evaluated nothing for {requirement}"
        return "passed", ""
