"""The one place that turns test outcomes into a verdict and an exit code."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Literal

from conformance.requirements import Level

__all__ = ["EXIT_CODES", "GATE_LEVELS", "Verdict", "verdict"]

Verdict = Literal["conformant", "nonconformant", "error"]

EXIT_CODES: dict[Verdict, int] = {"conformant": 0, "nonconformant": 1, "error": 2}
GATE_LEVELS: dict[str, frozenset[Level]] = {
    "must": frozenset({Level.MUST}),
    "should": frozenset({Level.MUST, Level.SHOULD}),
}


def verdict(
    outcomes: Iterable[tuple[str, Level]], *, harness_error: bool, gate: Collection[Level] = GATE_LEVELS["must"]
) -> Verdict:
    """``error`` if the suite could not test (or verified nothing); else failures at gated levels decide."""
    seen = list(outcomes)
    if harness_error or any(outcome == "error" for outcome, _ in seen):
        return "error"
    if not any(outcome == "passed" for outcome, _ in seen):
        return "error"
    if any(outcome == "failed" and level in gate for outcome, level in seen):
        return "nonconformant"
    return "conformant"
