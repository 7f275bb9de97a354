"""The one table of how each outcome of a requirement in a scenario is shown, in every format.

``passed``: the evidence it needs was seen and holds. ``failed``: evidence of a violation,
shown. ``not_reached``: the scenario never got to the situation, or the target showed no
evidence either way (the cause named): no verdict. ``skipped``: a capability the target
lacks, probed (with what to change). Only ``failed`` is a verdict against a server.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, get_args

from conformance.core.results import Outcome

__all__ = ["BELOW_GATE", "FINDING", "OUTCOMES", "Shown", "outcome_of", "summary_counts"]


@dataclass(frozen=True)
class Shown:
    """How one outcome appears in each format."""

    words: str
    """In Markdown, HTML, the terminal's lines and report.json's prose."""
    css: str
    """The HTML class of its cells."""
    matrix: str
    """Its cell in the matrix across servers."""
    junit: str
    """The element under a JUnit ``<testcase>`` ("" for none: a pass)."""
    pytest: str
    """How its pytest test ends: ``passed``, ``failed``, ``error`` (in set-up, never a verdict) or ``skipped``."""


OUTCOMES: dict[Outcome, Shown] = {
    "passed": Shown("passed", "passed", "pass", "", "passed"),
    "failed": Shown("failed", "failed", "FAIL", "failure", "failed"),
    "not_reached": Shown("not reached", "not-reached", "n/r", "error", "error"),
    "skipped": Shown("skipped", "skipped", "skip", "skipped", "skipped"),
}
assert tuple(OUTCOMES) == get_args(Outcome)

FINDING = Shown("failed (a finding below the gate)", "finding", "FAIL", "", "xfailed")
"""A ``failed`` below the gate's level, or one the baseline expects: pytest ends it as an expected failure and
counts it as ``below the gate`` (``x``), JUnit as a passed testcase with ``<property name="finding">`` and its
evidence in ``<system-out>`` (CI dashboards do not count it failed; it stays apart from a skip and from not
reached); the matrix shows the failure as it is. With ``--level should`` a SHOULD failure is a failure again."""

BELOW_GATE = "below the gate"
"""Failed tests the gate does not count (a lower level, or expected by the baseline), in every format's counts."""

_EARLIER = {"error": "not_reached"}  # report.json schema 1 named "not reached" "error"


def outcome_of(value: str) -> Outcome:
    """An outcome as a report of any schema version names it."""
    return _EARLIER.get(value, value)  # type: ignore[return-value]


def summary_counts(summary: dict[str, Any]) -> dict[Outcome, int]:
    """A report summary's count of each outcome (schema 1's ``errors`` read as not reached)."""
    return {outcome: int(summary.get(outcome, summary.get("errors", 0) if outcome == "not_reached" else 0))
            for outcome in OUTCOMES}  # fmt: skip
