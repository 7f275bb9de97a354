"""Executes scenarios against a target and evaluates their expectations. Knows nothing of pytest."""

from __future__ import annotations

import asyncio
import difflib
import json
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx

from conformance._errors import Deviation, HarnessError
from conformance._http import Http, Reply, open_client
from conformance._notation import mask_ids, render_message
from conformance._results import Check, Event, ScenarioResult
from conformance._target import Target, TargetInfo, probe
from conformance.scenarios._model import (
    Accepted,
    AwaitHeld,
    Expectation,
    Join,
    Refused,
    Release,
    RunGone,
    RunsListed,
    RunStatus,
    Scenario,
    Start,
    Step,
    ThreadMessages,
)

__all__ = ["Campaign", "Settings", "run_campaign"]

SUITE_TAG = "langgraph-conformance"
HOLD_NAMESPACE = "conformance"
IN_FLIGHT = ("pending", "running")


@dataclass(frozen=True)
class Settings:
    """How the suite paces itself against a target."""

    concurrency: int = 8
    wait_timeout: float = 30.0
    poll_interval: float = 0.02
    session: str = field(default_factory=lambda: uuid.uuid4().hex[:12])


@dataclass
class Campaign:
    """All scenario results of one session, and what the probe learned of the target."""

    info: TargetInfo
    results: dict[str, ScenarioResult]


@dataclass
class _Run:
    """A run the scenario started, under its scenario name."""

    name: str
    token: str | None
    run_id: str | None = None
    created: Reply | None = None
    reader: asyncio.Task[None] | None = None


