"""``report.html``: one self-contained page (no network) to read a run and its failures."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from conformance.core.outcomes import OUTCOMES, outcome_of, summary_counts
from conformance.core.results import NOT_REACHED, Outcome
from conformance.lanes.explain import REFUSED, UNANSWERED
from conformance.reports._text import COUNTS_HEADER, counts_cells, failures, target_line
from conformance.reports._timeline import render_timeline

__all__ = ["render_html", "write_html"]

STYLE = """
body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#222;max-width:1100px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin-top:28px}
table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:3px 8px;text-align:left;vertical-align:top}
.verdict{display:inline-block;padding:3px 10px;border-radius:4px;color:#fff;font-weight:600}
.conformant{background:#2e7d32}.nonconformant{background:#c62828}.error{background:#ef6c00}.interrupted{background:#6d4c41}
.passed{color:#2e7d32}.failed{color:#c62828;font-weight:600}.skipped{color:#777}.not-reached{color:#ef6c00}
pre{background:#f6f8fa;padding:8px;overflow-x:auto;font-size:12px;white-space:pre-wrap}
.add{color:#2e7d32}.del{color:#c62828}details{margin:6px 0}summary{cursor:pointer}
.filters label{margin-right:14px}
ul.why li{margin:4px 0}code.deciding{background:#fff3e0;padding:1px 4px}mark{background:#ffe082}
"""

SCRIPT = """
function applyFilters(){
  var level=document.getElementById('level').value, outcome=document.getElementById('outcome').value;
  document.querySelectorAll('#requirements tbody tr').forEach(function(row){
    var show=(!level||row.dataset.level===level)&&(!outcome||row.dataset.outcome===outcome);
    row.style.display=show?'':'none';
  });
}
document.getElementById('level').addEventListener('change',applyFilters);
document.getElementById('outcome').addEventListener('change',applyFilters);
"""


def _pre(text: str) -> str:
    lines = []
    for line in text.splitlines():
        cls = "add" if line.startswith("+") and not line.startswith("+++") else "del" if line.startswith("-") and not line.startswith("---") else ""
        lines.append(f'<span class="{cls}">{escape(line)}</span>' if cls else escape(line))
    return "<pre>" + "\n".join(lines) + "</pre>"


def _options(name: str, values: list[str]) -> str:
    items = "".join(f'<option value="{escape(v)}">{escape(v)}</option>' for v in values)
    return f'<label>{name} <select id="{name}"><option value="">all</option>{items}</select></label>'


def render_html(report: dict[str, Any]) -> str:
    """The report as one HTML page."""
    s = report["summary"]
    scenarios = {sc["id"]: sc for sc in report["scenarios"]}
    out = [f"<!doctype html><html lang=en><head><meta charset=utf-8><title>langgraph-conformance: {escape(s['verdict'])}</title>",
           f"<style>{STYLE}</style></head><body>",
           "<h1>langgraph-conformance report</h1>", f"<p>{escape(target_line(report))}</p>",
           f'<p id="summary"><span class="verdict {escape(s["verdict"])}">{escape(s["verdict"])}</span> exit {s["exit_code"]}, '
           f"gate level {escape(report['gate']['level'])}: "
           + ", ".join(f"<b>{n}</b> {OUTCOMES[o].words}" for o, n in summary_counts(s).items()) + "</p>"]  # fmt: skip
    if report.get("harness_error"):
        out.append(f"<p><b>Harness error, no verdict:</b> {escape(report['harness_error'])}</p>")
    if report["target"].get("probe_exchanges") and (report.get("harness_error") or not report["scenarios"]):
        lines = escape("\n".join(report["target"]["probe_exchanges"]))
        out.append(f"<details open><summary>The probe's exchanges</summary><pre>{lines}</pre></details>")
    if report["gate"]["stale"]:
        out.append(f"<p>Stale baseline entries (now passing): {escape(', '.join(report['gate']['stale']))}</p>")
    failed = failures(report)
    by_requirement: dict[str, list[dict[str, Any]]] = {}
    for result in failed:
        by_requirement.setdefault(result["requirement"], []).append(result)
    out.extend(_why(report, by_requirement))
    out.append(f"<h2>Failures ({len(failed)}), by requirement</h2>" if failed else "<h2>Failures</h2><p>None.</p>")
    for requirement, results in sorted(by_requirement.items(), key=lambda item: _rank(report, item[0])):
        out.append(f'<h3 id="r-{escape(requirement)}">{escape(requirement)} ({escape(results[0]["level"])}): '
                   f"{len(results)} {'test' if len(results) == 1 else 'tests'}</h3>")  # fmt: skip
        for result in results:
            scenario = scenarios.get(result["scenario"])
            out.append(f'<details open class="failure" id="t-{escape(result["test_id"])}"><summary><b>'
                       f'{escape(result["test_id"])}</b> ({escape(OUTCOMES[outcome_of(result["outcome"])].words)})'
                       f"</summary>")  # fmt: skip
            if scenario:
                out.append(render_timeline(scenario))
            out.append(_pre(result["detail"]) + "</details>")
    levels = sorted({r["level"] for r in report["requirements"]})
    outcomes = sorted({r["outcome"] for r in report["requirements"]})
    out.append('<h2>Requirements</h2><p class="filters">' + _options("level", levels) + _options("outcome", outcomes) + "</p>")
    out.append(f'<table id="requirements"><thead><tr><th>ID</th><th>level</th><th>outcome</th><th>tests ({COUNTS_HEADER})</th>'
               "<th>statement</th><th>source</th></tr></thead><tbody>")  # fmt: skip
    for req in report["requirements"]:
        shown = OUTCOMES[outcome_of(req["outcome"])]
        note = f" (baseline: {escape(req['baseline'])})" if req["baseline"] else ""
        out.append(f'<tr data-level="{escape(req["level"])}" data-outcome="{escape(req["outcome"])}"><td>{escape(req["id"])}</td>'
                   f'<td>{escape(req["level"])}</td><td class="{shown.css}">{escape(shown.words)}{note}</td>'
                   f"<td>{counts_cells(req['tests'])}</td><td>{escape(req['statement'])}</td>"
                   f"<td>{escape(req['source'])}</td></tr>")  # fmt: skip
    out.append("</tbody></table>")
    deciding = {r["scenario"]: _refused(r["detail"]) for r in reversed(failed)}
    out.append(f"<h2>Scenarios ({len(report['scenarios'])})</h2>")
    for scenario in report["scenarios"]:
        bad = any(_check_outcome(c) != "passed" for c in scenario["checks"]) or scenario["deviation"] or scenario["error"]
        out.append(f"<details><summary>{'&#10007; ' if bad else ''}{escape(scenario['id'])}: {escape(scenario['title'])} "
                   f"({scenario['duration_s']:.2f} s)</summary>")  # fmt: skip
        out.append("<ol>" + "".join(f"<li>{escape(step)}</li>" for step in scenario["steps"]) + "</ol>")
        out.append(render_timeline(scenario))
        for note in ("deviation", "not_reached", "error", "skipped"):
            if scenario.get(note):
                out.append(f"<p><b>{note.replace('_', ' ')}:</b> {escape(scenario[note])}</p>")
        out.append("<table><tr><th>requirement</th><th>check</th><th>result</th></tr>")
        for c in scenario["checks"]:
            shown = f" (shown: {escape(c['shown'])})" if c["shown"] else ""
            outcome = _check_outcome(c)
            result = {"passed": "passed" + shown, "not_reached": f"not reached: {escape(c['actual'])}"}.get(
                outcome, f"expected {escape(c['expected'])}, got {escape(c['actual'])}")
            out.append(f'<tr><td>{escape(c["requirement"])}</td><td>{escape(c["check"])}</td>'
                       f'<td class="{OUTCOMES[outcome].css}">{result}</td></tr>')  # fmt: skip
        out.append("</table>" + _exchanges(scenario["exchanges"], deciding.get(scenario["id"], "")) + "</details>")
    out.append(f"<script>{SCRIPT}</script></body></html>")
    return "\n".join(out) + "\n"


_LEVELS = ("MUST", "SHOULD", "MAY")
_FIRST = (REFUSED, UNANSWERED)  # how a test's detail names the scenario's first refused or unanswered request


def _rank(report: dict[str, Any], requirement: str) -> tuple[int, int, str]:
    """Gated failures first, MUST before SHOULD, then by ID."""
    summary = report["summary"]
    level = next((r["level"] for r in report["requirements"] if r["id"] == requirement), "MAY")
    gated = requirement in summary.get("failed_requirements", []) or requirement in summary.get("unjudged_requirements", [])
    return (0 if gated else 1, _LEVELS.index(level) if level in _LEVELS else 3, requirement)


def _why(report: dict[str, Any], by_requirement: dict[str, list[dict[str, Any]]]) -> list[str]:
    """Under the badge: why the verdict is what it is (the failed gated requirements, each with one deciding line),
    then what could not be judged; on a conformant run, the findings below the gate."""
    summary = report["summary"]
    failed = set(summary.get("failed_requirements", []))
    unjudged = set(summary.get("unjudged_requirements", []))
    ranked = sorted(by_requirement, key=lambda r: _rank(report, r))
    if summary["verdict"] == "conformant":
        sections = [("Findings below the gate", ranked)]
    else:
        sections = [("Why nonconformant", [r for r in ranked if r in failed]),
                    ("What could not be judged", [r for r in ranked if r in unjudged])]  # fmt: skip
    out: list[str] = []
    for title, shown in sections:
        if not shown:
            continue
        out.append(f'<h2 id="{"why" if not out else "unjudged"}">{title}</h2><ul class="why">')
        for requirement in shown:
            results = by_requirement[requirement]
            scenarios = {r["scenario"] for r in results}
            words = OUTCOMES[outcome_of(results[0]["outcome"])].words
            out.append(f'<li><a href="#r-{escape(requirement)}"><b>{escape(requirement)}</b></a> '
                       f"({escape(results[0]['level'])}) {escape(words)} in {len(scenarios)} "
                       f"{'scenario' if len(scenarios) == 1 else 'scenarios'}: "
                       f'<a href="#t-{escape(results[0]["test_id"])}">{escape(results[0]["scenario"])}</a>: '
                       f'<code class="deciding">{escape(_deciding(results[0]["detail"]))}</code></li>')  # fmt: skip
        out.append("</ul>")
    return out


def _deciding(detail: str) -> str:
    """The line that decided a test: the first after its header (``REQ [LEVEL ...] failed in scenario s:``)."""
    lines = [line.strip() for line in detail.splitlines() if line.strip()]
    body = [line for line in lines if " failed in scenario " not in line] or lines or [""]
    line = body[0].removeprefix(NOT_REACHED)
    if ": not reached: " in line:  # a check not reached: its cause, without the check's own words before it
        line = line.partition(": not reached: ")[2]
    return line[:240]


def _refused(detail: str) -> str:
    """The exchange the detail names as the scenario's first refused request ("" if none)."""
    return next((line[len(p):] for line in detail.splitlines() for p in _FIRST if line.startswith(p)), "")


def _exchanges(lines: list[str], deciding: str) -> str:
    """The scenario's exchanges, the deciding one marked."""
    shown = [f"<mark>{escape(line)}</mark>" if deciding and line.startswith(deciding[:120]) else escape(line) for line in lines]
    return "<pre class=exchanges>" + "\n".join(shown) + "</pre>"


def _check_outcome(check: dict[str, Any]) -> Outcome:
    """A check's outcome (schema 1 said only ``passed``: true or false)."""
    if "outcome" in check:
        return outcome_of(check["outcome"])
    return "passed" if check.get("passed") else "failed"


def write_html(report: dict[str, Any], path: Path) -> None:
    """Write ``report.html``."""
    path.write_text(render_html(report))
