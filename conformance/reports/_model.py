"""The report model: one plain-data document, built once per run and read by every format.

It is what ``report.json`` holds (see README.md for the schema), so that reports written
earlier, on other machines, can be rendered and compared again.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import version
from typing import Any

from conformance.core.exchange import Exchange
from conformance.core.outcomes import OUTCOMES
from conformance.core.results import Outcome
from conformance.lanes.explain import trace_lines
from conformance.requirements import REQUIREMENTS
from conformance.scenarios import SCENARIOS
from conformance.session.campaign import Campaign
from conformance.session.coverage import unjudged
from conformance.session.gate import Decision, Gate
from conformance.target.fixtures import fixture_digest, suite_commit
from conformance.target.probe import Target

__all__ = ["SCHEMA_VERSION", "RunRecord", "TestRecord", "build_report"]

SCHEMA_VERSION = 2  # 2: outcomes passed / failed / not_reached / skipped (1 said "error" for not reached)
_USERINFO = re.compile(r"//[^/@]*@")


@dataclass(frozen=True)
class TestRecord:
    """One pytest test's outcome."""

    test_id: str
    requirement: str
    level: str
    scenario: str
    outcome: Outcome
    duration_s: float
    detail: str = ""


@dataclass
class RunRecord:
    """What one session produced."""

    target: Target | None
    campaign: Campaign | None
    tests: list[TestRecord] = field(default_factory=list)
    harness_error: str | None = None
    interrupted: bool = False
    session: str | None = None
    lanes: tuple[str, ...] = ("contract",)
    probe_trace: list[Exchange] = field(default_factory=list)
    started_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    duration_s: float = 0.0
    """The session's wall time, server start included."""


def _requirement_outcome(outcomes: Counter[str]) -> str:
    """Evidence first: failed anywhere, else passed somewhere, else not reached, else skipped (as the gate reads it)."""
    for outcome in ("failed", "passed", "not_reached"):
        if outcomes[outcome]:
            return outcome
    return "skipped"


def build_report(run: RunRecord, decision: Decision, gate: Gate) -> dict[str, Any]:
    """The report as plain data, keys in a stable order."""
    target, campaign = run.target, run.campaign
    counts = Counter(t.outcome for t in run.tests)
    by_requirement: dict[str, Counter[str]] = {}
    for t in run.tests:
        by_requirement.setdefault(t.requirement, Counter())[t.outcome] += 1
    return {
        "schema_version": SCHEMA_VERSION,
        "suite": {"name": "langgraph-conformance", "version": version("langgraph-conformance"), "commit": suite_commit(),
                  "fixture_digest": fixture_digest()},
        "started_at": run.started_at,
        "duration_s": round(run.duration_s, 3),
        "session": run.session,
        "lanes": list(run.lanes),
        "target": {
            "url": _USERINFO.sub("//***@", target.url) if target else None,
            "replicas": [_USERINFO.sub("//***@", u) for u in target.urls] if target and target.replicas else None,
            "embedded": target.embedded if target else None,
            "info": dict(campaign.info.info) if campaign and campaign.info.info else None,
            "store": campaign.info.store if campaign else None,
            "store_note": campaign.info.store_note or None if campaign else None,
            "holds": campaign.info.holds if campaign else None,
            "fixture": {"version": campaign.info.fixture, "slow_start": campaign.info.slow_start,
                        "start_note": campaign.info.start_note or None} if campaign else None,
            "openapi": campaign.info.paths is not None if campaign else None,
            "liveness": campaign.info.liveness.as_dict() if campaign and campaign.info.liveness else None,
            "capacity": campaign.info.capacity.as_dict() if campaign and campaign.info.capacity else None,
            "probe_exchanges": _probe_lines(run),
        },
        "gate": {"level": gate.level, "baseline": dict(gate.baseline), "strict_baseline": gate.strict_baseline,
                 "stale": list(decision.stale), "excused": list(decision.excused)},  # fmt: skip
        "harness_error": run.harness_error,
        "summary": {
            **{outcome: counts[outcome] for outcome in OUTCOMES},
            "verdict": decision.verdict,
            "exit_code": decision.exit_code,
            "failed_requirements": list(decision.failed),
            "unjudged_requirements": list(decision.unjudged),
            "skipped_requirements": list(decision.skipped),
            "below_gate": sum(t.outcome == "failed" and not gate.gates(t.requirement, t.level) for t in run.tests),
            "gated_selected": len(decision.gated),
            "gated_judged": len(decision.judged),
            "gated_unjudged": [{"id": u.requirement, "outcome": u.outcome, "cause": u.cause, "tests": u.tests}
                               for u in unjudged(decision, ((t.requirement, t.outcome, t.detail) for t in run.tests))],
        },
        "requirements": [
            {
                "id": req.id,
                "level": req.level.value,
                "statement": req.statement,
                "source": req.source,
                "outcome": _requirement_outcome(by_requirement[req.id]),
                "tests": {k: by_requirement[req.id][k] for k in OUTCOMES},
                "baseline": gate.baseline.get(req.id),
            }
            for req in REQUIREMENTS.values()
            if req.id in by_requirement
        ],
        "results": [vars(t) for t in sorted(run.tests, key=lambda t: t.test_id)],
        "scenarios": [_scenario(r, target) for r in sorted(campaign.results.values(), key=lambda r: r.scenario)]
        if campaign and target
        else [],
    }


def _probe_lines(run: RunRecord) -> list[str]:
    """The probe's exchanges (also when it failed), credentials redacted."""
    if not run.probe_trace or run.target is None:
        return []
    start, target = run.probe_trace[0].at, run.target
    return [target.redact(x.line(start)) for x in run.probe_trace]


def _steps(scenario: Any) -> list[str]:
    """The script in words, its set-up steps marked."""
    return [*(f"set-up: {step}" for step in getattr(scenario, "setup", ())), *(str(step) for step in scenario.steps)]


def _scenario(result: Any, target: Target) -> dict[str, Any]:
    scenario = SCENARIOS.get(result.scenario)
    return {
        "id": result.scenario,
        "title": scenario.title if scenario else "",
        "steps": _steps(scenario) if scenario else [],
        "duration_s": round(result.duration_s, 3),
        "deviation": result.deviation,
        "not_reached": result.not_reached,
        "error": result.error,
        "skipped": result.skipped,
        "leftovers": result.leftovers,
        **({"sdk_notes": result.notes} if result.notes else {}),
        **({"race": result.race} if result.race else {}),
        **({"faults": result.faults} if result.faults else {}),
        **({"repetitions": result.repetitions} if result.repetitions else {}),
        "events": [{"at_s": round(e.at - result.started, 3), "run": e.run, "what": e.what} for e in result.events],
        "checks": [
            {"requirement": c.requirement, "check": c.expectation, "outcome": c.outcome, "expected": c.expected,
             "actual": c.actual, "diff": c.diff, "shown": c.shown}  # fmt: skip
            for c in result.checks
        ],
        "exchanges": trace_lines(result, target),
    }
