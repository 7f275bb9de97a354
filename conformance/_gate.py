"""The gate: the one place that turns test outcomes into a verdict and an exit code.

``--level`` picks which failures count; a baseline lists expected failures (ID -> reason)
that do not; a baseline entry whose requirement now passes is stale, and fails the run
with ``--strict-baseline``.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from conformance._errors import HarnessError
from conformance.requirements import REQUIREMENTS, Level

__all__ = ["EXIT_CODES", "LEVELS", "Decision", "Gate", "Verdict", "decide", "load_baseline"]

Verdict = Literal["conformant", "nonconformant", "error", "interrupted"]

EXIT_CODES: dict[Verdict, int] = {"conformant": 0, "nonconformant": 1, "error": 2, "interrupted": 3}
LEVELS: dict[str, frozenset[Level]] = {
    "must": frozenset({Level.MUST}),
    "should": frozenset({Level.MUST, Level.SHOULD}),
}


@dataclass(frozen=True)
class Gate:
    """What fails a run."""

    level: str = "must"
    baseline: Mapping[str, str] = field(default_factory=dict)
    strict_baseline: bool = False


@dataclass(frozen=True)
class Decision:
    """The verdict, its exit code, and what the baseline did."""

    verdict: Verdict
    stale: tuple[str, ...] = ()
    excused: tuple[str, ...] = ()

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self.verdict]


def load_baseline(path: Path) -> dict[str, str]:
    """Read ``[expected_failures]`` (``ID = "reason"``) from a TOML file; unknown IDs are a harness error."""
    try:
        data = tomllib.loads(path.read_text())
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise HarnessError(f"cannot read the baseline {path}: {exc}") from None
    entries = data.get("expected_failures")
    if not isinstance(entries, dict) or not all(isinstance(v, str) and v for v in entries.values()):
        raise HarnessError(f'the baseline {path} needs a table [expected_failures] of ID = "reason"')
    unknown = sorted(set(entries) - set(REQUIREMENTS))
    if unknown:
        raise HarnessError(f"the baseline {path} names unknown requirement IDs: {', '.join(unknown)}")
    return dict(entries)


def decide(
    outcomes: Iterable[tuple[str, str]], *, harness_error: bool, gate: Gate = Gate(), interrupted: bool = False
) -> Decision:
    """Judge ``(requirement ID, outcome)`` pairs under ``gate``; a session stopped by a signal is ``interrupted``."""
    seen = list(outcomes)
    failed = {req for req, outcome in seen if outcome == "failed"}
    passed = {req for req, outcome in seen if outcome == "passed"}
    stale = tuple(sorted(req for req in gate.baseline if req in passed and req not in failed))
    excused = tuple(sorted(failed & set(gate.baseline)))
    if interrupted:
        return Decision("interrupted", stale, excused)
    if harness_error or any(outcome == "error" for _, outcome in seen) or not passed:
        return Decision("error", stale, excused)
    gated = {req for req in failed - set(gate.baseline) if REQUIREMENTS[req].level in LEVELS[gate.level]}
    if gated or (gate.strict_baseline and stale):
        return Decision("nonconformant", stale, excused)
    return Decision("conformant", stale, excused)
