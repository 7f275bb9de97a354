"""``report.md``: the verdict, what it covered, the counts and every failure, for a pull request or a terminal."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from conformance.core.outcomes import BELOW_GATE, OUTCOMES, outcome_of
from conformance.reports._text import (
    SDK_NOTES,
    TEST_COUNTS_HEADER,
    coverage,
    deciding,
    gated,
    requirement_cells,
    sections,
    shown_counts,
    target_line,
)

__all__ = ["render_markdown", "render_summary", "write_markdown"]


def render_markdown(report: dict[str, Any]) -> str:
    """The report as Markdown: the verdict and what it covered, the counts, what was not judged, then the failures."""
    lines = ["# langgraph-conformance report", "", *_head(report)]
    lines += ["## Requirements", "", f"| ID | level | outcome | tests {TEST_COUNTS_HEADER} |", "|---|---|---|---|"]
    for req in report["requirements"]:
        words = OUTCOMES[outcome_of(req["outcome"])].words
        if outcome_of(req["outcome"]) == "failed" and not gated(report, req["id"], req["level"]):
            words += " (baseline)" if req["baseline"] else f" ({BELOW_GATE})"
        lines.append(f"| {req['id']} | {req['level']} | {words} | {requirement_cells(req['tests'])} |")
    storms = [s for s in report.get("scenarios", []) if (s.get("race") or {}).get("power")]
    if storms:
        lines += ["", "## Race lane: what the repetitions rule out", "", "| scenario | schedule | power |", "|---|---|---|"]
        lines += [f"| {s['id']} | {s['race']['schedule']} | {s['race']['power']} |" for s in storms]
    notes = [(s["id"], note) for s in report.get("scenarios", []) for note in s.get("sdk_notes", [])]
    if notes:
        lines += ["", f"## {SDK_NOTES} ({len(notes)})", "", *(f"- `{scenario}`: {note}" for scenario, note in notes)]
    for title, results in sections(report):
        lines += ["", f"## {title} ({len(results)})", ""]
        for result in results:
            lines += [f"### {result['test_id']} ({result['level']})", "", "```", result["detail"], "```", ""]
    return "\n".join(lines).rstrip() + "\n"


def render_summary(report: dict[str, Any], listed: int = 30) -> str:
    """A CI job's summary: the verdict, what it covered, the counts and what was not judged, then each failure in
    one line (its deciding line), the first ``listed`` of each section; the whole report is the artifact."""
    lines = ["## langgraph-conformance", "", *_head(report)]
    for title, results in sections(report):
        lines += [f"**{title}** ({len(results)}):", ""]
        lines += [f"- `{r['test_id']}` ({r['level']}): {deciding(r['detail'], 200)}" for r in results[:listed]]
        lines += [f"- and {len(results) - listed} more in report.md" if len(results) > listed else "", ""]
    return "\n".join(line for line in lines).rstrip() + "\n"


def _head(report: dict[str, Any]) -> list[str]:
    """The verdict and what it covered, the counts, what was not judged, a harness error and stale baseline entries."""
    summary = report["summary"]
    shown = shown_counts(report)
    covered = coverage(report)
    lines = [
        target_line(report),
        "",
        f"**Verdict: {summary['verdict']}** (exit {summary['exit_code']}, gate level {report['gate']['level']})"
        + (f": {covered}" if covered else ""),
        "",
        "| " + " | ".join(shown) + " |",
        "|" + "---|" * len(shown),
        "| " + " | ".join(str(n) for n in shown.values()) + " |",
        "",
    ]
    if summary.get("gated_unjudged"):
        lines += ["**Not judged** (gated requirements no scenario judged, with the cause):", ""]
        lines += [f"- {u['id']} ({u['outcome'].replace('_', ' ')} in {u['tests']} test{'' if u['tests'] == 1 else 's'}): "
                  f"{u['cause']}"
                  for u in summary["gated_unjudged"]]  # fmt: skip
        lines.append("")
    if report.get("harness_error"):
        lines += [f"**Harness error (no verdict):** {report['harness_error']}", ""]
        if report["target"].get("probe_exchanges"):
            lines += ["The probe's exchanges:", "", "```", *report["target"]["probe_exchanges"], "```", ""]
    if report["gate"]["stale"]:
        lines += [f"Stale baseline entries (now passing): {', '.join(report['gate']['stale'])}", ""]
    return lines


def write_markdown(report: dict[str, Any], path: Path) -> None:
    """Write ``report.md``."""
    path.write_text(render_markdown(report))
