"""langgraph-conformance: a conformance suite for LangGraph Agent Server HTTP APIs."""

from __future__ import annotations

import os
from importlib.metadata import version
from pathlib import Path

# schemathesis imports hypothesis, which writes its Unicode tables into ./.hypothesis/ as it is imported:
# into the user's cache instead (before anything imports it), so that a run leaves nothing where it starts.
os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", str(Path.home() / ".cache" / "langgraph-conformance" / "hypothesis"))

from conformance.core.errors import Deviation, HarnessError
from conformance.requirements import REQUIREMENTS, Level, Requirement
from conformance.scenarios import CASES, SCENARIOS, Case

__all__ = [
    "CASES",
    "REQUIREMENTS",
    "SCENARIOS",
    "Case",
    "Deviation",
    "HarnessError",
    "Level",
    "Requirement",
    "__version__",
]

__version__ = version("langgraph-conformance")
