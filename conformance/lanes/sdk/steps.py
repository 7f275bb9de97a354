"""The ``SdkCall`` step: one SDK method called on the scenario's thread, its outcome recorded as a reply."""

from __future__ import annotations

import time
from typing import Any

from conformance.core.exchange import Exchange, Reply
from conformance.lanes.sdk.call import SdkOutcome, SdkRequest
from conformance.lanes.sdk.js import call_js
from conformance.lanes.sdk.python import call_python
from conformance.lanes.state import RunHandle, ScenarioState
from conformance.scenarios._model import STARTS, SdkCall, Start

__all__ = ["call_sdk"]


async def call_sdk(state: ScenarioState, step: SdkCall) -> None:
    """Call the method through ``step.sdk``; record it in the trace, as a reply under its label, and as an event."""
    request = _request(state, step)
    exchange = Exchange(time.monotonic(), "SDK", f"{step.sdk} {step.method}({step.run or 'thread'})",
                        dict(request.body) or None)  # fmt: skip
    state.result.trace.append(exchange)
    call = call_python if step.sdk == "python" else call_js
    timeout = state.settings.wait_timeout
    with state.monitor.waiting(state.scenario.id, f"the {step.sdk} SDK's {step.method}", progress=True):
        try:
            outcome = await call(request, timeout)
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
