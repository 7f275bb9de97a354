"""Reports: one model (``report.json``), written as JSON, Markdown, HTML and JUnit; matrices across servers."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from conformance.reports._baseline import render_baseline
from conformance.reports._catalog import render_catalog
from conformance.reports._diff import Diff, diff_reports, render_diff
from conformance.reports._html import render_html, write_html
from conformance.reports._json import read_json, write_json
from conformance.reports._junit import render_junit, write_junit
from conformance.reports._markdown import render_markdown, render_summary, write_markdown
from conformance.reports._matrix import conformance_level, label, ordered, render_matrix_html, render_matrix_markdown
from conformance.reports._model import SCHEMA_VERSION, RunRecord, TestRecord, build_report
from conformance.reports._site import write_site
from conformance.reports._slim import headlines, slim_report

__all__ = [
    "SCHEMA_VERSION",
    "Diff",
    "RunRecord",
    "TestRecord",
    "build_report",
    "conformance_level",
    "diff_reports",
    "headlines",
    "read_json",
    "render_baseline",
    "render_catalog",
    "render_diff",
    "render_html",
    "render_junit",
    "render_markdown",
    "render_summary",
    "slim_report",
    "write_html",
    "write_json",
    "write_markdown",
    "write_matrix",
    "write_reports",
    "write_site",
]

FILES = ("report.json", "report.md", "report.html", "junit.xml")


def write_reports(report: dict[str, Any], directory: Path) -> Path:
    """Write every format into ``directory``; the path of ``report.json``."""
    directory.mkdir(parents=True, exist_ok=True)
    write_json(report, directory / "report.json")
    write_markdown(report, directory / "report.md")
    write_html(report, directory / "report.html")
    write_junit(report, directory / "junit.xml")
    return directory / "report.json"


def write_matrix(paths: list[Path], directory: Path) -> tuple[Path, Path]:
    """Combine ``report.json`` files into ``matrix.md`` and ``matrix.html`` in ``directory``."""
    read = [(label(path, report), report) for path in paths for report in [read_json(path)]]
    reports = ordered(read)
    directory.mkdir(parents=True, exist_ok=True)
    links = {name: os.path.relpath(path.with_name("report.md"), directory) for (name, _), path in zip(read, paths)
             if path.with_name("report.md").exists()}  # fmt: skip
    md, html = directory / "matrix.md", directory / "matrix.html"
    md.write_text(render_matrix_markdown(reports, links))
    html.write_text(render_matrix_html(reports, links))
    return md, html
