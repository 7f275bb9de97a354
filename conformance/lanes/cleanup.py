"""After a scenario, pass or fail: note where each run ended, then leave nothing of it on the target."""

from __future__ import annotations

import asyncio

from conformance.core.errors import Deviation, HarnessError, NotReached, TimedOut
from conformance.lanes.state import HOLD_NAMESPACE, IN_FLIGHT, ScenarioState
from conformance.target.holds import search_items

__all__ = ["clean_up", "delete_records", "observe_final"]


async def observe_final(state: ScenarioState) -> None:
    """Record where each run ended up (for timelines), the runs read at once; never a verdict."""
    runs = [run for run in state.runs.values() if run.run_id]
    try:
        replies = await asyncio.gather(*(state.http.request("GET", f"/threads/{state.thread_id}/runs/{run.run_id}")
                                         for run in runs))  # fmt: skip
    except (HarnessError, Deviation, NotReached, TimedOut):
        return
    for run, got in zip(runs, replies, strict=True):
        status = got.body.get("status") if isinstance(got.body, dict) else None
        state.event(run.name, "final: deleted (404)" if got.status == 404 else f"final: {status or got.status}")


async def clean_up(state: ScenarioState) -> None:
    """Release the holds not released yet while the runs are listed, cancel what is still in flight, delete the
    thread, then the hold items and the graph's records: each phase's requests at once (far from the target, a
    round trip per phase, not one per request)."""
    try:
        held = [run for run in state.runs.values() if run.token]
        for run in state.runs.values():
            if run.reader is not None:
                run.reader.cancel()
        for waiting in state.waiting.values():
            waiting.cancel()
        releases = (state.put_hold_item(run, "release") for run in held if not run.released)
        if state.thread_id:
            listing = state.http.request("GET", f"/threads/{state.thread_id}/runs", params={"limit": 100})
            *_, listed = await asyncio.gather(*releases, listing)
            rows = [row for row in (listed.body if isinstance(listed.body, list) else [])
                    if isinstance(row, dict) and row.get("status") in IN_FLIGHT]  # fmt: skip
            await asyncio.gather(*(state.http.request("POST", f"/threads/{state.thread_id}/runs/{row['run_id']}/cancel",
                                                      params={"wait": 1}) for row in rows))  # fmt: skip
            threads = [thread for thread in (state.thread_id, state.other_thread_id) if thread]
            deleted = await asyncio.gather(*(state.http.request("DELETE", f"/threads/{thread}") for thread in threads))
            for thread, reply in zip(threads, deleted, strict=True):
                gone = reply.status == 404 and thread == state.thread_id and state.thread_deleted
                if reply.status >= 300 and not gone:
                    state.result.leftovers.append(f"thread {thread} (DELETE answered {reply.status})")
        else:
            await asyncio.gather(*releases)
        holds = (state.http.request("DELETE", "/store/items", json_body={"namespace": [HOLD_NAMESPACE, run.token], "key": key})
                 for run in held for key in ("arrived", "release"))  # fmt: skip
        records = [delete_records(state, state.records, state.result.leftovers)] if state.records else []
        await asyncio.gather(*holds, *records)
    except (HarnessError, Deviation, NotReached, TimedOut) as exc:
        state.result.leftovers.append(f"clean-up stopped: {exc}")


async def delete_records(state: ScenarioState, records: str, leftovers: list[str]) -> None:
    """Delete the graph's enter/exit records under namespace ``records``, at once; a stop leaves a note in
    ``leftovers``."""
    try:
        items, _ = await search_items(state.http, [HOLD_NAMESPACE, records])
        await asyncio.gather(*(state.http.request("DELETE", "/store/items",
                                                  json_body={"namespace": [HOLD_NAMESPACE, records], "key": item.get("key")})
                               for item in items or []))  # fmt: skip
    except (HarnessError, Deviation, NotReached, TimedOut) as exc:
        leftovers.append(f"records {records}: clean-up stopped: {exc}")
