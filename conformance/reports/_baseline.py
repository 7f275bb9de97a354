"""A ``--baseline`` file from a report: each requirement it failed, with the deciding line as the reason, so that
a CI job gates on "nothing fails that did not fail before" (entries that pass again are reported stale)."""

from __future__ import annotations

import json
from typing import Any

from conformance.core.outcomes import outcome_of
from conformance.reports._text import deciding

__all__ = ["render_baseline"]


def render_baseline(report: dict[str, Any]) -> str:
    """``[expected_failures]``, one ``ID = "reason"`` per failed requirement, in the report's order."""
    written = f"{report['started_at']} ({report['summary']['verdict']})"
    lines = [f"# Written by `langgraph-conformance report baseline` from the report of {written}.", "[expected_failures]"]
    for req in report["requirements"]:
        if outcome_of(req["outcome"]) != "failed":
            continue
        first = next((r for r in report["results"] if r["requirement"] == req["id"] and outcome_of(r["outcome"]) == "failed"),
                     None)  # fmt: skip
        reason = f"failed in {first['scenario']}: {deciding(first['detail'], 160)}" if first else "failed"
        lines.append(f"{req['id']} = {json.dumps(reason)}")
    return "\n".join(lines) + "\n"
