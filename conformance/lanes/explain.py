"""Failure messages: ``ID [title] failed: detail (see source)`` and the HTTP exchanges behind it."""

from __future__ import annotations

from conformance.core.notation import mask_ids
from conformance.core.results import ScenarioResult
from conformance.requirements import Requirement
from conformance.scenarios import DEFAULT_LANES
from conformance.target.probe import Target

__all__ = ["EXCHANGES", "REFUSED", "RERUN", "SHOWN_EXCHANGES", "UNANSWERED", "failure_message", "first_refused", "rerun_line", "trace_lines"]

SHOWN_EXCHANGES = 40


def trace_lines(result: ScenarioResult, target: Target) -> list[str]:
    """The scenario's exchanges, one line each, ids masked and credentials redacted."""
    return [mask_ids(target.redact(x.line(result.started)), result.aliases) for x in result.trace]


RERUN = "re-run: "
EXCHANGES = "HTTP exchanges:"
REFUSED = "the scenario's first refused request: "
UNANSWERED = "the scenario's first request without an answer: "


def first_refused(result: ScenarioResult, target: Target) -> str | None:
    """The scenario's first request answered 4xx/5xx or not at all, labelled as which (``REFUSED``,
    ``UNANSWERED``), in one line: often what explains the rest."""
    for exchange in result.trace:
        if exchange.status is None or exchange.status >= 400:
            label = UNANSWERED if exchange.status is None else REFUSED
            return label + mask_ids(target.redact(exchange.line(result.started)), result.aliases)
    return None


def failure_message(requirement: Requirement, result: ScenarioResult, detail: str, target: Target, flags: str = "",
                    lane: str = "contract") -> str:  # fmt: skip
    """What a reader of a failed test sees first; where the script stopped early, its first refused request."""
    head = f"{requirement.id} [{requirement.title}] failed in scenario {result.scenario}:"
    refused = first_refused(result, target) if result.deviation else None
    if refused:
        detail = f"{detail}\n{refused}"
    lines = trace_lines(result, target)
    if len(lines) > SHOWN_EXCHANGES:
        more = len(lines) - SHOWN_EXCHANGES
        lines = [*lines[:SHOWN_EXCHANGES], f"... {more} more exchanges (report.json has every one)"]
    exchanges = "\n".join(f"  {line}" for line in lines)
    rerun = rerun_line(result, target, flags, lane)
    return f"{head}\n{detail}\n(see {requirement.source})\n{rerun}\n{EXCHANGES}\n{exchanges}"


def rerun_line(result: ScenarioResult, target: Target, flags: str = "", lane: str = "contract") -> str:
    """How to run just this scenario again, with the options that shaped the session (``flags``: credentials as
    placeholders); a race scenario with the repetitions it had, and its k of R."""
    where = "" if target.embedded else " " + " ".join(f"--target-url {url}" for url in target.urls)
    shaped = f" {flags}" if flags else ""
    secret = " (add your --api-key / --header)" if target.headers and "--api-key" not in flags and "--header" not in flags \
        else ""  # fmt: skip
    if result.repetitions:
        violating = sum(bool(h.get("violations")) for h in result.repetitions)
        total = len(result.repetitions)
        return (f"{RERUN}langgraph-conformance run{where}{shaped} --lane race --race-repeat {total} -k '{result.scenario}'"
                f"{secret} (probabilistic: violated in {violating} of {total} repetitions here; one run may not show it)")
    lanes = "" if lane in DEFAULT_LANES else f" --lane {lane}"
    return f"{RERUN}langgraph-conformance run{where}{shaped}{lanes} -k '{result.scenario}'{secret}"