class _ScenarioRun:
    """One execution of one scenario on a fresh thread of its own."""

    def __init__(self, client: httpx.AsyncClient, target: Target, settings: Settings, scenario: Scenario) -> None:
        self.target = target
        self.settings = settings
        self.scenario = scenario
        self.result = ScenarioResult(scenario.id)
        self.http = Http(client, self.result.trace)
        self.thread_id = ""
        self.runs: dict[str, _Run] = {}
        self.tags = {"conformance_suite": SUITE_TAG, "conformance_session": settings.session,
                     "conformance_scenario": scenario.id}  # fmt: skip

    # --- lifecycle ---------------------------------------------------------------------------

    async def execute(self) -> ScenarioResult:
        """Run the steps, evaluate the expectations, and always clean up."""
        self.result.started = time.monotonic()
        try:
            await self._create_thread()
            for step in self.scenario.steps:
                await self._step(step)
            for expectation in self.scenario.expect:
                self.result.checks.append(await self._evaluate(expectation))
        except Deviation as exc:
            self.result.deviation = self._mask(str(exc))
        except HarnessError as exc:
            self.result.error = self.target.redact(str(exc))
        except Exception as exc:  # a defect of the suite is a harness error, never a verdict
            self.result.error = self.target.redact(f"suite defect: {type(exc).__name__}: {exc}")
        finally:
            await self._clean_up()
            self.result.duration_s = time.monotonic() - self.result.started
            self.result.aliases = self._aliases()
        return self.result

    async def _create_thread(self) -> None:
        reply = await self.http.request("POST", "/threads", json_body={"metadata": self.tags})
        if reply.status != 200 or not isinstance(reply.body, dict) or "thread_id" not in reply.body:
            raise HarnessError(f"POST /threads answered {reply.status}: cannot create a thread to test on")
        self.thread_id = reply.body["thread_id"]

    async def _clean_up(self) -> None:
        """Release holds, cancel what is still in flight, delete the thread and the hold items."""
        try:
            held = [run for run in self.runs.values() if run.token]
            for run in held:
                await self._put_hold_item(run, "release")
            for run in self.runs.values():
                if run.reader is not None:
                    run.reader.cancel()
            if self.thread_id:
                listed = await self.http.request("GET", f"/threads/{self.thread_id}/runs", params={"limit": 100})
                for row in listed.body if isinstance(listed.body, list) else []:
                    if isinstance(row, dict) and row.get("status") in IN_FLIGHT:
                        await self.http.request(
                            "POST", f"/threads/{self.thread_id}/runs/{row['run_id']}/cancel", params={"wait": 1}
                        )
                deleted = await self.http.request("DELETE", f"/threads/{self.thread_id}")
                if deleted.status >= 300:
                    self.result.leftovers.append(f"thread {self.thread_id} (DELETE answered {deleted.status})")
            for run in held:
                for key in ("arrived", "release"):
                    await self.http.request(
                        "DELETE", "/store/items", json_body={"namespace": [HOLD_NAMESPACE, run.token], "key": key}
                    )
        except (HarnessError, Deviation) as exc:
            self.result.leftovers.append(f"clean-up stopped: {exc}")

    # --- steps -------------------------------------------------------------------------------

    async def _step(self, step: Step) -> None:
        match step:
            case Start():
                await self._start(step)
            case AwaitHeld(run=name):
                await self._await_held(self._run(name))
            case Release(run=name):
                await self._put_hold_item(self._run(name), "release")
                self._event(name, "released")
            case Join(run=name):
                await self._join(self._run(name))

    def _run(self, name: str) -> _Run:
        return self.runs[name]

    def _event(self, run: str, what: str) -> None:
        self.result.events.append(Event(time.monotonic(), run, what))

    async def _start(self, step: Start) -> None:
        token = f"{self.settings.session}-{uuid.uuid4().hex[:12]}" if step.hold_at else None
        run = _Run(step.run, token)
        self.runs[step.run] = run
        configurable: dict[str, Any] = {}
        if token:
            configurable.update(hold_at=step.hold_at, hold_token=token)
        body: dict[str, Any] = {
            "assistant_id": self.target.assistant_id,
            "input": {"messages": [{"role": "human", "content": step.ask}]},
            "config": {"configurable": configurable},
            "metadata": {**self.tags, "conformance_run": step.run},
        }
        if step.strategy:
            body["multitask_strategy"] = step.strategy
        path = f"/threads/{self.thread_id}/runs"
        if step.endpoint == "create":
            run.created = await self.http.request("POST", path, json_body=body)
            if run.created.status == 200 and isinstance(run.created.body, dict):
                run.run_id = run.created.body.get("run_id")
        else:
            await self._start_streaming(run, f"{path}/{step.endpoint}", body)
        self._event(step.run, f"created {run.created.status if run.created else '?'}")

    async def _start_streaming(self, run: _Run, path: str, body: dict[str, Any]) -> None:
        """Open ``/runs/stream`` or ``/runs/wait``; return once the run is known, read on in the background."""
        known: asyncio.Future[None] = asyncio.get_running_loop().create_future()

        async def read() -> None:
            async with self.http.stream("POST", path, json_body=body, timeout=self.settings.wait_timeout) as (
                response,
                exchange,
            ):
                location = response.headers.get("content-location", "")
                run.run_id = location.rstrip("/").rsplit("/", 1)[-1] or None if "/runs/" in location else None
                chunks: list[str] = []
                if response.status_code != 200 or run.run_id:
                    run.created = Reply(response.status_code, None, response.headers)
                    known.set_result(None)
                async for chunk in response.aiter_text():
                    chunks.append(chunk)
                    if not known.done() and (found := _run_id_in_sse("".join(chunks))):
                        run.run_id = found
                        run.created = Reply(response.status_code, None, response.headers)
                        known.set_result(None)
                exchange.response = _decode_body("".join(chunks))
                if not known.done():
                    run.created = Reply(response.status_code, exchange.response, response.headers)
                    known.set_result(None)
                elif run.created is not None and run.created.status != 200:
                    run.created = Reply(run.created.status, exchange.response, run.created.headers)

        run.reader = asyncio.create_task(read())
        done, _ = await asyncio.wait({run.reader, known}, return_when=asyncio.FIRST_COMPLETED,
                                     timeout=self.settings.wait_timeout)  # fmt: skip
        if run.reader in done and not known.done():
            run.reader.result()  # re-raise what stopped the reader
        if not known.done():
            raise Deviation(f"timed out after {self.settings.wait_timeout:.0f} s waiting for POST {path} to name its run")

    async def _put_hold_item(self, run: _Run, key: str) -> None:
        if not run.token:
            raise ValueError(f"scenario error: {run.name} was started without a hold")
        await self.http.request(
            "PUT", "/store/items", json_body={"namespace": [HOLD_NAMESPACE, run.token], "key": key, "value": {}}
        )

    async def _await_held(self, run: _Run) -> None:
        params = {"namespace": f"{HOLD_NAMESPACE}.{run.token}", "key": "arrived"}

        async def arrived() -> bool:
            reply = await self.http.request("GET", "/store/items", params=params)
            return reply.status == 200 and isinstance(reply.body, dict) and reply.body.get("key") == "arrived"

        await self._poll(arrived, f"{run.name} to reach its hold (store item {params['namespace']}/arrived)")
        self._event(run.name, "held")

    async def _join(self, run: _Run) -> None:
        if not run.run_id:
            status = run.created.status if run.created else "no answer"
            raise Deviation(f"{run.name} was not created (HTTP {status}), so it cannot be joined")
        await self.http.request(
            "GET",
            f"/threads/{self.thread_id}/runs/{run.run_id}/join",
            timeout=self.settings.wait_timeout,
            waiting_for=f"{run.name} to finish (join)",
        )

        async def settled() -> bool:
            reply = await self.http.request("GET", f"/threads/{self.thread_id}/runs/{run.run_id}")
            return reply.status == 404 or (isinstance(reply.body, dict) and reply.body.get("status") not in IN_FLIGHT)

        await self._poll(settled, f"{run.name} to leave pending/running")
        if run.reader is not None:
            await asyncio.wait_for(run.reader, self.settings.wait_timeout)
        self._event(run.name, "joined")

    async def _poll(self, condition: Callable[[], Awaitable[bool]], what: str) -> None:
        """Ask ``condition`` until it holds; only the last poll stays in the trace."""
        deadline = time.monotonic() + self.settings.wait_timeout
        while True:
            mark = len(self.result.trace)
            if await condition():
                return
            if time.monotonic() > deadline:
                raise Deviation(f"timed out after {self.settings.wait_timeout:.0f} s waiting for {what}")
            del self.result.trace[mark:]
            await asyncio.sleep(self.settings.poll_interval)

    # --- expectations ------------------------------------------------------------------------

    async def _evaluate(self, expectation: Expectation) -> Check:
        req, said = expectation.requirement, str(expectation)
        match expectation:
            case ThreadMessages(lines=lines):
                actual = await self._thread_messages()
                diff = "" if actual == list(lines) else _diff(list(lines), actual)
                return Check(req, said, not diff, f"{len(lines)} messages", f"{len(actual)} messages", diff)
            case RunStatus(run=name, status=status):
                got = await self._get_run(name)
                seen = got.body.get("status") if got.status == 200 and isinstance(got.body, dict) else None
                actual = f"status {seen}" if seen else f"HTTP {got.status}"
                return Check(req, said, seen == status, f"status {status}", actual)
            case RunGone(run=name):
                got = await self._get_run(name)
                return Check(req, said, got.status == 404, "HTTP 404", self._mask(f"HTTP {got.status} {_brief(got.body)}"))
            case RunsListed(runs=names):
                listed = await self._listed_runs()
                return Check(req, said, sorted(listed) == sorted(names), ", ".join(sorted(names)) or "nothing",
                             ", ".join(sorted(listed)) or "nothing")  # fmt: skip
            case Accepted(run=name):
                status = self._created_status(name)
                return Check(req, said, status == 200, "HTTP 200", f"HTTP {status}")
            case Refused(run=name, statuses=statuses):
                status = self._created_status(name)
                return Check(req, said, status in statuses, str(expectation).split(" with ")[-1], f"HTTP {status}")
        raise TypeError(f"unknown expectation {expectation!r}")

    def _created_status(self, name: str) -> int | None:
        created = self._run(name).created
        return created.status if created else None

    async def _get_run(self, name: str) -> Reply:
        run = self._run(name)
        if not run.run_id:
            raise Deviation(f"{name} was not created (HTTP {self._created_status(name)}), so it cannot be read")
        return await self.http.request("GET", f"/threads/{self.thread_id}/runs/{run.run_id}")

    async def _thread_messages(self) -> list[str]:
        reply = await self.http.request("GET", f"/threads/{self.thread_id}/state")
        if reply.status != 200 or not isinstance(reply.body, dict):
            raise Deviation(f"GET /threads/<thread>/state answered HTTP {reply.status}")
        values = reply.body.get("values") or {}
        messages = values.get("messages", []) if isinstance(values, dict) else []
        return [render_message(m) for m in messages]

    async def _listed_runs(self) -> list[str]:
        reply = await self.http.request("GET", f"/threads/{self.thread_id}/runs", params={"limit": 100})
        if reply.status != 200 or not isinstance(reply.body, list):
            raise Deviation(f"GET /threads/<thread>/runs answered HTTP {reply.status}")
        names = {run.run_id: run.name for run in self.runs.values() if run.run_id}
        return [names.get(row.get("run_id"), "<a run the suite did not start>") for row in reply.body]

    # --- presentation ------------------------------------------------------------------------

    def _aliases(self) -> dict[str, str]:
        aliases = {run.run_id: run.name for run in self.runs.values() if run.run_id}
        if self.thread_id:
            aliases[self.thread_id] = "thread"
        return aliases

    def _mask(self, text: str) -> str:
        return mask_ids(self.target.redact(text), self._aliases())


