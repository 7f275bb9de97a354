"""Small pieces every human-readable format shares."""

from __future__ import annotations

from typing import Any

from conformance.core.outcomes import OUTCOMES, outcome_of, summary_counts

__all__ = ["COUNTS_HEADER", "counts_cells", "counts_line", "failures", "server_name", "target_line"]


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


def failures(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Failed tests, then those not reached, each in test id order."""
    return [r for wanted in ("failed", "not_reached") for r in report["results"] if outcome_of(r["outcome"]) == wanted]


def counts_line(summary: dict[str, Any]) -> str:
    """``3 passed, 1 failed, 2 not reached, 0 skipped``."""
    return ", ".join(f"{n} {OUTCOMES[o].words}" for o, n in summary_counts(summary).items())


def counts_cells(summary: dict[str, Any]) -> str:
    """``3/1/2/0``: passed/failed/not reached/skipped."""
    return "/".join(str(n) for n in summary_counts(summary).values())


COUNTS_HEADER = "/".join(shown.words for shown in OUTCOMES.values())
