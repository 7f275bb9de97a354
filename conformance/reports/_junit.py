"""``junit.xml``: one testcase per test, for CI systems that read JUnit."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from conformance._outcomes import OUTCOMES, outcome_of, summary_counts
from conformance.reports._text import server_name

__all__ = ["render_junit", "write_junit"]


def render_junit(report: dict[str, Any]) -> str:
    """The report as JUnit XML."""
    s = report["summary"]
    counts = summary_counts(s)
    suite = ET.Element("testsuite", name="langgraph-conformance", tests=str(len(report["results"])),
                       failures=str(counts["failed"]), errors=str(counts["not_reached"]), skipped=str(counts["skipped"]),
                       time=f"{sum(r['duration_s'] for r in report['results']):.3f}")  # fmt: skip
    props = ET.SubElement(suite, "properties")
    for name, value in (("target", server_name(report)), ("suite_version", report["suite"]["version"]),
                        ("verdict", s["verdict"]), ("harness_error", report.get("harness_error") or "")):  # fmt: skip
        ET.SubElement(props, "property", name=name, value=value)
    for result in report["results"]:
        case = ET.SubElement(suite, "testcase", classname=f"conformance.{result['scenario']}",
                             name=f"{result['requirement']} [{result['level']}]", time=f"{result['duration_s']:.3f}")  # fmt: skip
        outcome = outcome_of(result["outcome"])
        tag = OUTCOMES[outcome].junit
        if tag:
            first = (result["detail"].splitlines() or [OUTCOMES[outcome].words])[0][:200]
            element = ET.SubElement(case, tag, message=first, **({"type": "not-reached"} if outcome == "not_reached" else {}))
            element.text = result["detail"]
    ET.indent(suite)
    return ET.tostring(suite, encoding="unicode", xml_declaration=True) + "\n"


def write_junit(report: dict[str, Any], path: Path) -> None:
    """Write ``junit.xml``."""
    path.write_text(render_junit(report))
