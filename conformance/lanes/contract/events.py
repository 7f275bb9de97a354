"""The thread's event stream (``POST /threads/{id}/stream/events``, SSE): read live beside the double-text, and again
on new connections at the end.

A frame is ``{"type": "event", "seq", "method", "params": {"namespace", "timestamp", "data"}}``; a ``lifecycle``
frame's ``data.event`` is ``running`` when a run begins and ``completed``, ``failed`` or ``interrupted`` when it
ends, on the root namespace ``[]``. The stream is the thread's: it stays open until the client closes it, and each new
connection replays the thread's events from the start (``since: N``: only those after seq N).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from typing import Any

from conformance.core.errors import NotReached
from conformance.core.exchange import Reply
from conformance.lanes.contract.discovery import decode
from conformance.lanes.state import ScenarioState, brief

__all__ = ["CHANNELS", "PATH", "frames_of", "replay", "root_lifecycle", "subscribe"]

PATH = "/threads/{thread_id}/stream/events"
CHANNELS = ("lifecycle",)


async def frames_of(lines: AsyncIterator[str]) -> AsyncIterator[dict[str, Any]]:
    """The JSON ``data`` of each complete SSE block in ``lines`` (a block that is not JSON is skipped)."""
    data: list[str] = []
    async for line in lines:
        if line.startswith("data:"):
            data.append(line[5:].lstrip())
        elif not line.strip() and data:
            try:
                frame = json.loads("\n".join(data))
            except ValueError:
                frame = None
            data = []
            if isinstance(frame, dict):
                yield frame


async def subscribe(state: ScenarioState, label: str) -> None:
    """Open the thread's event stream under ``label`` and read it in the background into ``state.frames[label]``;
    return once it answered its headers (bounded by ``--wait-timeout``)."""
    frames = state.frames[label] = []
    path = PATH.format(thread_id=state.thread_id)

    async def read(opened: asyncio.Event) -> None:
        async with state.http.stream("POST", path, json_body={"channels": list(CHANNELS)}, whole=False) as (
            response,
            exchange,
        ):
            state.replies[label] = Reply(response.status_code, None, response.headers)
            opened.set()
            if response.status_code != 200:
                exchange.response = decode((await response.aread()).decode(errors="replace"))
                state.replies[label] = Reply(response.status_code, exchange.response, response.headers)
                return
            exchange.response = frames
            async for frame in frames_of(response.aiter_lines()):
                frames.append(frame)

    task = await state.in_background(label, read, f"POST {PATH} answered no headers")
    if task.done() and task.exception() is not None:
        raise task.exception()  # type: ignore[misc]


def root_lifecycle(frames: list[dict[str, Any]]) -> list[str]:
    """The root lifecycle events of ``frames``, in order: ``running``, ``completed``, ..."""
    events = []
    for frame in frames:
        params = frame.get("params") if isinstance(frame.get("params"), dict) else {}
        data = params.get("data") if isinstance(params.get("data"), dict) else {}
        if frame.get("method") == "lifecycle" and not params.get("namespace") and data.get("event"):
            events.append(str(data["event"]))
    return events


async def replay(state: ScenarioState, label: str, since: int | None,
                 same: Callable[[list[dict[str, Any]]], bool]) -> tuple[list[dict[str, Any]], bool]:  # fmt: skip
    """The frames a new connection to the thread's event stream delivers (``since``: after that seq), read while
    ``same`` says they are what is wanted and more is wanted, or until ``--wait-timeout`` passed; and whether the
    server ended the stream (rather than the suite's reading). A connection refused: not reached."""
    body: dict[str, Any] = {"channels": list(CHANNELS), **({"since": since} if since is not None else {})}
    frames: list[dict[str, Any]] = []
    path = PATH.format(thread_id=state.thread_id)
    async with state.http.stream("POST", path, json_body=body, whole=False) as (response, exchange):
        if response.status_code != 200:
            got = Reply(response.status_code, decode((await response.aread()).decode(errors="replace")), {})
            raise NotReached(f"a new connection to the thread's event stream ({label}) answered {brief(got)}")
        exchange.response = frames
        ended = True
        try:
            async with asyncio.timeout(state.settings.wait_timeout):
                async for frame in frames_of(response.aiter_lines()):
                    frames.append(frame)
                    if not same(frames):
                        ended = False
                        break
        except TimeoutError:
            ended = False  # what came is judged: a replay that stopped short within the bound shows nothing more
    return frames, ended


def _seq(frame: dict[str, Any]) -> int:
    seq = frame.get("seq")
    return seq if isinstance(seq, int) else -1
