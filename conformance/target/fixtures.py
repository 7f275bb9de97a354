"""Where the fixture project (the LangGraph graph the target must serve) lives."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

__all__ = ["FIXTURE_VERSION", "SLOW_START_GRAPH", "fixture_digest", "fixtures_dir", "suite_commit"]

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



def fixture_digest() -> str:
    """The first 16 hex digits of the SHA-256 over the bundled fixture's graph and its JS twin: what a report
    compared with another was checked against."""
    digest = hashlib.sha256()
    for name in ("graph.py", "js/agent.ts"):
        path = fixtures_dir() / name
        digest.update(path.read_bytes() if path.is_file() else b"")
    return digest.hexdigest()[:16]


def suite_commit() -> str | None:
    """The git commit of the suite's source, where it runs from a checkout (an installed wheel has none); ``+dirty``
    where the suite's own files differ from it (a report of uncommitted code must not pass for the commit's)."""
    here = Path(__file__).resolve().parent
    if "site-packages" in here.parts:
        return None
    try:
        done = subprocess.run(["git", "-C", str(here), "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, timeout=5, check=False)  # fmt: skip
        changed = subprocess.run(["git", "-C", str(here.parent), "status", "--porcelain", "--", "."],
                                 capture_output=True, text=True, timeout=5, check=False)  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return None
    commit = done.stdout.strip() if done.returncode == 0 else ""
    return f"{commit}{'+dirty' if changed.stdout.strip() else ''}" if commit else None
