"""Failure messages: ``ID [title] failed: detail (see source)`` and the HTTP exchanges behind it."""

from __future__ import annotations

from conformance._notation import mask_ids
from conformance._results import ScenarioResult
from conformance._target import Target
from conformance.requirements import Requirement

__all__ = ["SHOWN_EXCHANGES", "failure_message", "first_refused", "trace_lines"]

SHOWN_EXCHANGES = 40


def trace_lines(result: ScenarioResult, target: Target) -> list[str]:
    """The scenario's exchanges, one line each, ids masked and credentials redacted."""
    return [mask_ids(target.redact(x.line(result.started)), result.aliases) for x in result.trace]


def first_refused(result: ScenarioResult, target: Target) -> str | None:
    """The scenario's first request answered 4xx/5xx or not at all, in one line: often what explains the rest."""
    for exchange in result.trace:
        if exchange.status is None or exchange.status >= 400:
            return mask_ids(target.redact(exchange.line(result.started)), result.aliases)
    return None


def failure_message(requirement: Requirement, result: ScenarioResult, detail: str, target: Target) -> str:
    """What a reader of a failed test sees first; where the script stopped early, its first refused request."""
    head = f"{requirement.id} [{requirement.title}] failed in scenario {result.scenario}:"
    refused = first_refused(result, target) if result.deviation else None
    if refused:
        detail = f"{detail}\nthe scenario's first refused request: {refused}"
    lines = trace_lines(result, target)
    if len(lines) > SHOWN_EXCHANGES:
        more = len(lines) - SHOWN_EXCHANGES
        lines = [*lines[:SHOWN_EXCHANGES], f"... {more} more exchanges (report.json has every one)"]
    exchanges = "\n".join(f"  {line}" for line in lines)
    return f"{head}\n{detail}\n(see {requirement.source})\nHTTP exchanges:\n{exchanges}"
