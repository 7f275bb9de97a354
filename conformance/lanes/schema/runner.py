"""One scenario of the schema lane: its requests sent on a fresh thread of its own, each answer recorded, then judged.

Requests drawn from the document are rewritten so that they touch only what the scenario
created: path ids become its thread and its finished run, thread bodies carry the suite's
tags, store namespaces are the scenario's own, and nothing asks the server to call out
(``webhook``). Everything created is deleted at the end, also when the campaign stops it.
"""

from __future__ import annotations

import asyncio
import copy
import time
import uuid
from typing import Any

from conformance.core.endings import CLEANUP_TIMEOUT, bounded_clean_up, ended_early
from conformance.core.errors import NotReached, TimedOut
from conformance.core.exchange import Reply
from conformance.core.monitor import Monitor
from conformance.core.results import ScenarioResult
from conformance.core.settings import Settings
from conformance.lanes.schema.cases import RUN, THREAD, Drawn, Wanted, draw_cases
from conformance.lanes.schema.checks import Answer, judge_answers
from conformance.lanes.state import HOLD_NAMESPACE, brief
from conformance.scenarios._api_model import ApiScenario, Generated, Refusal
from conformance.scenarios.api_shape import API_SHAPE
from conformance.scenarios.questions import ASK
from conformance.target.http import Http, Pool
from conformance.target.liveness import NO_DIRECTIVES
from conformance.target.probe import SUITE_TAG, Target, TargetInfo

__all__ = ["ApiRun"]

_LANE_OPERATIONS: Wanted = tuple(sorted({(g.method, g.path, valid) for scenario in API_SHAPE for g in scenario.generated
                                         for valid in ((True, False) if g.valid else (False,))}))  # fmt: skip
"""Every operation and mode the lane draws for: all drawn at once, whichever scenarios run."""


