"""What a client sees beside the double-text: a join already waiting when it comes, and a run asked about through
another thread's id."""

from __future__ import annotations

import asyncio

from conformance.core.errors import NotReached
from conformance.core.exchange import Reply
from conformance.lanes.contract.discovery import decode
from conformance.lanes.state import IN_FLIGHT, ScenarioState, brief
from conformance.scenarios._model import ViaOtherThread, WaitingJoin
from conformance.target.sse import parse_events

__all__ = ["create_other_thread", "via_other_thread", "waiting_join"]


async def waiting_join(state: ScenarioState, step: WaitingJoin) -> None:
    """Send a join of ``step.run`` and leave it waiting; return once it was sent whole (a stream: answered with
    its headers) and a read of the run answered after that, showing it still in flight."""
    path = f"/threads/{state.thread_id}/runs/{state.run_id(step.run)}/{'stream' if step.stream else 'join'}"
    timeout = state.settings.wait_timeout

    async def join(sent: asyncio.Event) -> None:
        if not step.stream:
            state.replies[step.label] = await state.http.request(
                "GET", path, timeout=timeout, sent=sent, waiting_for=f"{step.run} to finish (join)")
            return
        async with state.http.stream("GET", path, timeout=timeout) as (response, exchange):
            sent.set()
            text = (await response.aread()).decode(errors="replace")
            exchange.response = parse_events(text) if response.status_code == 200 else decode(text)
            state.replies[step.label] = Reply(response.status_code, exchange.response, response.headers)

    task = await state.in_background(step.label, join, f"the join of {step.run} was not sent")
    if task.done():
        answered = state.replies.get(step.label)
        raise NotReached(f"the join of {step.run} did not wait: it answered "
                         f"{brief(answered) if answered else 'nothing'} before the double-text")  # fmt: skip
    got = await state.http.request("GET", f"/threads/{state.thread_id}/runs/{state.run_id(step.run)}")
    status = got.body.get("status") if got.status == 200 and isinstance(got.body, dict) else None
    if status not in IN_FLIGHT or task.done():
        raise NotReached(f"{step.run} was no longer in flight while its join waited ({brief(got)})")
    state.event(step.run, f"{step.label.split(':')[0].replace('_', ' ')} sent")


async def create_other_thread(state: ScenarioState) -> None:
    """``OtherThread``: a second thread of the suite's, tagged as the scenario's own."""

    def learn(reply: Reply) -> None:
        if reply.status == 200 and isinstance(reply.body, dict):
            state.other_thread_id = str(reply.body.get("thread_id") or "")

    reply = await state.http.create("/threads", {"metadata": {**state.tags, "conformance_other": "yes"}}, learn)
    if not state.other_thread_id:
        raise NotReached(f"POST /threads answered {brief(reply)}: no other thread to ask through")


async def via_other_thread(state: ScenarioState, step: ViaOtherThread) -> None:
    """``ViaOtherThread``: the request, its answer recorded under the step's label."""
    other = f"/threads/{state.other_thread_id}/runs"
    timeout = state.settings.wait_timeout
    match step.action:
        case "list":
            reply = await state.http.request("GET", other, params={"limit": 100})
        case "get":
            reply = await state.http.request("GET", f"{other}/{state.run_id(step.run)}")
        case "join":
            reply = await state.http.request("GET", f"{other}/{state.run_id(step.run)}/join", timeout=timeout,
                                             waiting_for=f"a join of {step.run} through the other thread")  # fmt: skip
        case "cancel":
            reply = await state.http.request("POST", f"{other}/{state.run_id(step.run)}/cancel")
    state.replies[step.label] = reply
    if step.run:
        state.event(step.run, f"{step.action} through the other thread: {reply.status}")
