"""A static site of several reports, to publish as is or open from disk: an index of every server with its verdict
and badge, the servers x requirements grid (each failed or unreached cell linking its evidence), one page per server,
each server's versions side by side, and an SVG badge per server. Relative links only, no external assets."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from conformance.reports._html import STYLE, render_html
from conformance.reports._json import read_json
from conformance.reports._matrix import conformance_level, family, label, ordered, render_matrix_html, version_of

__all__ = ["badge", "gated_passed", "write_site"]

COLOURS = {"conformant": "#2e7d32", "nonconformant": "#c62828", "error": "#ef6c00", "interrupted": "#6d4c41"}


def gated_passed(report: dict[str, Any]) -> tuple[int, int, str]:
    """The gated requirements the session passed, those it selected, and the gate's words (``MUST``)."""
    levels = ("MUST",) if report["gate"]["level"] == "must" else ("MUST", "SHOULD")
    gated = [r for r in report["requirements"] if r["level"] in levels]
    return sum(r["outcome"] == "passed" for r in gated), len(gated), "+".join(levels)


def badge(report: dict[str, Any]) -> str:
    """``LangGraph conformance | 46/50 MUST``, in the style of the shields badges, coloured by the verdict."""
    passed, selected, words = gated_passed(report)
    left, right = "LangGraph conformance", f"{passed}/{selected} {words}"
    lw, rw = 10 + 6 * len(left), 10 + 6 * len(right)
    colour = COLOURS.get(report["summary"]["verdict"], "#555")
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{lw + rw}" height="20" role="img" '
            f'aria-label="{escape(left)}: {escape(right)}"><title>{escape(left)}: {escape(right)}</title>'
            f'<rect width="{lw}" height="20" fill="#555"/><rect x="{lw}" width="{rw}" height="20" fill="{colour}"/>'
            '<g fill="#fff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11" text-anchor="middle">'
            f'<text x="{lw / 2}" y="14">{escape(left)}</text><text x="{lw + rw / 2}" y="14">{escape(right)}</text>'
            "</g></svg>\n")  # fmt: skip


def write_site(paths: list[Path], out: Path) -> Path:
    """Write the site of the ``report.json`` files ``paths`` into ``out``; the path of its index."""
    reports = ordered([(label(path, report), report) for path in paths for report in [read_json(path)]])
    for folder in ("servers", "badges"):
        (out / folder).mkdir(parents=True, exist_ok=True)
    for name, report in reports:
        (out / "servers" / f"{name}.html").write_text(render_html(report))
        (out / "badges" / f"{name}.svg").write_text(badge(report))
    pages = {name: f"servers/{name}.html" for name, _ in reports}
    (out / "grid.html").write_text(render_matrix_html(reports, pages, anchors=True))
    (out / "versions.html").write_text(_page("Versions side by side", _versions(reports)))
    (out / "index.html").write_text(_page("LangGraph Agent Server conformance", _index(reports)))
    return out / "index.html"


def _page(title: str, body: list[str]) -> str:
    return (f"<!doctype html><html lang=en><head><meta charset=utf-8><title>{escape(title)}</title><style>{STYLE}"
            f"</style></head><body><h1>{escape(title)}</h1>\n" + "\n".join(body) + "\n</body></html>\n")  # fmt: skip


def _index(reports: list[tuple[str, dict[str, Any]]]) -> list[str]:
    out = ['<p><a href="grid.html">servers x requirements</a> | <a href="versions.html">versions side by side</a></p>',
           ('<table id="servers"><tr><th>badge</th><th>server</th><th>version</th><th>verdict</th>'
            "<th>passed / gated selected</th><th>conformance level</th><th>date</th><th>suite</th></tr>")]  # fmt: skip
    for name, report in reports:
        passed, selected, words = gated_passed(report)
        verdict = report["summary"]["verdict"]
        suite = report["suite"]
        commit = suite.get("commit") or (report.get("produced_by") or {}).get("commit")
        made = " ".join(str(v) for v in (suite.get("version"), commit) if v)
        out.append(f'<tr><td><img src="badges/{escape(name)}.svg" alt="{passed}/{selected} {words}"></td>'
                   f'<td><a href="servers/{escape(name)}.html">{escape(name)}</a></td><td>{escape(version_of(report))}</td>'
                   f'<td><span class="verdict {escape(verdict)}">{escape(verdict)}</span></td>'
                   f"<td>{passed} / {selected} {words}</td><td>{escape(conformance_level(report))}</td>"
                   f"<td>{escape(str(report.get('started_at', ''))[:10])}</td><td>{escape(made)}</td></tr>")  # fmt: skip
    out.append("</table>")
    return out


def _versions(reports: list[tuple[str, dict[str, Any]]]) -> list[str]:
    """Each server with more than one version among the reports: its versions in a row each, oldest first."""
    families: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for name, report in reports:
        families.setdefault(family(name), []).append((name, report))
    out: list[str] = []
    for server, members in families.items():
        if len(members) < 2:
            continue
        out.append(f"<h2>{escape(server)}</h2><table><tr><th>report</th><th>version</th><th>verdict</th>"
                   "<th>passed / gated selected</th><th>failed gated requirements</th></tr>")  # fmt: skip
        for name, report in members:
            passed, selected, words = gated_passed(report)
            failed = ", ".join(report["summary"].get("failed_requirements", [])) or "-"
            out.append(f'<tr><td><a href="servers/{escape(name)}.html">{escape(name)}</a></td>'
                       f"<td>{escape(version_of(report))}</td><td>{escape(report['summary']['verdict'])}</td>"
                       f"<td>{passed} / {selected} {words}</td><td>{escape(failed)}</td></tr>")  # fmt: skip
        out.append("</table>")
    return out or ["<p>No server has more than one version among these reports.</p>"]
