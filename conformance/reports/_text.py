"""Small pieces every human-readable format shares."""

from __future__ import annotations

from typing import Any

from conformance.core.outcomes import BELOW_GATE, OUTCOMES, outcome_of, summary_counts
from conformance.session.coverage import coverage_line, reason
from conformance.session.gate import Gate

__all__ = ["COUNTS_HEADER", "SDK_NOTES", "TEST_COUNTS_HEADER", "counts_cells", "coverage", "deciding", "failures",
           "gated", "requirement_cells", "sections", "server_name", "shown_counts", "target_line"]


def server_name(report: dict[str, Any]) -> str:
    """What the target says it is: ``langgraph-api 0.16.7``, or its URL."""
    info = report["target"].get("info") or {}
    version = info.get("version")
    if report["target"].get("embedded"):
        return f"embedded reference (langgraph-api {version})"
    return f"{report['target']['url']} ({version})" if version else str(report["target"]["url"])


def target_line(report: dict[str, Any]) -> str:
    """Target and suite, in one line."""
    suite = report["suite"]
    return f"target {server_name(report)}; {suite['name']} {suite['version']}; started {report['started_at']}"


def deciding(detail: str, limit: int = 240) -> str:
    """The line that decided a test: the first after its header (``REQ [LEVEL ...] failed in scenario s:``); for
    one not reached, its cause, without the words that say so."""
    lines = [line.strip() for line in detail.splitlines() if line.strip()]
    body = [line for line in lines if " failed in scenario " not in line] or lines or [""]
    return reason(body[0])[:limit]


def failures(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Failed tests, then those not reached, each in test id order."""
    return [r for wanted in ("failed", "not_reached") for r in report["results"] if outcome_of(r["outcome"]) == wanted]


def gated(report: dict[str, Any], requirement: str, level: str) -> bool:
    """Whether a failure of ``requirement`` counts against the report's verdict."""
    return Gate(report["gate"]["level"], report["gate"]["baseline"]).gates(requirement, level)


def sections(report: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]]]]:
    """The tests a reader looks at, in the order they matter: failures against the gate, failures below it, then
    those not reached; each in test id order, empty sections left out."""
    def failed(r: dict[str, Any]) -> bool:
        return outcome_of(r["outcome"]) == "failed"
    results = report["results"]
    found = [("Failures", [r for r in results if failed(r) and gated(report, r["requirement"], r["level"])]),
             (f"Failures {BELOW_GATE}", [r for r in results if failed(r) and not gated(report, r["requirement"], r["level"])]),
             ("Not reached", [r for r in results if outcome_of(r["outcome"]) == "not_reached"])]  # fmt: skip
    return [(title, shown) for title, shown in found if shown]


def shown_counts(report: dict[str, Any]) -> dict[str, int]:
    """A session's tests as every format counts them: ``failed`` counts against the verdict, the failures below
    the gate apart (report.json's ``failed`` holds both, ``below_gate`` the second; counted from the results
    in a report written before the suite kept that count)."""
    summary = report["summary"]
    counts = summary_counts(summary)
    below = summary.get("below_gate")
    if below is None:
        below = sum(outcome_of(r["outcome"]) == "failed" and not gated(report, r["requirement"], r["level"])
                    for r in report["results"])  # fmt: skip
    return {"passed": counts["passed"], "failed": counts["failed"] - below, BELOW_GATE: below,
            "not reached": counts["not_reached"], "skipped": counts["skipped"]}  # fmt: skip


def counts_cells(report: dict[str, Any]) -> str:
    """``3/1/2/2/0``: passed/failed/below the gate/not reached/skipped."""
    return "/".join(str(n) for n in shown_counts(report).values())


def requirement_cells(tests: dict[str, Any]) -> str:
    """A requirement's tests, ``3/1/2/0``: passed/failed/not reached/skipped."""
    return "/".join(str(n) for n in summary_counts(tests).values())


def coverage(report: dict[str, Any]) -> str:
    """``44 of 48 MUST requirements judged`` ("" for a report written before the suite counted them)."""
    summary = report["summary"]
    if "gated_selected" not in summary:
        return ""
    return coverage_line(summary["gated_judged"], summary["gated_selected"], report["gate"]["level"])


COUNTS_HEADER = f"passed/failed/{BELOW_GATE}/not reached/skipped"
SDK_NOTES = "SDK notes: what an SDK did on its own, on any server (no verdict)"
TEST_COUNTS_HEADER = "/".join(shown.words for shown in OUTCOMES.values())
