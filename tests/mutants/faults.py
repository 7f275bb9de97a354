"""Broken targets: proxies in front of a correct server that make it untestable, not nonconformant.

Each must end a suite run with a harness error (exit 2) and a written report, quickly: never
a verdict, never a hang. They run through the same proxy as the mutants (``--mutant NAME``).
"""

from __future__ import annotations

import asyncio
import re

from tests.mutants.catalog import Exchange, Mutant

__all__ = ["FAULTS"]

_STATE = re.compile(r"^/threads/[^/]+/state$")
HANG_SECONDS = 3600.0


def _state_fails(x: Exchange) -> None:
    if x.method == "GET" and _STATE.match(x.path):
        x.status, x.reply = 500, {"detail": "internal error"}


def _graph_fails(x: Exchange) -> None:
    if x.creates_run():
        configurable = x.body.setdefault("config", {}).setdefault("configurable", {})
        configurable["fail_at"] = "agent"


def _another_graph(x: Exchange) -> None:
    """Every state shows what another graph of the user's, also called ``agent``, would answer."""
    messages = x.messages()
    if messages:
        messages[1:] = [{"type": "ai", "content": "Hello! How can I help you today?", "id": "other", "tool_calls": []}]


def _scenarios_started(x: Exchange) -> bool:
    """Whether the suite's scenarios have begun (the first request carrying a scenario tag, or any after it)."""
    metadata = x.body.get("metadata") if isinstance(x.body, dict) else None
    if isinstance(metadata, dict) and "conformance_scenario" in metadata:
        x.memory["scenarios"] = True
    return bool(x.memory.get("scenarios"))


async def _hang_once_scenarios_start(x: Exchange) -> None:
    if _scenarios_started(x):
        await asyncio.sleep(HANG_SECONDS)


def _runs_never_start_once_scenarios_start(x: Exchange) -> None:
    if _scenarios_started(x) and x.creates_run():
        x.body["after_seconds"] = HANG_SECONDS  # accepted, and pending for an hour: a worker that died


def _fail_once_scenarios_start(x: Exchange) -> None:
    if _scenarios_started(x):
        x.status, x.reply = 503, {"detail": "service unavailable"}


FAULTS: dict[str, Mutant] = {m.name: m for m in (
    Mutant("state-500", (), on_request=_state_fails, note="GET /threads/{id}/state answers 500"),
    Mutant("graph-fails", (), on_request=_graph_fails, note="every run of the fixture graph fails in its first node"),
    Mutant("another-graph", (), on_response=_another_graph,
           note="the assistant is another graph (the user's own 'agent'): its runs succeed with other answers"),
    Mutant("hang-after-probe", (), on_request=_hang_once_scenarios_start,
           note="the probe passes, then no request is ever answered (a target that froze)"),
    Mutant("runs-stop-after-probe", (), on_request=_runs_never_start_once_scenarios_start,
           note="the probe passes, then runs are accepted but never start (the worker died mid-session)"),
    Mutant("503-after-probe", (), on_request=_fail_once_scenarios_start,
           note="the probe passes, then every request answers 503 (a target that fell over)"),
)}  # fmt: skip
