"""Finding the run that ``/runs/stream`` or ``/runs/wait`` created: by its headers, else in the runs list."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from conformance.core.exchange import Reply
from conformance.lanes.state import RunHandle, ScenarioState
from conformance.target.sse import parse_events

__all__ = ["decode", "start_streaming"]


async def start_streaming(state: ScenarioState, run: RunHandle, path: str, body: dict[str, Any]) -> None:
    """Open ``/runs/stream`` or ``/runs/wait`` in the background; go on once the run exists.

    The run is named by the ``Content-Location`` header where the server sends one, else found
    in the thread's runs list by its metadata: a queued run's stream may stay silent.
    """

    async def read() -> None:
        async with state.http.stream("POST", path, json_body=body, timeout=state.settings.wait_timeout, whole=False,
                                     replica=run.replica) as (
            response,
            exchange,
        ):
            # Without Content-Location keep the id the runs list gave: headers may come at the run's end.
            run.run_id = _run_id_from_location(response.headers.get("content-location", "")) or run.run_id
            state.replies[run.name] = Reply(response.status_code, None, response.headers)
            text = (await response.aread()).decode(errors="replace")
            answer = parse_events(text) if path.endswith("/stream") and response.status_code == 200 else decode(text)
            exchange.response = answer
            state.replies[run.name] = Reply(response.status_code, answer, response.headers)

    run.reader = asyncio.create_task(read())

    async def created() -> bool:
        if run.reader is not None and run.reader.done():
            run.reader.result()  # re-raise what stopped the reader
        reply = state.replies.get(run.name)
        if run.run_id or (reply is not None and reply.status != 200):
            return True
        # Headers may come only with the run's end (some /runs/wait): the runs list shows it sooner.
        run.run_id = await _listed_run_id(state, run.name)
        return run.run_id is not None

    await state.poll(created, f"POST {path} to create {run.name}", progress=False)


async def _listed_run_id(state: ScenarioState, name: str) -> str | None:
    """The id of run ``name`` in this thread's runs list: by its metadata tag, else as the one unknown run.

    The second way is for servers that keep no run metadata (no listed run has a tag). Runs start
    one at a time, so while ``name`` is being created every other run of the thread is known.
    """
    reply = await state.http.request("GET", f"/threads/{state.thread_id}/runs", params={"limit": 100})
    rows = [row for row in reply.body if isinstance(row, dict)] if isinstance(reply.body, list) else []
    tags = [(row.get("metadata") or {}).get("conformance_run") for row in rows]
    if any(tags):
        return next((row.get("run_id") for row, tag in zip(rows, tags, strict=True) if tag == name), None)
    known = {run.run_id for run in state.runs.values() if run.run_id}
    unknown = [row["run_id"] for row in rows if row.get("run_id") and row["run_id"] not in known]
    return unknown[0] if len(unknown) == 1 else None


def decode(text: str) -> Any:
    """JSON, else the text (cut)."""
    try:
        return json.loads(text)
    except ValueError:
        return text[:2000]


def _run_id_from_location(location: str) -> str | None:
    """``/threads/T/runs/R`` -> ``R``."""
    if "/runs/" not in location:
        return None
    return location.rstrip("/").rsplit("/runs/", 1)[1] or None
