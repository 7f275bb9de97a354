"""``report.json``: the machine-readable record of one run (schema documented in README.md)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any

from conformance._explain import trace_lines
from conformance._results import Outcome
from conformance._runner import Campaign
from conformance._target import Target
from conformance._verdict import EXIT_CODES, Verdict

__all__ = ["SCHEMA_VERSION", "TestRecord", "build_report", "write_report"]

SCHEMA_VERSION = 1


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
    """What one session produced, for the reporters."""

    target: Target | None
    campaign: Campaign | None
    tests: list[TestRecord] = field(default_factory=list)
    harness_error: str | None = None


def build_report(run: RunRecord, verdict: Verdict) -> dict[str, Any]:
    """The report as plain data."""
    counts = {k: sum(t.outcome == k for t in run.tests) for k in ("passed", "failed", "skipped", "error")}
    target = run.target
    info = run.campaign.info if run.campaign else None
    return {
        "schema_version": SCHEMA_VERSION,
        "suite": {"name": "langgraph-conformance", "version": version("langgraph-conformance")},
        "target": {
            "url": target.url if target else None,
            "embedded": target.embedded if target else None,
            "info": dict(info.info) if info and info.info else None,
            "store": info.store if info else None,
        },
        "harness_error": run.harness_error,
        "summary": {
            "passed": counts["passed"],
            "failed": counts["failed"],
            "skipped": counts["skipped"],
            "errors": counts["error"],
            "verdict": verdict,
            "exit_code": EXIT_CODES[verdict],
        },
        "results": [vars(t) for t in sorted(run.tests, key=lambda t: t.test_id)],
        "scenarios": [
            {
                "id": r.scenario,
                "duration_s": round(r.duration_s, 3),
                "deviation": r.deviation,
                "error": r.error,
                "skipped": r.skipped,
                "leftovers": r.leftovers,
                "events": [{"at_s": round(e.at - r.started, 3), "run": e.run, "what": e.what} for e in r.events],
                "exchanges": trace_lines(r, target) if target else [],
            }
            for r in sorted(run.campaign.results.values(), key=lambda r: r.scenario)
        ]
        if run.campaign
        else [],
    }


def write_report(report: dict[str, Any], directory: Path) -> Path:
    """Write ``report.json`` into ``directory`` (created if need be)."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "report.json"
    path.write_text(json.dumps(report, indent=2, sort_keys=True) + "\n")
    return path
