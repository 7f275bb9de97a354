"""What a verdict covered: of the gated requirements the session selected, how many it judged, and for each
it could not judge, why (the reason most of its tests gave; a skip's reason names the remedy)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from conformance.core.results import NOT_REACHED
from conformance.session.gate import Decision

__all__ = ["Unjudged", "coverage_line", "reason", "shorten", "unjudged"]

_CHECK_NOT_REACHED = ": not reached: "
"""How a test's detail says one of its checks was not reached: ``CHECK: not reached: WHY``."""
_GATED_WORDS = {"must": "MUST", "should": "MUST and SHOULD"}


@dataclass(frozen=True)
class Unjudged:
    """A gated requirement no scenario judged."""

    requirement: str
    outcome: str
    """What most of its tests ended: ``skipped`` (a capability the target lacks) or ``not_reached``."""
    cause: str
    """The reason most of its tests gave, whole."""
    tests: int


def reason(detail: str) -> str:
    """A test's reason: the first line of its detail, without the words that say it was not reached (nor the check
    before them, where one check was: what stopped it is the reason)."""
    first = next((line for line in detail.splitlines() if line.strip()), "").removeprefix(NOT_REACHED)
    return first.partition(_CHECK_NOT_REACHED)[2] or first


def shorten(text: str, limit: int = 110) -> str:
    """``text`` within ``limit`` characters: asides in parentheses dropped first (but the last, often the remedy),
    then cut at a word, marked with an ellipsis."""
    while len(text) > limit and (aside := _aside(text)) is not None:
        text = text[: aside[0]].rstrip() + text[aside[1]:]
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:(") + " ..."


def _aside(text: str) -> tuple[int, int] | None:
    """The span of the first balanced ``(...)`` that more text follows, or None."""
    depth, start = 0, 0
    for i, char in enumerate(text):
        if char == "(":
            depth, start = depth + 1, i if depth == 0 else start
        elif char == ")" and depth:
            depth -= 1
            if depth == 0 and text[i + 1:].strip():
                return start, i + 1
    return None


def unjudged(decision: Decision, tests: Iterable[tuple[str, str, str]]) -> list[Unjudged]:
    """Each gated requirement the session could not judge, with its cause; ``tests``: (requirement, outcome,
    detail). Those with most tests first."""
    missing = set(decision.gated) - set(decision.judged)
    reasons: dict[str, Counter[tuple[str, str]]] = {req: Counter() for req in missing}
    for requirement, outcome, detail in tests:
        if requirement in missing:
            reasons[requirement][(outcome, reason(detail))] += 1

    def most(req: str, seen: Counter[tuple[str, str]]) -> tuple[str, str]:
        """The outcome and reason most of its tests gave (an outcome the gate counts it under where none did)."""
        if seen:
            return seen.most_common(1)[0][0]
        return "not_reached" if req in decision.unjudged else "skipped", ""

    found = [Unjudged(req, *most(req, seen), sum(seen.values())) for req, seen in reasons.items()]
    return sorted(found, key=lambda u: (-u.tests, u.requirement))


def coverage_line(judged: int, selected: int, level: str) -> str:
    """``44 of 48 MUST requirements judged``: what a verdict at gate ``level`` speaks for."""
    return f"{judged} of {selected} {_GATED_WORDS[level]} requirements judged"
