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

from conformance.core.errors import HarnessError
from conformance.requirements import REQUIREMENTS, Level

__all__ = ["EXIT_CODES", "LEVELS", "USAGE_ERROR", "Decision", "Gate", "Verdict", "decide", "load_baseline"]

Verdict = Literal["conformant", "nonconformant", "error", "interrupted"]

EXIT_CODES: dict[Verdict, int] = {"conformant": 0, "nonconformant": 1, "error": 2, "interrupted": 3}
USAGE_ERROR = 4
"""The exit code of an invalid invocation (a bad option value), before anything runs: pytest's own."""
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

    def gates(self, requirement: str, level: str) -> bool:
        """Whether a failure of ``requirement`` (at ``level``, as a report names it) counts against the verdict."""
        return level in {lv.value for lv in LEVELS[self.level]} and requirement not in self.baseline


@dataclass(frozen=True)
class Decision:
    """The verdict, its exit code, what the baseline did, and what the gate could not judge."""

    verdict: Verdict
    stale: tuple[str, ...] = ()
    excused: tuple[str, ...] = ()
    failed: tuple[str, ...] = ()
    """Gated requirements that failed with evidence (the baseline's excused ones aside)."""
    unjudged: tuple[str, ...] = ()
    """Gated requirements that no scenario judged: each was not reached wherever it was selected."""
    skipped: tuple[str, ...] = ()
    """Requirements skipped in every scenario (a capability the target lacks)."""
    gated: tuple[str, ...] = ()
    """The gated requirements the session selected: what a ``conformant`` covers where each was judged."""

    @property
    def judged(self) -> tuple[str, ...]:
        """Gated requirements with evidence: passed or failed in at least one scenario."""
        return tuple(r for r in self.gated if r not in self.unjudged and r not in self.skipped)

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
    """Judge ``(requirement ID, outcome)`` pairs under ``gate``; a session stopped by a signal is ``interrupted``.

    Evidence decides first: a gated requirement that failed in any scenario makes the session
    ``nonconformant``, whatever else could not be judged. Otherwise ``conformant`` needs every
    selected gated requirement that was not skipped everywhere to have passed in at least one
    scenario (a scenario that did not reach it is no evidence either way); one that no scenario
    judged, a harness error, or nothing verified at all makes the session ``error``.
    """
    by_requirement: dict[str, set[str]] = {}
    for req, outcome in outcomes:
        by_requirement.setdefault(req, set()).add(outcome)
    gated = {req for req in by_requirement if REQUIREMENTS[req].level in LEVELS[gate.level]}
    failed = {req for req, seen in by_requirement.items() if "failed" in seen}
    passed = {req for req, seen in by_requirement.items() if "passed" in seen}
    skipped = tuple(sorted(req for req, seen in by_requirement.items() if seen == {"skipped"}))
    stale = tuple(sorted(req for req in gate.baseline if req in passed and req not in failed))
    excused = tuple(sorted(failed & set(gate.baseline)))
    proven = tuple(sorted((failed & gated) - set(gate.baseline)))
    unjudged = tuple(sorted(gated - passed - failed - set(skipped)))
    found = {"stale": stale, "excused": excused, "failed": proven, "unjudged": unjudged, "skipped": skipped,
             "gated": tuple(sorted(gated))}
    if interrupted:
        return Decision("interrupted", **found)
    if proven or (gate.strict_baseline and stale):
        return Decision("nonconformant", **found)
    if harness_error or unjudged or not passed:
        return Decision("error", **found)
    return Decision("conformant", **found)
