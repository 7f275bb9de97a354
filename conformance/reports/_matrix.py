"""Several reports side by side: servers x requirements, with each server's conformance level."""

from __future__ import annotations

import re
from html import escape
from pathlib import Path
from typing import Any

from conformance.core.outcomes import OUTCOMES, outcome_of
from conformance.reports._html import STYLE
from conformance.reports._text import COUNTS_HEADER, counts_cells, server_name

__all__ = ["conformance_level", "family", "label", "ordered", "render_matrix_html", "render_matrix_markdown", "version_of"]

_VERSIONED = re.compile(r"^(?P<family>.+?)-(?P<version>\d[\w.]*)$")


def family(name: str) -> str:
    """The server a report's name names: ``reference`` for ``reference-0.16.7`` (a name ending ``-VERSION``)."""
    found = _VERSIONED.match(name)
    return found["family"] if found else name


def ordered(reports: list[tuple[str, dict[str, Any]]]) -> list[tuple[str, dict[str, Any]]]:
    """By server, each server's versions side by side, oldest first (``reference-0.2.125`` before ``-0.10.3``)."""
    return sorted(reports, key=lambda r: (family(r[0]), tuple(int(n) for n in re.findall(r"\d+", version_of(r[1])))))


def _mark(outcome: str | None) -> str:
    return OUTCOMES[outcome_of(outcome)].matrix if outcome else "-"


def conformance_level(report: dict[str, Any]) -> str:
    """``fails MUST`` (proven, whatever else happened); ``N of M MUST judged`` where a harness error, a skip or a
    scenario that did not reach it left one unjudged (none failed); else ``all MUST`` or ``all MUST and SHOULD``."""
    outcomes = {(r["level"], outcome_of(r["outcome"])) for r in report["requirements"]}
    if ("MUST", "failed") in outcomes:
        return "fails MUST"
    musts = [outcome_of(r["outcome"]) for r in report["requirements"] if r["level"] == "MUST"]
    judged = sum(outcome == "passed" for outcome in musts)
    if not musts:
        return "nothing judged"
    if report.get("harness_error") or judged < len(musts):
        return f"{judged} of {len(musts)} MUST judged"
    if {("SHOULD", "failed"), ("SHOULD", "not_reached"), ("SHOULD", "skipped")} & outcomes:
        return "all MUST"
    return "all MUST and SHOULD"


def _columns(reports: list[tuple[str, dict[str, Any]]]) -> tuple[list[tuple[str, str]], dict[str, dict[str, str]]]:
    """Requirement rows (ID, level) in catalog order, and per server ID -> outcome."""
    rows: dict[str, str] = {}
    cells: dict[str, dict[str, str]] = {}
    for name, report in reports:
        cells[name] = {}
        for req in report["requirements"]:
            rows.setdefault(req["id"], req["level"])
            cells[name][req["id"]] = req["outcome"]
    return list(rows.items()), cells


def label(path: Path, report: dict[str, Any]) -> str:
    """A column name: the report's directory name, else what the server says it is."""
    return path.parent.name if path.name == "report.json" and path.parent.name else server_name(report)


def version_of(report: dict[str, Any]) -> str:
    """What the server says it is (its /info version), never the ephemeral URL it had."""
    info = report["target"].get("info") or {}
    return f"{'langgraph-api ' if report['target'].get('embedded') else ''}{info.get('version') or '?'}"


def _why(report: dict[str, Any]) -> str:
    """For a session that ended in error, why, in a few words."""
    error = report.get("harness_error") or ""
    if not error and report["summary"]["verdict"] == "error":
        error = "no scenario reached " + ", ".join(report["summary"].get("unjudged_requirements", [])[:3])
    return (error[:90] + "...") if len(error) > 90 else error


def _cell(outcome: str | None, name: str, req_id: str, links: dict[str, str] | None, anchors: bool) -> str:
    """A cell's mark; where it failed or was not reached, linked to the evidence (``anchors``)."""
    if anchors and links and name in links and outcome and outcome_of(outcome) in ("failed", "not_reached"):
        return f'<a href="{escape(links[name])}#r-{escape(req_id)}">{_mark(outcome)}</a>'
    return _mark(outcome)


def render_matrix_markdown(reports: list[tuple[str, dict[str, Any]]], links: dict[str, str] | None = None) -> str:
    """The matrix as Markdown; ``links``: each server's report, relative to where the matrix is written."""
    rows, cells = _columns(reports)
    names = [name for name, _ in reports]
    lines = ["# Conformance matrix", "", f"| server | version | verdict | conformance level | {COUNTS_HEADER} | why, if error |",
             "|---|---|---|---|---|---|"]  # fmt: skip
    for name, report in reports:
        s = report["summary"]
        shown = f"[{name}]({links[name]})" if links and name in links else name
        lines.append(f"| {shown} | {version_of(report)} | {s['verdict']} | {conformance_level(report)} | "
                     f"{counts_cells(report)} | {_why(report).replace('|', '/')} |")  # fmt: skip
    lines += ["", "| requirement | level | " + " | ".join(names) + " |", "|---|---|" + "---|" * len(names)]
    for req_id, level in rows:
        lines.append(f"| {req_id} | {level} | " + " | ".join(_mark(cells[n].get(req_id)) for n in names) + " |")
    return "\n".join(lines) + "\n"


def render_matrix_html(reports: list[tuple[str, dict[str, Any]]], links: dict[str, str] | None = None,
                       anchors: bool = False) -> str:  # fmt: skip
    """The matrix as one self-contained HTML page; ``anchors``: the ``links`` are report.html pages, and a failed or
    unreached cell links its requirement's evidence there."""
    rows, cells = _columns(reports)
    names = [name for name, _ in reports]
    out = [f"<!doctype html><html lang=en><head><meta charset=utf-8><title>Conformance matrix</title><style>{STYLE}</style>"
           "</head><body><h1>Conformance matrix</h1><table><tr><th>server</th><th>version</th><th>verdict</th>"
           f"<th>conformance level</th><th>{COUNTS_HEADER}</th><th>why, if error</th></tr>"]  # fmt: skip
    for name, report in reports:
        s = report["summary"]
        shown = f'<a href="{escape(links[name])}">{escape(name)}</a>' if links and name in links else escape(name)
        out.append(f'<tr><td>{shown}</td><td>{escape(version_of(report))}</td><td class="{escape(s["verdict"])}">'
                   f"{escape(s['verdict'])}</td><td>{escape(conformance_level(report))}</td>"
                   f"<td>{counts_cells(report)}</td><td>{escape(_why(report))}</td></tr>")  # fmt: skip
    out.append("</table><h2>Requirements</h2><table><tr><th>requirement</th><th>level</th>"
               + "".join(f"<th>{escape(n)}</th>" for n in names) + "</tr>")  # fmt: skip
    for req_id, level in rows:
        tds = "".join(f'<td class="{OUTCOMES[outcome_of(o)].css if o else ""}">{_cell(o, n, req_id, links, anchors)}</td>'
                      for n, o in ((n, cells[n].get(req_id)) for n in names))  # fmt: skip
        out.append(f"<tr><td>{escape(req_id)}</td><td>{escape(level)}</td>{tds}</tr>")
    out.append("</table></body></html>")
    return "\n".join(out) + "\n"
