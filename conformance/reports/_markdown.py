"""``report.md``: the summary table and every failure, for a pull request or a terminal."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from conformance.core.outcomes import OUTCOMES, outcome_of, summary_counts
from conformance.reports._text import COUNTS_HEADER, counts_cells, failures, target_line

__all__ = ["render_markdown", "write_markdown"]


def render_markdown(report: dict[str, Any]) -> str:
    """The report as Markdown."""
    summary = report["summary"]
    lines = [
        "# langgraph-conformance report",
        "",
        target_line(report),
        "",
        f"**Verdict: {summary['verdict']}** (exit {summary['exit_code']}, gate level {report['gate']['level']})",
        "",
        "| " + " | ".join(shown.words for shown in OUTCOMES.values()) + " |",
        "|---|---|---|---|",
        "| " + " | ".join(str(n) for n in summary_counts(summary).values()) + " |",
        "",
    ]
    if report.get("harness_error"):
        lines += [f"**Harness error (no verdict):** {report['harness_error']}", ""]
        if report["target"].get("probe_exchanges"):
            lines += ["The probe's exchanges:", "", "```", *report["target"]["probe_exchanges"], "```", ""]
    if report["gate"]["stale"]:
        lines += [f"Stale baseline entries (now passing): {', '.join(report['gate']['stale'])}", ""]
    lines += ["## Requirements", "", f"| ID | level | outcome | tests {COUNTS_HEADER} |", "|---|---|---|---|"]
    for req in report["requirements"]:
        excused = " (baseline)" if req["baseline"] and req["outcome"] == "failed" else ""
        lines.append(f"| {req['id']} | {req['level']} | {OUTCOMES[outcome_of(req['outcome'])].words}{excused} | "
                     f"{counts_cells(req['tests'])} |")  # fmt: skip
    storms = [s for s in report.get("scenarios", []) if (s.get("race") or {}).get("power")]
    if storms:
        lines += ["", "## Race lane: what the repetitions rule out", "", "| scenario | schedule | power |", "|---|---|---|"]
        lines += [f"| {s['id']} | {s['race']['schedule']} | {s['race']['power']} |" for s in storms]
    failed = failures(report)
    if failed:
        lines += ["", "## Failures", ""]
        for result in failed:
            shown = OUTCOMES[outcome_of(result["outcome"])].words
            lines += [f"### {result['test_id']} ({result['level']}, {shown})", "", "```", result["detail"], "```", ""]
    return "\n".join(lines).rstrip() + "\n"


def write_markdown(report: dict[str, Any], path: Path) -> None:
    """Write ``report.md``."""
    path.write_text(render_markdown(report))
