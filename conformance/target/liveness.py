"""Before any scenario: does a plain run of the fixture graph execute, and can the suite read what it did?

A target whose runs never leave ``pending`` (no worker), whose fixture run fails at once, or
whose state or runs endpoints answer 5xx cannot be tested: each scenario would only time out
or fail for the same reason. One plain run finds that out, bounded by ``--wait-timeout``.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from conformance.core.errors import HarnessError, TimedOut
from conformance.core.exchange import Exchange, Reply
from conformance.core.notation import render_message
from conformance.scenarios.transcripts import conversation
from conformance.target.http import Http

__all__ = ["NO_DIRECTIVES", "Liveness", "check_liveness"]

POLL_INTERVAL = 0.05
QUESTION = "what's the weather in sf?"
IN_FLIGHT = ("pending", "running")
NO_DIRECTIVES = {"hold_at": None, "hold_token": None, "hold_seconds": None, "ask_human_at": None, "fail_at": None}


@dataclass(frozen=True)
class Liveness:
    """What the plain run showed: its final status, how long it took, and how state and runs answered."""

    run_status: str
    seconds: float
    state_http: int
    runs_http: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def failed_on(reply: Reply, what: str) -> None:
    """A harness error for a 5xx answer to a request the suite reads verdicts from."""
    if reply.status >= 500:
        raise HarnessError(f"the target fails on {what} (HTTP {reply.status}): the suite reads its verdicts from it")


async def check_liveness(http: Http, assistant_id: str, tags: Mapping[str, str], timeout: float) -> Liveness:
    """Start one plain run on a thread of its own and wait for it to finish; always delete the thread."""
    created: list[str] = []

    def learn(reply: Reply) -> None:
        if reply.status == 200 and isinstance(reply.body, dict) and reply.body.get("thread_id"):
            created.append(str(reply.body["thread_id"]))

    try:
        thread = await http.create("/threads", {"metadata": {**tags, "conformance_probe": "liveness"}}, learn)
        failed_on(thread, "POST /threads")
        if not created:
            raise HarnessError(f"the target cannot create a thread (POST /threads answered {thread.status})")
        return await _one_plain_run(http, assistant_id, f"/threads/{created[0]}", tags, timeout)
    finally:
        for thread_id in created:
            await http.request("DELETE", f"/threads/{thread_id}", timeout=10)


async def control_run(http: Http, assistant_id: str, tags: Mapping[str, str], timeout: float) -> tuple[bool, float]:
    """Whether a plain run on a thread of its own finishes within ``timeout``, and in how many seconds."""
    started = time.monotonic()
    try:
        await check_liveness(http, assistant_id, {**tags, "conformance_probe": "control"}, timeout)
    except (HarnessError, TimedOut):
        return False, time.monotonic() - started
    return True, time.monotonic() - started


async def _one_plain_run(
    http: Http, assistant_id: str, thread: str, tags: Mapping[str, str], timeout: float
) -> Liveness:
    body = {"assistant_id": assistant_id, "input": {"messages": [{"role": "human", "content": QUESTION}]},
            "config": {"configurable": NO_DIRECTIVES}, "metadata": dict(tags)}  # fmt: skip
    started = time.monotonic()
    try:
        created = await http.request("POST", f"{thread}/runs", json_body=body, timeout=timeout)
    except TimedOut:
        raise HarnessError(f"POST /threads/<thread>/runs did not answer within {timeout:g} s: the suite needs "
                           "background runs (the request answers at once with the run, which then executes); does "
                           "the target run them in the request?") from None  # fmt: skip
    failed_on(created, "POST /threads/<thread>/runs")
    if created.status != 200 or not isinstance(created.body, dict) or "run_id" not in created.body:
        raise HarnessError(f"the target cannot start a run of the fixture graph (HTTP {created.status}): "
                           f"{str(created.body)[:120]}")  # fmt: skip
    run = f"{thread}/runs/{created.body['run_id']}"
    status = await _final_status(http, run, started + timeout)
    seconds = round(time.monotonic() - started, 3)
    if status in IN_FLIGHT:
        await http.request("POST", f"{run}/cancel", params={"action": "interrupt"}, timeout=10)
        if status == "pending":
            raise HarnessError(f"runs stay pending: a plain run of the fixture graph was still pending after "
                               f"{timeout:g} s; is a worker (or the queue) running?")  # fmt: skip
        raise HarnessError(f"a plain run of the fixture graph started but did not finish within {timeout:g} s: "
                           "is the target overloaded, or the fixture graph changed?")  # fmt: skip
    if status == "error":
        joined = await http.request("GET", f"{run}/join", timeout=10)
        error = joined.body.get("__error__") if isinstance(joined.body, dict) else None
        raise HarnessError(f"a plain run of the fixture graph ended in error ({str(error or joined.body)[:160]}): "
                           "is the suite's fixture graph deployed unchanged?")  # fmt: skip
    if status != "success":
        raise HarnessError(f"a plain run of the fixture graph ended {status!r}, not 'success'")
    state = await http.request("GET", f"{thread}/state")
    failed_on(state, "GET /threads/<thread>/state")
    _is_the_fixture(state, assistant_id)
    runs = await http.request("GET", f"{thread}/runs")
    failed_on(runs, "GET /threads/<thread>/runs")
    return Liveness(status, seconds, state.status, runs.status)


async def _final_status(http: Http, run: str, deadline: float) -> str:
    """The run's status once it leaves pending/running, or the last one seen at ``deadline``.

    Only the last poll stays in the trace.
    """
    with http.waiting("a plain run of the fixture graph to finish (liveness probe)", progress=True):
        while True:
            polled: list[Exchange] = []
            with http.recording_into(polled):
                got = await http.request("GET", run)
            status = got.body.get("status") if got.status == 200 and isinstance(got.body, dict) else None
            if status not in IN_FLIGHT or time.monotonic() >= deadline:
                http.trace.extend(polled)
                return _checked(got, status)
            await asyncio.sleep(POLL_INTERVAL)


def _is_the_fixture(state: Reply, assistant_id: str) -> None:
    """The plain run ends with the fixture's answer, or the assistant is another graph: a harness error.

    Only the answer is compared: what the state shows of the rest (tool messages, the input) is
    what the contract's checks judge, and a server that shows it wrongly is nonconformant, not
    another graph."""
    values = state.body.get("values") if state.status == 200 and isinstance(state.body, dict) else None
    messages = values.get("messages") if isinstance(values, dict) else None
    if not isinstance(messages, list):
        return  # a state the suite cannot read: the scenarios say so where they need it
    got = [render_message(m) for m in messages]
    if not got or got[-1] != conversation(QUESTION)[-1]:  # the fixture's answer; the rest is for the checks to judge
        shown = " | ".join(got)[:160] or "no messages"
        raise HarnessError(
            f"assistant {assistant_id!r} is not the suite's fixture graph: a plain run answered {shown!r}, the fixture "
            f"answers {conversation(QUESTION)[-1]!r}; register fixtures/graph.py under an id of its own (langgraph.json: "
            '"graphs": {"conformance": "./DIR/graph.py:graph"}) and pass --assistant-id conformance')


def _checked(got: Reply, status: object) -> str:
    failed_on(got, "GET /threads/<thread>/runs/<run>")
    if status is None:
        hint = (": the run it just created is unknown to it; the suite needs background runs that "
                "GET /threads/{thread_id}/runs/{run_id} shows while they execute") if got.status == 404 else ""
        raise HarnessError(f"the target answered GET /threads/<thread>/runs/<run> with HTTP {got.status}: "
                           f"{str(got.body)[:120]}{hint}")  # fmt: skip
    return str(status)