def _diff(expected: Sequence[str], actual: Sequence[str]) -> str:
    lines = difflib.unified_diff(list(expected), list(actual), "expected", "actual", lineterm="", n=len(expected))
    return "\n".join(lines)


def _brief(body: Any) -> str:
    text = body if isinstance(body, str) else json.dumps(body, sort_keys=True)
    return text if len(text) <= 120 else text[:120] + "..."


def _decode_body(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text[:2000]


def _run_id_in_sse(text: str) -> str | None:
    """The run id of an SSE ``metadata`` event, if one has arrived."""
    for block in text.split("\n\n"):
        if "event: metadata" in block:
            for line in block.splitlines():
                if line.startswith("data:"):
                    try:
                        data = json.loads(line[5:])
                    except ValueError:
                        return None
                    return data.get("run_id") if isinstance(data, dict) else None
    return None


async def run_campaign(target: Target, scenarios: Sequence[Scenario], settings: Settings) -> Campaign:
    """Probe the target once, then run ``scenarios`` concurrently, each on its own thread."""
    async with open_client(target.url, target.headers, settings.wait_timeout + 5) as client:
        info = await probe(Http(client, []), target)
        gate = asyncio.Semaphore(settings.concurrency)

        async def one(scenario: Scenario) -> ScenarioResult:
            async with gate:
                if not info.store and any(isinstance(s, AwaitHeld) for s in scenario.steps):
                    return ScenarioResult(scenario.id, skipped="the target has no working store (/store/items), "
                                                              "which the hold directive needs")  # fmt: skip
                return await _ScenarioRun(client, target, settings, scenario).execute()

        results = await asyncio.gather(*(one(s) for s in scenarios))
    return Campaign(info, {r.scenario: r for r in results})
