"""The ``SdkCall`` step: one SDK method called on the scenario's thread, its outcome recorded as a reply."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from conformance.core.errors import NotReached, TimedOut
from conformance.core.exchange import Exchange, Reply
from conformance.lanes.sdk.call import SdkOutcome, SdkRequest
from conformance.lanes.sdk.js import call_js
from conformance.lanes.sdk.python import call_python, start_watching_output
from conformance.lanes.state import RunHandle, ScenarioState
from conformance.scenarios._model import STARTS, SdkCall, Start

__all__ = ["call_sdk"]

OUTPUT = "thread.output"


async def call_sdk(state: ScenarioState, step: SdkCall) -> None:
    """Call the method through ``step.sdk``; record it in the trace, as a reply under its label, and as an event."""
    request = _request(state, step)
    exchange = Exchange(time.monotonic(), "SDK", f"{step.sdk} {step.method}({step.run or 'thread'})",
                        dict(request.body) or None)  # fmt: skip
    state.result.trace.append(exchange)
    with state.monitor.waiting(state.scenario.id, f"the {step.sdk} SDK's {step.method}", progress=True):
        try:
            outcome = await _called(state, step, request)
        finally:
            exchange.elapsed = time.monotonic() - exchange.at
    reply = _as_reply(outcome)
    exchange.status, exchange.response = reply.status, reply.body
    state.replies[step.label] = reply
    if step.method in STARTS:
        run = RunHandle(Start(step.run, step.ask, step.strategy), None)
        if outcome.raised is None and isinstance(outcome.returned, dict):
            run.run_id = outcome.returned.get("run_id")
        state.runs[step.run] = run
    what = f"raised {outcome.raised} ({outcome.status})" if outcome.raised else "returned"
    state.event(step.run or "thread", f"{step.sdk} SDK {step.method}: {what}")


async def _called(state: ScenarioState, step: SdkCall, request: SdkRequest) -> SdkOutcome:
    """The call's outcome; a Python ``run.start`` whose stream's ``thread.output`` the script reads later leaves
    that stream open (under ``thread.output`` in ``state.waiting``), and ``thread.output`` awaits it."""
    timeout = state.settings.wait_timeout
    if step.method == "thread.output":
        watching = state.waiting.get(OUTPUT)
        if watching is None:
            raise NotReached("no thread stream was left open to read thread.output from: run.start was not called")
        try:
            return await asyncio.wait_for(asyncio.shield(watching), timeout)
        except TimeoutError:
            raise TimedOut(f"timed out after {timeout:g} s waiting for the Python SDK's thread.output") from None
    reads_output = any(isinstance(s, SdkCall) and s.method == OUTPUT for s in state.scenario.script)
    if step.method == "run.start" and step.sdk == "python" and reads_output:
        outcome, state.waiting[OUTPUT] = await start_watching_output(request, timeout)
        return outcome
    return await (call_python if step.sdk == "python" else call_js)(request, timeout)


def _request(state: ScenarioState, step: SdkCall) -> SdkRequest:
    body: dict[str, Any] = {}
    if step.method in STARTS:
        start = Start(step.run, step.ask, step.strategy)
        body = state.run_body(step.ask, step.strategy, state.directives(start, None), step.run)
        body.pop("assistant_id")
    run_id = state.run_id(step.run) if step.run and step.method not in STARTS else ""
    urls = state.target.urls  # the SDK talks to another replica than the one the suite started the first run on
    return SdkRequest(step.method, urls[1 % len(urls)], state.target.headers, state.thread_id, run_id,
                      state.target.assistant_id, body)  # fmt: skip


def _as_reply(outcome: SdkOutcome) -> Reply:
    """A raised error as its HTTP status (0: none) and ``{"raised", "status", "message"}``; a value as 200."""
    if outcome.raised is not None:
        body = {"raised": outcome.raised, "status": outcome.status, "message": outcome.message}
        return Reply(outcome.status or 0, body)
    return Reply(200, outcome.returned)
