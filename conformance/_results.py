"""One result model: what a scenario did and found, and each test's outcome drawn from it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from conformance._http import Exchange

__all__ = ["CUT_SHORT", "NOT_RUN", "CheckResult", "Event", "Outcome", "ScenarioResult"]

Outcome = Literal["passed", "failed", "skipped", "error"]

# The error of a scenario that a stopped campaign did not run, or cut short; the campaign adds the reason.
NOT_RUN = "not run"
CUT_SHORT = "stopped before it finished"


@dataclass(frozen=True)
class CheckResult:
    """One expectation, evaluated."""

    requirement: str
    expectation: str
    passed: bool
    expected: str
    actual: str
    diff: str = ""
    shown: str = ""

    def explain(self) -> str:
        """Expected against actual, for a reader of a failure."""
        if self.diff:
            return f"{self.expectation}:\n{self.diff}"
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
    error: str | None = None
    skipped: str | None = None
    trace: list[Exchange] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    aliases: dict[str, str] = field(default_factory=dict)
    leftovers: list[str] = field(default_factory=list)
    repetitions: list[dict[str, Any]] = field(default_factory=list)
    """The race lane: each repetition's history (requests, statuses seen, the graph's records) and violations."""

    def outcome(self, requirement: str) -> tuple[Outcome, str]:
        """The outcome for one requirement, and the text that explains a non-pass."""
        if self.error:
            return "error", self.error
        if self.skipped:
            return "skipped", self.skipped
        if self.deviation:
            return "failed", self.deviation
        failed = [c for c in self.checks if c.requirement == requirement and not c.passed]
        if failed:
            return "failed", "\n".join(c.explain() for c in failed)
        if not any(c.requirement == requirement for c in self.checks):
            return "error", f"scenario {self.scenario} evaluated nothing for {requirement}"
        return "passed", ""
