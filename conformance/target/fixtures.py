"""Where the fixture project (the LangGraph graph the target must serve) lives."""

from __future__ import annotations

import json
from pathlib import Path

__all__ = ["SLOW_START_GRAPH", "fixtures_dir", "serve_slow_start"]

SLOW_START_GRAPH = ("agent-slow-start", "./graph.py:slow_start")
"""The optional second graph: the fixture, built slowly for each run (a graph factory; the race lane's ``unheld``)."""


def fixtures_dir() -> Path:
    """The fixture project: packaged in the wheel, or ``fixtures/`` of a source checkout."""
    package = Path(__file__).resolve().parent.parent  # conformance/
    for candidate in (package / "_fixtures", package.parent / "fixtures"):
        if (candidate / "langgraph.json").is_file():
            return candidate
    raise FileNotFoundError("the fixture project is missing from this installation (reinstall the package)")


def serve_slow_start(config: Path) -> None:
    """Add the slow-start graph to the ``langgraph.json`` at ``config`` (a copy of the fixture project)."""
    project = json.loads(config.read_text())
    name, path = SLOW_START_GRAPH
    project.setdefault("graphs", {})[name] = path
    config.write_text(json.dumps(project, indent=2) + "\n")
