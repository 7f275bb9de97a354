"""Failure messages: ``ID [title] failed: detail (see source)`` and the HTTP exchanges behind it."""

from __future__ import annotations

from conformance._notation import mask_ids
from conformance._results import ScenarioResult
from conformance._target import Target
from conformance.requirements import Requirement

__all__ = ["SHOWN_EXCHANGES", "failure_message", "trace_lines"]

SHOWN_EXCHANGES = 40


def trace_lines(result: ScenarioResult, target: Target) -> list[str]:
    """The scenario's exchanges, one line each, ids masked and credentials redacted."""
    return [mask_ids(target.redact(x.line(result.started)), result.aliases) for x in result.trace]


def failure_message(requirement: Requirement, result: ScenarioResult, detail: str, target: Target) -> str:
    """What a reader of a failed test sees first."""
    head = f"{requirement.id} [{requirement.title}] failed in scenario {result.scenario}:"
    lines = trace_lines(result, target)
    if len(lines) > SHOWN_EXCHANGES:
        more = len(lines) - SHOWN_EXCHANGES
        lines = [*lines[:SHOWN_EXCHANGES], f"... {more} more exchanges (report.json has every one)"]
    exchanges = "\n".join(f"  {line}" for line in lines)
    return f"{head}\n{detail}\n(see {requirement.source})\nHTTP exchanges:\n{exchanges}"
