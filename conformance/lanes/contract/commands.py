"""The thread-centric protocol's commands: ``POST /threads/{id}/commands``, one JSON command, one JSON answer.

``run.start`` creates a run as the classic routes do; its answer is HTTP 200 with ``{"type": "success", "id",
"result": {"run_id"}}`` or ``{"type": "error", "id", "error": <code>, "message"}``. Steps record the answer and the
times; checks judge them.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from conformance.core.exchange import Reply
from conformance.lanes.state import RunHandle, ScenarioState

__all__ = ["command_error", "command_result", "run_start_params", "send_command", "start_command"]

PATH = "/threads/{thread_id}/commands"
SOCKET = "/threads/{thread_id}/stream/events"
"""Where a WebSocket speaks the protocol: commands in, answers (and the thread's events) out."""


def run_start_params(body: dict[str, Any]) -> dict[str, Any]:
    """A classic run body as ``run.start``'s params: the strategy under its protocol name ``multitaskStrategy``."""
    params = {key: body[key] for key in ("assistant_id", "input", "config", "metadata") if key in body}
    if body.get("multitask_strategy"):
        params["multitaskStrategy"] = body["multitask_strategy"]
    return params


async def send_command(state: ScenarioState, label: str, method: str, params: dict[str, Any], replica: int = 0,
                       sent: asyncio.Event | None = None, timeout: float | None = None) -> Reply:  # fmt: skip
    """Send one command under ``label``, and record its answer and the id it was sent with (``sent``: set once the
    command was written whole)."""
    number = state.commands[label] = state.next_command_id()
    reply = await state.http.request(
        "POST", PATH.format(thread_id=state.thread_id), json_body={"id": number, "method": method, "params": params},
        timeout=timeout or state.settings.wait_timeout, waiting_for=f"the answer to {method} ({label})",
        replica=replica, sent=sent)  # fmt: skip
    state.replies[label] = reply
    return reply


def command_result(reply: Reply) -> dict[str, Any] | None:
    """The ``result`` of a success answer, else None."""
    body = reply.body
    if reply.status == 200 and isinstance(body, dict) and body.get("type") == "success":
        result = body.get("result")
        return result if isinstance(result, dict) else {}
    return None


def command_error(reply: Reply) -> str | None:
    """The error code of an error answer (HTTP 200, ``type`` ``error``), else None."""
    body = reply.body
    if reply.status == 200 and isinstance(body, dict) and body.get("type") == "error":
        return str(body.get("error"))
    return None


async def start_command(state: ScenarioState, run: RunHandle, body: dict[str, Any], *, socket: bool = False,
                        sent: asyncio.Event | None = None) -> None:  # fmt: skip
    """``run.start`` for ``run`` (``socket``: over a WebSocket on the thread's event stream): its answer recorded
    under the run's name, and when it came."""
    params = run_start_params(body)
    if socket:
        number = state.commands[run.name] = state.next_command_id()
        reply = state.replies[run.name] = await state.http.command_over_socket(
            SOCKET.format(thread_id=state.thread_id), {"id": number, "method": "run.start", "params": params},
            timeout=2 * state.settings.wait_timeout, replica=run.replica)  # fmt: skip
    else:
        reply = await send_command(state, run.name, "run.start", params, replica=run.replica, sent=sent,
                                   timeout=2 * state.settings.wait_timeout)  # the caller bounds it (holds let go)
    run.answered_at = time.monotonic()
    result = command_result(reply)
    if result is not None and result.get("run_id"):
        run.run_id = str(result["run_id"])
