"""Where the fixture project (the LangGraph graph the target must serve) lives."""

from __future__ import annotations

from pathlib import Path

__all__ = ["fixtures_dir"]


def fixtures_dir() -> Path:
    """The fixture project: packaged in the wheel, or ``fixtures/`` of a source checkout."""
    package = Path(__file__).resolve().parent.parent  # conformance/
    for candidate in (package / "_fixtures", package.parent / "fixtures"):
        if (candidate / "langgraph.json").is_file():
            return candidate
    raise FileNotFoundError("the fixture project is missing from this installation (reinstall the package)")
