"""The slim report: a subset of ``report.json`` to keep in a repository, read by every renderer as a full one.

It keeps the summary, the target, the gate, the requirements and every test's outcome; the
evidence of every test that did not pass (its detail, cut to ``DETAIL_CHARS``); and, of the
scenarios, only those with a test that did not pass, without their exchange lists (a test's
detail holds the exchanges that explain it) and without the race lane's per-repetition
exchanges. ``produced_by`` names the commit and the command that wrote the full report, so that
it can be made again from the recipe. ``slim: true`` marks it.
"""

from __future__ import annotations

import copy
from typing import Any

__all__ = ["DETAIL_CHARS", "HEADLINE_CHARS", "headlines", "slim_report"]

DETAIL_CHARS = 700
HEADLINE_CHARS = 400


def slim_report(report: dict[str, Any], *, commit: str, command: str) -> dict[str, Any]:
    """``report`` made slim (a new dict); ``commit`` and ``command`` are recorded as what produced it."""
    slim = copy.deepcopy(report)
    not_passed = {r["scenario"] for r in slim["results"] if r["outcome"] != "passed"}
    for result in slim["results"]:
        result["detail"] = _cut(result["detail"])
    slim["scenarios"] = [_lean(s) for s in slim.get("scenarios", []) if s["id"] in not_passed]
    slim["target"]["probe_exchanges"] = slim["target"].get("probe_exchanges", [])[-20:]
    slim["slim"] = True
    slim["produced_by"] = {"commit": commit, "command": command}
    return slim


def _lean(scenario: dict[str, Any]) -> dict[str, Any]:
    scenario["exchanges"] = []
    scenario["checks"] = [{**c, "diff": _cut(c["diff"]), "actual": _cut(c["actual"])} for c in scenario["checks"]
                          if c.get("outcome", "passed" if c.get("passed") else "failed") != "passed"]  # fmt: skip
    for repetition in scenario.get("repetitions", []):
        repetition["exchanges"] = []
    return scenario


def _cut(text: str) -> str:
    if len(text) <= DETAIL_CHARS:
        return text
    return text[:DETAIL_CHARS] + f"\n... {len(text) - DETAIL_CHARS} more characters in the full report"


def headlines(report: dict[str, Any]) -> dict[str, Any]:
    """``report`` with each test's detail cut to its first ``HEADLINE_CHARS`` (for a slim report's Markdown)."""
    short = dict(report)
    short["results"] = [{**r, "detail": r["detail"][:HEADLINE_CHARS] + ("..." if len(r["detail"]) > HEADLINE_CHARS else "")}
                        for r in report["results"]]  # fmt: skip
    return short
