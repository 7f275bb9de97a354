"""``report.json``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

__all__ = ["read_json", "write_json"]


def write_json(report: dict[str, Any], path: Path) -> None:
    """Write the report model as it is, keys sorted (a slim report on one line, to stay small)."""
    indent = None if report.get("slim") else 2
    path.write_text(json.dumps(report, indent=indent, sort_keys=True) + "\n")


READABLE = (1, 2)
"""The schema versions the reports can be rendered from (1 named "not reached" "error": ``conformance.core.outcomes``)."""


def read_json(path: Path) -> dict[str, Any]:
    """Read a ``report.json`` of a schema the formats can render."""
    report = json.loads(path.read_text())
    if not isinstance(report, dict) or report.get("schema_version") not in READABLE:
        raise ValueError(f"{path} is not a langgraph-conformance report (schema_version {' or '.join(map(str, READABLE))})")
    return report
