"""After a scenario, pass or fail: note where each run ended, then leave nothing of it on the target."""

from __future__ import annotations

from conformance.core.errors import Deviation, HarnessError, NotReached, TimedOut
from conformance.lanes.state import HOLD_NAMESPACE, IN_FLIGHT, ScenarioState
from conformance.target.holds import search_items

__all__ = ["clean_up", "delete_records", "observe_final"]


async def observe_final(state: ScenarioState) -> None:
    """Record where each run ended up (for timelines); never a verdict."""
    for run in state.runs.values():
        if not run.run_id:
            continue
        try:
            got = await state.http.request("GET", f"/threads/{state.thread_id}/runs/{run.run_id}")
        except (HarnessError, Deviation, NotReached, TimedOut):
            return
        status = got.body.get("status") if isinstance(got.body, dict) else None
        state.event(run.name, "final: deleted (404)" if got.status == 404 else f"final: {status or got.status}")



async def clean_up(state: ScenarioState) -> None:
    """Release holds, cancel what is still in flight, delete the thread and the hold items."""
    try:
        held = [run for run in state.runs.values() if run.token]
        for run in held:
            await state.put_hold_item(run, "release")
        for run in state.runs.values():
            if run.reader is not None:
                run.reader.cancel()
        for waiting in state.waiting.values():
            waiting.cancel()
        if state.thread_id:
            listed = await state.http.request("GET", f"/threads/{state.thread_id}/runs", params={"limit": 100})
            for row in listed.body if isinstance(listed.body, list) else []:
                if isinstance(row, dict) and row.get("status") in IN_FLIGHT:
                    await state.http.request(
                        "POST", f"/threads/{state.thread_id}/runs/{row['run_id']}/cancel", params={"wait": 1}
                    )
            for thread in (state.thread_id, state.other_thread_id):
                if not thread:
                    continue
                deleted = await state.http.request("DELETE", f"/threads/{thread}")
                gone = deleted.status == 404 and thread == state.thread_id and state.thread_deleted
                if deleted.status >= 300 and not gone:
                    state.result.leftovers.append(f"thread {thread} (DELETE answered {deleted.status})")
        for run in held:
            for key in ("arrived", "release"):
                await state.http.request(
                    "DELETE", "/store/items", json_body={"namespace": [HOLD_NAMESPACE, run.token], "key": key}
                )
        if state.records:
            await delete_records(state, state.records, state.result.leftovers)
    except (HarnessError, Deviation, NotReached, TimedOut) as exc:
        state.result.leftovers.append(f"clean-up stopped: {exc}")


async def delete_records(state: ScenarioState, records: str, leftovers: list[str]) -> None:
    """Delete the graph's enter/exit records under namespace ``records``; a stop leaves a note in ``leftovers``."""
    try:
        items, _ = await search_items(state.http, [HOLD_NAMESPACE, records])
        for item in items or []:
            await state.http.request("DELETE", "/store/items",
                                     json_body={"namespace": [HOLD_NAMESPACE, records], "key": item.get("key")})  # fmt: skip
    except (HarnessError, Deviation, NotReached, TimedOut) as exc:
        leftovers.append(f"records {records}: clean-up stopped: {exc}")