class ApiRun:
    """One execution of one schema-lane scenario."""

    def __init__(
        self, client: Pool, target: Target, info: TargetInfo, settings: Settings, scenario: ApiScenario,
        monitor: Monitor,
    ) -> None:  # fmt: skip
        self.target, self.settings, self.scenario = target, settings, scenario
        self.result = ScenarioResult(scenario.id)
        self.http = Http(client, self.result.trace, monitor, scenario.id)
        self.tags = {"conformance_suite": SUITE_TAG, "conformance_session": settings.session,
                     "conformance_scenario": scenario.id}  # fmt: skip
        self.namespace = [HOLD_NAMESPACE, f"{settings.session}-{uuid.uuid4().hex[:12]}"]
        self.thread_id = ""
        self.run_id = ""
        self.threads: set[str] = set()  # every thread id the scenario may have created
        self.keys: set[str] = set()  # every store key it may have put
        self.cleaning = False

    async def execute(self) -> ScenarioResult:
        """Send, record, judge; always clean up (also when the campaign cancels it)."""
        self.result.started = time.monotonic()
        with ended_early(self.result, self.target.redact):
            answers = await self._send_all()
            self.result.checks.extend(judge_answers(self.scenario, answers, self.target))
        self.cleaning = True
        await bounded_clean_up(self.result, self._clean_up(), min(CLEANUP_TIMEOUT, self.settings.wait_timeout))
        self.result.duration_s = time.monotonic() - self.result.started
        self.result.aliases = {self.thread_id: "thread", self.run_id: "run"} if self.run_id else {}
        return self.result

    async def _send_all(self) -> list[Answer]:
        try:
            await self._create_thread()
            if any("{thread_id}" in g.path for g in self.scenario.generated):
                await self._finish_a_run()  # a thread with a conversation and a run: what clients read
        except TimedOut as exc:
            raise NotReached(f"set-up: {exc}") from None
        answers = [await self._refusal(refusal) for refusal in self.scenario.refusals]
        for operation in self.scenario.generated:
            for valid in (True, False) if operation.valid else (False,):
                cases = await asyncio.to_thread(draw_cases, operation.method, operation.path, valid=valid,
                                                among=_LANE_OPERATIONS)  # fmt: skip
                answers.extend([await self._generated(operation, case, valid) for case in cases])
        return answers

    # --- what the scenario creates -----------------------------------------------------------

    async def _create_thread(self) -> None:
        reply = await self.http.create("/threads", {"metadata": self.tags}, self._learn_thread)
        if reply.status != 200 or not self.thread_id:
            raise NotReached(f"set-up: POST /threads answered {brief(reply)}: no thread to test on")

    def _learn_thread(self, reply: Reply) -> None:
        if reply.status == 200 and isinstance(reply.body, dict) and reply.body.get("thread_id"):
            self.thread_id = str(reply.body["thread_id"])
            self.threads.add(self.thread_id)

    async def _finish_a_run(self) -> None:
        """The scenario's set-up: whatever stops it leaves the scenario not reached, with the request named."""
        body = {**self._run_body(), "metadata": {**self.tags, "conformance_run": "run"}}
        try:
            reply = await self.http.request("POST", f"/threads/{self.thread_id}/runs/wait", json_body=body,
                                            timeout=self.settings.wait_timeout, waiting_for="a plain run to finish")  # fmt: skip
        except TimedOut:
            raise NotReached(f"set-up: a plain run on the scenario's thread (POST /threads/<thread>/runs/wait) did "
                             f"not finish within {self.settings.wait_timeout:g} s") from None  # fmt: skip
        if reply.status != 200:
            raise NotReached(f"set-up: a plain run on the scenario's thread failed: POST /threads/<thread>/runs/wait "
                             f"answered {brief(reply)}")  # fmt: skip
        await self._await_idle()
        listed = await self.http.request("GET", f"/threads/{self.thread_id}/runs")
        runs = listed.body if listed.status == 200 and isinstance(listed.body, list) else []
        if not runs or not isinstance(runs[0], dict):
            raise NotReached(f"set-up: the plain run is not in the thread's runs list (GET /threads/<thread>/runs "
                             f"answered {brief(listed)})")  # fmt: skip
        self.run_id = str(runs[0].get("run_id"))

    async def _await_idle(self) -> None:
        """Until the thread says idle: the drawn requests then all meet the same settled thread."""
        deadline = time.monotonic() + self.settings.wait_timeout
        interval = self.settings.poll_interval
        while True:
            reply = await self.http.request("GET", f"/threads/{self.thread_id}")
            status = reply.body.get("status") if isinstance(reply.body, dict) else None
            if status == "idle":
                return
            if time.monotonic() > deadline:
                raise NotReached(f"set-up: the scenario's thread did not say idle within {self.settings.wait_timeout:g} s "
                                 f"after its plain run finished (GET /threads/<thread> answered {brief(reply)})")  # fmt: skip
            await asyncio.sleep(interval)
            interval = min(interval * 1.5, self.settings.poll_interval_max)

    def _run_body(self) -> dict[str, Any]:
        return {"assistant_id": self.target.assistant_id, "config": {"configurable": NO_DIRECTIVES},
                "input": {"messages": [{"role": "human", "content": ASK["first"]}]}}  # fmt: skip

    # --- sending -----------------------------------------------------------------------------

    async def _refusal(self, refusal: Refusal) -> Answer:
        unknown = str(uuid.uuid4())
        path = refusal.path.format(thread=self.thread_id, run=self.run_id, unknown=unknown)
        if refusal.method == "POST" and path.startswith(f"/threads/{unknown}"):
            self.threads.add(unknown)  # should the server create it after all, it is deleted too
        body = _fill(refusal.body, {"{assistant}": self.target.assistant_id, "{unknown}": unknown})
        reply = await self._send(refusal.method, path, body=body, raw=refusal.raw, params=refusal.params)
        return Answer(refusal, None, refusal.method, path, refusal.params, body if refusal.raw is None else refusal.raw, reply)

    async def _generated(self, operation: Generated, case: Drawn, valid: bool) -> Answer:
        params = {k: _own_path_id(v, self) for k, v in case.path_parameters.items()}
        path = operation.path.format(**params) if params else operation.path
        query = self._own_query(operation, dict(case.query))
        body = self._own_body(operation, copy.deepcopy(case.body), valid) if case.has_body else None
        raw = body if isinstance(body, bytes) else None
        reply = await self._send(operation.method, path, body=None if raw is not None else body, raw=raw, params=query)
        return Answer(operation, case, operation.method, path, query, body, reply)

    async def _send(self, method: str, path: str, *, body: Any, raw: bytes | None, params: dict[str, Any]) -> Reply:
        # Sending twice is harmless here (the scenario's own thread); a server that drops its
        # kept-alive connection after a 500 must not turn the next request into "no answer".
        return await self.http.request(method, path, json_body=body, content=raw, params=params or None,
                                       timeout=self.settings.wait_timeout, resend=True)  # fmt: skip

    # --- keeping drawn requests to what the scenario owns -------------------------------------

    def _own_query(self, operation: Generated, query: dict[str, Any]) -> dict[str, Any]:
        if operation.path == "/store/items" and "namespace" in query:
            query["namespace"] = list(self.namespace)
        if operation.path == "/store/items" and "key" in query and isinstance(query["key"], str):
            self.keys.add(query["key"])
        return query

    def _own_body(self, operation: Generated, body: Any, valid: bool) -> Any:
        if not isinstance(body, dict):
            return body
        body.pop("webhook", None)  # the server must not be asked to call anyone
        if operation.path == "/threads":
            thread_id = str(uuid.uuid4())  # never a drawn id: it could be another client's thread
            body["thread_id"] = thread_id
            body["metadata"] = {**(body.get("metadata") if isinstance(body.get("metadata"), dict) else {}), **self.tags}
            self.threads.add(thread_id)
        elif operation.path == "/threads/{thread_id}" and isinstance(body.get("metadata"), dict):
            body["metadata"] = {**body["metadata"], **self.tags}
        elif operation.path.startswith("/threads/{thread_id}/runs") and valid:
            body["assistant_id"] = self.target.assistant_id
        elif operation.path == "/store/items/search":
            body["namespace_prefix"] = list(self.namespace)  # the suite's items only
        elif operation.path.startswith("/store/"):
            if "namespace" in body:
                body["namespace"] = list(self.namespace)
            if isinstance(body.get("key"), str):
                self.keys.add(body["key"])
        return body

    # --- clean-up ----------------------------------------------------------------------------

    async def _clean_up(self) -> None:
        for thread_id in sorted(self.threads):
            reply = await self.http.request("DELETE", f"/threads/{thread_id}")
            if reply.status >= 300 and reply.status != 404:
                self.result.leftovers.append(f"thread {thread_id}: DELETE answered {reply.status}")
        for key in sorted(self.keys):
            await self.http.request("DELETE", "/store/items", json_body={"namespace": self.namespace, "key": key})


def _own_path_id(value: Any, run: ApiRun) -> Any:
    return {THREAD: run.thread_id, RUN: run.run_id}.get(value, value)


def _fill(value: Any, names: dict[str, str]) -> Any:
    """``value`` with each placeholder string replaced."""
    if isinstance(value, dict):
        return {k: _fill(v, names) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, names) for v in value]
    return names.get(value, value) if isinstance(value, str) else value
