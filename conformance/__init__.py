"""langgraph-conformance: a conformance suite for LangGraph Agent Server HTTP APIs."""

from __future__ import annotations

from importlib.metadata import version

from conformance._errors import Deviation, HarnessError
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
