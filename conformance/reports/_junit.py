"""``junit.xml``: one testcase per test, for CI systems that read JUnit."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from conformance.core.outcomes import OUTCOMES, outcome_of, summary_counts
from conformance.reports._text import coverage, server_name
from conformance.session.gate import Gate

__all__ = ["render_junit", "write_junit"]


def render_junit(report: dict[str, Any]) -> str:
    """The report as JUnit XML: a failure below the gate (or one the baseline expects) is a finding, not a
    ``<failure>``: its testcase carries ``<property name="finding">`` and the evidence in ``<system-out>``."""
    gate = Gate(report["gate"]["level"], report["gate"]["baseline"])
    counts = summary_counts(report["summary"])
    findings = [r for r in report["results"] if outcome_of(r["outcome"]) == "failed" and not gate.gates(r["requirement"], r["level"])]
    suite = ET.Element("testsuite", name="langgraph-conformance", tests=str(len(report["results"])),
                       failures=str(counts["failed"] - len(findings)), errors=str(counts["not_reached"]),
                       skipped=str(counts["skipped"]), time=f"{report.get('duration_s', 0.0):.3f}")  # fmt: skip
    props = ET.SubElement(suite, "properties")
    for name, value in (("target", server_name(report)), ("suite_version", report["suite"]["version"]),
                        ("verdict", report["summary"]["verdict"]), ("harness_error", report.get("harness_error") or ""),
                        ("findings", str(len(findings))), ("coverage", coverage(report)),
                        ("not_judged", "; ".join(f"{u['id']} ({u['outcome']}): {u['cause']}"
                                                 for u in report["summary"].get("gated_unjudged", [])))):  # fmt: skip
        ET.SubElement(props, "property", name=name, value=value)
    for result in report["results"]:
        case = ET.SubElement(suite, "testcase", classname=f"conformance.{result['scenario']}",
                             name=f"{result['requirement']} [{result['level']}]", time=f"{result['duration_s']:.3f}")  # fmt: skip
        outcome = outcome_of(result["outcome"])
        first = (result["detail"].splitlines() or [OUTCOMES[outcome].words])[0][:200]
        if result in findings:
            why = "expected by the baseline" if result["requirement"] in gate.baseline else "below the gate's level"
            ET.SubElement(ET.SubElement(case, "properties"), "property", name="finding", value=f"{why}: {first}")
            ET.SubElement(case, "system-out").text = result["detail"]
            continue
        tag = OUTCOMES[outcome].junit
        if tag:
            element = ET.SubElement(case, tag, message=first, **({"type": "not-reached"} if outcome == "not_reached" else {}))
            element.text = result["detail"]
    ET.indent(suite)
    return ET.tostring(suite, encoding="unicode", xml_declaration=True) + "\n"


def write_junit(report: dict[str, Any], path: Path) -> None:
    """Write ``junit.xml``."""
    path.write_text(render_junit(report))
