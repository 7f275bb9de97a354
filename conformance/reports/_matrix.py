"""Several reports side by side: servers x requirements, with each server's conformance level."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from conformance.reports._html import STYLE
from conformance.reports._text import server_name

__all__ = ["conformance_level", "render_matrix_html", "render_matrix_markdown"]

MARK = {"passed": "pass", "failed": "FAIL", "skipped": "skip", "error": "ERROR", None: "-"}


def conformance_level(report: dict[str, Any]) -> str:
    """``all MUST and SHOULD``, ``all MUST``, ``fails MUST``, or ``incomplete`` (errors, or MUST left unchecked)."""
    if report.get("harness_error") or report["summary"]["errors"]:
        return "incomplete"
    outcomes = {(r["level"], r["outcome"]) for r in report["requirements"]}
    if ("MUST", "failed") in outcomes:
        return "fails MUST"
    if ("MUST", "skipped") in outcomes or not any(level == "MUST" for level, _ in outcomes):
        return "incomplete"
    if ("SHOULD", "failed") in outcomes or ("SHOULD", "skipped") in outcomes:
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


def render_matrix_markdown(reports: list[tuple[str, dict[str, Any]]]) -> str:
    """The matrix as Markdown."""
    rows, cells = _columns(reports)
    names = [name for name, _ in reports]
    lines = ["# Conformance matrix", "", "| server | target | verdict | conformance level | passed/failed/skipped/errors |",
             "|---|---|---|---|---|"]  # fmt: skip
    for name, report in reports:
        s = report["summary"]
        lines.append(f"| {name} | {server_name(report)} | {s['verdict']} | {conformance_level(report)} | "
                     f"{s['passed']}/{s['failed']}/{s['skipped']}/{s['errors']} |")  # fmt: skip
    lines += ["", "| requirement | level | " + " | ".join(names) + " |", "|---|---|" + "---|" * len(names)]
    for req_id, level in rows:
        lines.append(f"| {req_id} | {level} | " + " | ".join(MARK[cells[n].get(req_id)] for n in names) + " |")
    return "\n".join(lines) + "\n"


def render_matrix_html(reports: list[tuple[str, dict[str, Any]]]) -> str:
    """The matrix as one self-contained HTML page."""
    rows, cells = _columns(reports)
    names = [name for name, _ in reports]
    out = [f"<!doctype html><html lang=en><head><meta charset=utf-8><title>Conformance matrix</title><style>{STYLE}</style>"
           "</head><body><h1>Conformance matrix</h1><table><tr><th>server</th><th>target</th><th>verdict</th>"
           "<th>conformance level</th><th>passed/failed/skipped/errors</th></tr>"]  # fmt: skip
    for name, report in reports:
        s = report["summary"]
        out.append(f'<tr><td>{escape(name)}</td><td>{escape(server_name(report))}</td><td class="{escape(s["verdict"])}">'
                   f"{escape(s['verdict'])}</td><td>{escape(conformance_level(report))}</td>"
                   f"<td>{s['passed']}/{s['failed']}/{s['skipped']}/{s['errors']}</td></tr>")  # fmt: skip
    out.append("</table><h2>Requirements</h2><table><tr><th>requirement</th><th>level</th>"
               + "".join(f"<th>{escape(n)}</th>" for n in names) + "</tr>")  # fmt: skip
    for req_id, level in rows:
        tds = "".join(f'<td class="{escape(o or "")}">{MARK[o]}</td>' for o in (cells[n].get(req_id) for n in names))
        out.append(f"<tr><td>{escape(req_id)}</td><td>{escape(level)}</td>{tds}</tr>")
    out.append("</table></body></html>")
    return "\n".join(out) + "\n"
