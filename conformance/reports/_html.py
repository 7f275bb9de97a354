"""``report.html``: one self-contained page (no network) to read a run and its failures."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from conformance.core.outcomes import OUTCOMES, outcome_of
from conformance.core.results import Outcome
from conformance.lanes.explain import EXCHANGES, REFUSED, RERUN, UNANSWERED
from conformance.reports._text import (
    SDK_NOTES,
    TEST_COUNTS_HEADER,
    coverage,
    deciding,
    failures,
    requirement_cells,
    sections,
    shown_counts,
    target_line,
)
from conformance.reports._timeline import render_timeline
from conformance.session.coverage import shorten

__all__ = ["render_html", "write_html"]

STYLE = """
body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#222;max-width:1100px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin-top:28px}
table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:3px 8px;text-align:left;vertical-align:top}
.verdict{display:inline-block;padding:3px 10px;border-radius:4px;color:#fff;font-weight:600}
.conformant{background:#2e7d32}.nonconformant{background:#c62828}.error{background:#ef6c00}.interrupted{background:#6d4c41}
.passed{color:#2e7d32}.failed{color:#c62828;font-weight:600}.skipped{color:#777}.not-reached{color:#ef6c00}
pre,.pre{background:#f6f8fa;padding:8px;overflow-x:auto;font:12px monospace;white-space:pre-wrap;margin:6px 0}
details.long{display:inline}details.long summary{color:#555}
.add{color:#2e7d32}.del{color:#c62828}details{margin:6px 0}summary{cursor:pointer}
.filters label{margin-right:14px}
ul.why li{margin:4px 0}code.deciding{background:#fff3e0;padding:1px 4px}code.rerun,code.cause{background:#eef;padding:1px 4px}
mark{background:#ffe082}
"""

LONG = 300

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
    """Evidence as preformatted lines, diff lines coloured; a line longer than ``LONG`` (a generated body) folded."""
    lines = []
    for line in text.splitlines():
        cls = "add" if line.startswith("+") and not line.startswith("+++") else "del" if line.startswith("-") and not line.startswith("---") else ""
        shown = (f"<details class=long><summary>{escape(line[:LONG // 2])} ...</summary>{escape(line)}</details>"
                 if len(line) > LONG else escape(line))  # fmt: skip
        lines.append(f'<span class="{cls}">{shown}</span>' if cls else shown)
    return '<div class="pre">' + "\n".join(lines) + "</div>"


def _options(name: str, values: list[str]) -> str:
    items = "".join(f'<option value="{escape(v)}">{escape(v)}</option>' for v in values)
    return f'<label>{name} <select id="{name}"><option value="">all</option>{items}</select></label>'


def render_html(report: dict[str, Any]) -> str:
    """The report as one HTML page: the verdict, what it covered and why it is what it is, first."""
    s = report["summary"]
    scenarios = {sc["id"]: sc for sc in report["scenarios"]}
    covered = coverage(report)
    out = [f"<!doctype html><html lang=en><head><meta charset=utf-8><title>langgraph-conformance: {escape(s['verdict'])}</title>",
           f"<style>{STYLE}</style></head><body>",
           "<h1>langgraph-conformance report</h1>", f"<p>{escape(target_line(report))}</p>",
           f'<p id="summary"><span class="verdict {escape(s["verdict"])}">{escape(s["verdict"])}</span> exit {s["exit_code"]}, '
           f"gate level {escape(report['gate']['level'])}" + (f": <b id=coverage>{escape(covered)}</b>" if covered else "")
           + "; tests: " + ", ".join(f"<b>{n}</b> {escape(words)}" for words, n in shown_counts(report).items()) + "</p>"]  # fmt: skip
    out.extend(_unjudged(report))
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
    for title, results in sections(report):
        out.append(f"<h2>{escape(title)} ({len(results)}), by requirement</h2>")
        grouped: dict[str, list[dict[str, Any]]] = {}
        for result in results:
            grouped.setdefault(result["requirement"], []).append(result)
        for requirement, mine in sorted(grouped.items(), key=lambda item: _rank(report, item[0])):
            out.append(f'<h3 id="r-{escape(requirement)}">{escape(requirement)} ({escape(mine[0]["level"])}): '
                       f"{len(mine)} {'test' if len(mine) == 1 else 'tests'}</h3>")  # fmt: skip
            out.extend(_failure(result, scenarios.get(result["scenario"])) for result in mine)
    if not failed:
        out.append("<h2>Failures</h2><p>None.</p>")
    levels = sorted({r["level"] for r in report["requirements"]})
    outcomes = sorted({r["outcome"] for r in report["requirements"]})
    out.append('<h2>Requirements</h2><p class="filters">' + _options("level", levels) + _options("outcome", outcomes) + "</p>")
    out.append(f'<table id="requirements"><thead><tr><th>ID</th><th>level</th><th>outcome</th><th>tests ({TEST_COUNTS_HEADER})</th>'
               "<th>statement</th><th>source</th></tr></thead><tbody>")  # fmt: skip
    for req in report["requirements"]:
        shown = OUTCOMES[outcome_of(req["outcome"])]
        note = f" (baseline: {escape(req['baseline'])})" if req["baseline"] else ""
        out.append(f'<tr data-level="{escape(req["level"])}" data-outcome="{escape(req["outcome"])}"><td>{escape(req["id"])}</td>'
                   f'<td>{escape(req["level"])}</td><td class="{shown.css}">{escape(shown.words)}{note}</td>'
                   f"<td>{requirement_cells(req['tests'])}</td><td>{escape(req['statement'])}</td>"
                   f"<td>{escape(req['source'])}</td></tr>")  # fmt: skip
    out.append("</tbody></table>")
    notes = [(sc["id"], note) for sc in report["scenarios"] for note in sc.get("sdk_notes", [])]
    if notes:
        out.append(f'<h2 id="sdk-notes">{escape(SDK_NOTES)} ({len(notes)})</h2><ul>'
                   + "".join(f"<li><code>{escape(sc)}</code>: {escape(note)}</li>" for sc, note in notes) + "</ul>")  # fmt: skip
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
        out.extend(f"<p><b>SDK note:</b> {escape(note)}</p>" for note in scenario.get("sdk_notes", []))
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


def _unjudged(report: dict[str, Any]) -> list[str]:
    """Under the badge: each gated requirement no scenario judged, with its cause and what to change."""
    missing = report["summary"].get("gated_unjudged") or []
    if not missing:
        return []
    levels = {r["id"]: r["level"] for r in report["requirements"]}
    out = ['<h2 id="not-judged">Not judged</h2><ul class="why">']
    out += [f"<li><b>{escape(u['id'])}</b> ({escape(levels.get(u['id'], ''))}) {escape(u['outcome'].replace('_', ' '))} "
            f'in {u["tests"]} test{"" if u["tests"] == 1 else "s"}: <code class="cause">{escape(shorten(u["cause"], 240))}</code></li>'
            for u in missing]  # fmt: skip
    return [*out, "</ul>"]


def _failure(result: dict[str, Any], scenario: dict[str, Any] | None) -> str:
    """One test that failed or was not reached: its deciding line and re-run line first, then its timeline and
    evidence; long lines (generated bodies) and the HTTP exchanges folded."""
    head, _, exchanges = result["detail"].partition(f"\n{EXCHANGES}\n")
    rerun = _rerun(head)
    test, words = escape(result["test_id"]), escape(OUTCOMES[outcome_of(result["outcome"])].words)
    out = [f'<details open class="failure" id="t-{test}"><summary><b>{test}</b> ({words})</summary>',
           f'<p><code class="deciding">{escape(deciding(result["detail"]))}</code></p>']
    if rerun:
        out.append(f'<p><code class="rerun">{escape(rerun)}</code></p>')
    if scenario:
        out.append(render_timeline(scenario))
    out.append(_pre(head))
    if exchanges:
        out.append(f"<details><summary>{EXCHANGES[:-1]} ({len(exchanges.splitlines())})</summary>{_pre(exchanges)}</details>")
    return "".join(out) + "</details>"


_LEVELS = ("MUST", "SHOULD", "MAY")
_FIRST = (REFUSED, UNANSWERED)  # how a test's detail names the scenario's first refused or unanswered request


def _rank(report: dict[str, Any], requirement: str) -> tuple[int, int, str]:
    """Gated failures first, MUST before SHOULD, then by ID."""
    summary = report["summary"]
    level = next((r["level"] for r in report["requirements"] if r["id"] == requirement), "MAY")
    gated = requirement in summary.get("failed_requirements", []) or requirement in summary.get("unjudged_requirements", [])
    return (0 if gated else 1, _LEVELS.index(level) if level in _LEVELS else 3, requirement)


def _why(report: dict[str, Any], by_requirement: dict[str, list[dict[str, Any]]]) -> list[str]:
    """Under the badge: why the verdict is what it is (the failed gated requirements, each with one deciding line
    and its re-run line); on a conformant run, the findings below the gate."""
    summary = report["summary"]
    failed = set(summary.get("failed_requirements", []))
    ranked = sorted(by_requirement, key=lambda r: _rank(report, r))
    if summary["verdict"] == "conformant":
        title, shown = "Findings below the gate", [r for r in ranked if by_requirement[r][0]["outcome"] == "failed"]
    else:
        title, shown = "Why nonconformant", [r for r in ranked if r in failed]
    if not shown:
        return []
    out = [f'<h2 id="why">{title}</h2><ul class="why">']
    for requirement in shown:
        results = by_requirement[requirement]
        scenarios = {r["scenario"] for r in results}
        words = OUTCOMES[outcome_of(results[0]["outcome"])].words
        rerun = _rerun(results[0]["detail"])
        out.append(f'<li><a href="#r-{escape(requirement)}"><b>{escape(requirement)}</b></a> '
                   f"({escape(results[0]['level'])}) {escape(words)} in {len(scenarios)} "
                   f"{'scenario' if len(scenarios) == 1 else 'scenarios'}: "
                   f'<a href="#t-{escape(results[0]["test_id"])}">{escape(results[0]["scenario"])}</a>: '
                   f'<code class="deciding">{escape(deciding(results[0]["detail"]))}</code>'
                   + (f'<br><code class="rerun">{escape(rerun)}</code>' if rerun else "") + "</li>")  # fmt: skip
    return [*out, "</ul>"]


def _rerun(detail: str) -> str:
    """The detail's re-run line ("" if none)."""
    return next((line for line in detail.splitlines() if line.startswith(RERUN)), "")


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
