"""Where the fixture project (the LangGraph graph the target must serve) lives."""

from __future__ import annotations

from pathlib import Path

__all__ = ["FIXTURE_VERSION", "SLOW_START_GRAPH", "fixtures_dir"]

SLOW_START_GRAPH = ("agent-slow-start", "./graph.py:slow_start")
"""The second graph: the fixture built by a graph factory for each run (the starting situation, the race lane's
``unheld``); a target that serves no factory skips what needs it."""
FIXTURE_VERSION = 2
"""The fixture's ``FIXTURE_VERSION`` this suite needs (``fixtures/graph.py``): the probe reads the deployed one."""


def fixtures_dir() -> Path:
    """The fixture project: packaged in the wheel, or ``fixtures/`` of a source checkout."""
    package = Path(__file__).resolve().parent.parent  # conformance/
    for candidate in (package / "_fixtures", package.parent / "fixtures"):
        if (candidate / "langgraph.json").is_file():
            return candidate
    raise FileNotFoundError("the fixture project is missing from this installation (reinstall the package)")

