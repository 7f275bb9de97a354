"""Executes scenarios against a target and evaluates their checks. Knows nothing of pytest."""

from __future__ import annotations

import asyncio
import difflib
import json
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from conformance._errors import Deviation, HarnessError, TimedOut
from conformance._http import Exchange, Http, Reply
from conformance._monitor import Monitor
from conformance._notation import mask_ids, render_message
from conformance._results import CUT_SHORT, CheckResult, Event, ScenarioResult
from conformance._settings import Settings
from conformance._sse import parse_events
from conformance._target import SUITE_TAG, Target, TargetInfo
from conformance.scenarios._model import (
    Answered,
    AnsweredError,
    AwaitHeld,
    Cancel,
    CancelByStatus,
    CancelMany,
    Check,
    CheckNow,
    Expect,
    HistoryNames,
    Join,
    JoinStream,
    OneOf,
    Release,
    RunField,
    RunGone,
    RunSettled,
    RunsListed,
    RunStatus,
    Scenario,
    Start,
    StartStateless,
    Step,
    ThreadMessages,
    ThreadStatus,
    UpdateState,
)
from conformance.scenarios.transcripts import asked, until_tool_call

__all__ = ["CLEANUP_TIMEOUT", "ScenarioRun", "required_paths"]

HOLD_NAMESPACE = "conformance"
IN_FLIGHT = ("pending", "running")
CLEANUP_TIMEOUT = 10.0  # at most, for a scenario's final look and clean-up: a stopped session exits promptly


@dataclass
class _Run:
    """A run the scenario started, under its scenario name."""

    start: Start
    token: str | None
    run_id: str | None = None
    reader: asyncio.Task[None] | None = None

    @property
    def name(self) -> str:
        return self.start.run


class ScenarioRun:
    """One execution of one scenario on a fresh thread of its own."""

    def __init__(
        self, client: httpx.AsyncClient, target: Target, info: TargetInfo, settings: Settings, scenario: Scenario,
        monitor: Monitor,
    ) -> None:  # fmt: skip
        self.target = target
        self.info = info
        self.settings = settings
        self.scenario = scenario
        self.monitor = monitor
        self.result = ScenarioResult(scenario.id)
        self.http = Http(client, self.result.trace, monitor, scenario.id)
        self.cleaning = False  # once set, a stop no longer cancels this run: its clean-up must finish
        self.thread_id = ""
        self.runs: dict[str, _Run] = {}
        self.replies: dict[str, Reply] = {}
        self.tags = {"conformance_suite": SUITE_TAG, "conformance_session": settings.session,
                     "conformance_scenario": scenario.id}  # fmt: skip

    # --- lifecycle -----------------------------------------------------------------------------

    async def execute(self) -> ScenarioResult:
        """Run the steps, evaluate the checks, and always clean up (also when the campaign cancels it)."""
        self.result.started = time.monotonic()
        try:
            await self._create_thread()
            for step in self.scenario.steps:
                await self._step(step)
            for expect in self.scenario.expect:
                await self._judge(expect)
        except asyncio.CancelledError:  # the campaign stopped: no verdict, but clean up all the same
            _uncancel()
            self.result.error = CUT_SHORT
        except Deviation as exc:
            self.result.deviation = self._mask(str(exc))
        except HarnessError as exc:
            self.result.error = self.target.redact(str(exc))
        except Exception as exc:  # a defect of the suite is a harness error, never a verdict
            self.result.error = self.target.redact(f"suite defect: {type(exc).__name__}: {exc}")
        finally:
            self.cleaning = True
            try:
                async with asyncio.timeout(min(CLEANUP_TIMEOUT, self.settings.wait_timeout)):
                    await self._observe_final()
                    await self._clean_up()
            except TimeoutError:
                self.result.leftovers.append(f"clean-up stopped after {CLEANUP_TIMEOUT:.0f} s: the target is too slow")
            self.result.duration_s = time.monotonic() - self.result.started
            self.result.aliases = self._aliases()
        return self.result

    async def _create_thread(self) -> None:
        if not self.scenario.create_thread:  # its first run creates it (if_not_exists="create")
            self.thread_id = str(uuid.uuid4())
            return
        reply = await self.http.request("POST", "/threads", json_body={"metadata": self.tags})
        if reply.status != 200 or not isinstance(reply.body, dict) or "thread_id" not in reply.body:
            raise HarnessError(f"POST /threads answered {reply.status}: cannot create a thread to test on")
        self.thread_id = reply.body["thread_id"]

    async def _observe_final(self) -> None:
        """Record where each run ended up (for timelines); never a verdict."""
        for run in self.runs.values():
            if not run.run_id:
                continue
            try:
                got = await self.http.request("GET", f"/threads/{self.thread_id}/runs/{run.run_id}")
            except (HarnessError, Deviation):
                return
            status = got.body.get("status") if isinstance(got.body, dict) else None
            self._event(run.name, "final: deleted (404)" if got.status == 404 else f"final: {status or got.status}")

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

    # --- steps ---------------------------------------------------------------------------------

    async def _step(self, step: Step) -> None:
        match step:
            case Start():
                await self._start(step)
            case StartStateless(label=label, ask=ask, strategy=strategy):
                body = {**self._run_body(ask, strategy, {}, label), "on_completion": "delete"}
                self.replies[label] = await self.http.request("POST", "/runs/wait", json_body=body)
            case AwaitHeld(run=name):
                await self._await_held(self.runs[name])
            case Release(run=name):
                await self._release(self.runs[name])
            case Join(run=name):
                await self._join(self.runs[name], step.label)
            case JoinStream(run=name):
                await self._join_stream(self.runs[name], step.label)
            case Cancel(run=name, action=action, wait=wait, refusal_expected=refusal_expected):
                path = f"/threads/{self.thread_id}/runs/{self._run_id(name)}/cancel"
                params = {"action": action, "wait": int(wait)}
                reply = await self.http.request("POST", path, params=params, timeout=self.settings.wait_timeout)
                self.replies[step.label] = reply
                self._event(name, f"cancel {action}: {reply.status}")
                if not refusal_expected:
                    _needed(reply, f"cancelling {name}")
            case CancelMany(runs=names, action=action):
                body = {"thread_id": self.thread_id, "run_ids": [self._run_id(n) for n in names]}
                reply = await self.http.request("POST", "/runs/cancel", json_body=body, params={"action": action})
                self.replies[step.label] = reply
                for name in names:
                    self._event(name, f"cancel {action}: {reply.status}")
                _needed(reply, f"cancelling {', '.join(names)} by POST /runs/cancel")
            case CancelByStatus(status=status, action=action):
                reply = await self.http.request("POST", "/runs/cancel", json_body={"status": status},
                                                params={"action": action})  # fmt: skip
                self.replies[step.label] = reply
                for name in self.runs:
                    self._event(name, f"cancel every {status} run ({action}): {reply.status}")
                _needed(reply, f"cancelling every {status} run by POST /runs/cancel")
            case UpdateState(label=label, ask=ask):
                body = {"values": {"messages": [{"role": "human", "content": ask}]}}
                self.replies[label] = await self.http.request("POST", f"/threads/{self.thread_id}/state", json_body=body)
            case CheckNow(expect=expect):
                await self._judge(expect)

    def _event(self, run: str, what: str) -> None:
        self.result.events.append(Event(time.monotonic(), run, what))

    def _run_id(self, name: str) -> str:
        run = self.runs[name]
        if not run.run_id:
            reply = self.replies.get(name)
            raise Deviation(f"{name} was not created (HTTP {reply.status if reply else 'no answer'})")
        return run.run_id

    def _run_body(self, ask: str, strategy: str | None, configurable: dict[str, Any], name: str) -> dict[str, Any]:
        body: dict[str, Any] = {
            "assistant_id": self.target.assistant_id,
            "input": {"messages": [{"role": "human", "content": ask}]},
            "config": {"configurable": configurable},
            "metadata": {**self.tags, "conformance_run": name},
        }
        if strategy:
            body["multitask_strategy"] = strategy
        return body

    async def _start(self, step: Start) -> None:
        token = f"{self.settings.session}-{uuid.uuid4().hex[:12]}" if step.hold_at and self.info.store else None
        run = _Run(step, token)
        self.runs[step.run] = run
        # Every directive is sent, unused ones as null: some servers carry a thread's earlier
        # configurable into its later runs.
        directives: dict[str, Any] = {
            "hold_at": step.hold_at,
            "hold_token": token,
            "hold_seconds": self.settings.timed_hold_seconds if step.hold_at and not token else None,
            "ask_human_at": step.ask_human_at,
            "fail_at": step.fail_at,
            "time_scale": self.settings.time_scale,
        }
        body = self._run_body(step.ask, step.strategy, directives, step.run)
        if step.after_seconds is not None:
            body["after_seconds"] = step.after_seconds
        if step.if_not_exists is not None:
            body["if_not_exists"] = step.if_not_exists
        path = f"/threads/{self.thread_id}/runs"
        if step.endpoint == "create":
            reply = await self.http.request("POST", path, json_body=body)
            self.replies[step.label] = reply
            if reply.status == 200 and isinstance(reply.body, dict):
                run.run_id = reply.body.get("run_id")
        else:
            await self._start_streaming(run, f"{path}/{step.endpoint}", body)
        how = f" ({step.strategy})" if step.strategy else ""
        reply = self.replies.get(step.run)  # a streamed run may be listed before its headers arrive
        self._event(step.run, f"created{how}: {reply.status if reply else 'listed'}")

    async def _start_streaming(self, run: _Run, path: str, body: dict[str, Any]) -> None:
        """Open ``/runs/stream`` or ``/runs/wait`` in the background; go on once the run exists.

        The run is named by the ``Content-Location`` header where the server sends one, else found
        in the thread's runs list by its metadata: a queued run's stream may stay silent.
        """

        async def read() -> None:
            async with self.http.stream("POST", path, json_body=body, timeout=self.settings.wait_timeout) as (
                response,
                exchange,
            ):
                # Without Content-Location keep the id the runs list gave: headers may come at the run's end.
                run.run_id = _run_id_from_location(response.headers.get("content-location", "")) or run.run_id
                self.replies[run.name] = Reply(response.status_code, None, response.headers)
                text = (await response.aread()).decode(errors="replace")
                answer = parse_events(text) if path.endswith("/stream") and response.status_code == 200 else _decode(text)
                exchange.response = answer
                self.replies[run.name] = Reply(response.status_code, answer, response.headers)

        run.reader = asyncio.create_task(read())

        async def created() -> bool:
            if run.reader is not None and run.reader.done():
                run.reader.result()  # re-raise what stopped the reader
            reply = self.replies.get(run.name)
            if run.run_id or (reply is not None and reply.status != 200):
                return True
            # Headers may come only with the run's end (some /runs/wait): the runs list shows it sooner.
            run.run_id = await self._listed_run_id(run.name)
            return run.run_id is not None

        await self._poll(created, f"POST {path} to create {run.name}", progress=False)

    async def _listed_run_id(self, name: str) -> str | None:
        """The id of run ``name`` in this thread's runs list: by its metadata tag, else as the one unknown run.

        The second way is for servers that keep no run metadata (no listed run has a tag). Runs start
        one at a time, so while ``name`` is being created every other run of the thread is known.
        """
        reply = await self.http.request("GET", f"/threads/{self.thread_id}/runs", params={"limit": 100})
        rows = [row for row in reply.body if isinstance(row, dict)] if isinstance(reply.body, list) else []
        tags = [(row.get("metadata") or {}).get("conformance_run") for row in rows]
        if any(tags):
            return next((row.get("run_id") for row, tag in zip(rows, tags, strict=True) if tag == name), None)
        known = {run.run_id for run in self.runs.values() if run.run_id}
        unknown = [row["run_id"] for row in rows if row.get("run_id") and row["run_id"] not in known]
        return unknown[0] if len(unknown) == 1 else None

    async def _put_hold_item(self, run: _Run, key: str) -> None:
        await self.http.request(
            "PUT", "/store/items", json_body={"namespace": [HOLD_NAMESPACE, run.token], "key": key, "value": {}}
        )

    async def _await_held(self, run: _Run) -> None:
        if run.token:
            params = {"namespace": f"{HOLD_NAMESPACE}.{run.token}", "key": "arrived"}

            async def arrived() -> bool:
                reply = await self.http.request("GET", "/store/items", params=params)
                return reply.status == 200 and isinstance(reply.body, dict) and reply.body.get("key") == "arrived"

            await self._poll(arrived, f"{run.name} to reach its hold (store item {params['namespace']}/arrived)",
                             progress=True)  # fmt: skip
        else:  # timed hold: wait until the state shows the run has reached its node
            shown = (asked if run.start.hold_at == "agent" else until_tool_call)(run.start.ask)[-1]

            async def reached() -> bool:
                lines = await self._thread_messages()
                return bool(lines) and lines[-1] == shown

            await self._poll(reached, f"{run.name} to reach {run.start.hold_at} (state ending with {shown!r})",
                             progress=True)  # fmt: skip
        self._event(run.name, "held")

    async def _release(self, run: _Run) -> None:
        if run.token:
            await self._put_hold_item(run, "release")
            self._event(run.name, "released")
        else:
            self._event(run.name, "released (timed hold: ends by itself)")

    async def _join(self, run: _Run, label: str) -> None:
        run_id = self._run_id(run.name)
        self.replies[label] = await self.http.request(
            "GET",
            f"/threads/{self.thread_id}/runs/{run_id}/join",
            timeout=self.settings.wait_timeout,
            waiting_for=f"{run.name} to finish (join)",
            progress=True,
        )

        async def settled() -> bool:
            reply = await self.http.request("GET", f"/threads/{self.thread_id}/runs/{run_id}")
            return reply.status == 404 or (isinstance(reply.body, dict) and reply.body.get("status") not in IN_FLIGHT)

        await self._poll(settled, f"{run.name} to leave pending/running", progress=True)
        if run.reader is not None:
            await asyncio.wait_for(asyncio.shield(run.reader), self.settings.wait_timeout)
        self._event(run.name, "joined")

    async def _join_stream(self, run: _Run, label: str) -> None:
        path = f"/threads/{self.thread_id}/runs/{self._run_id(run.name)}/stream"
        async with self.http.stream("GET", path, timeout=self.settings.wait_timeout, progress=True) as (
            response,
            exchange,
        ):
            text = (await response.aread()).decode(errors="replace")
            body = parse_events(text) if response.status_code == 200 else _decode(text)
            exchange.response = body
            self.replies[label] = Reply(response.status_code, body, response.headers)

    async def _poll(self, condition: Callable[[], Awaitable[bool]], what: str, *, progress: bool) -> None:
        """Ask ``condition`` until it holds; only the last poll stays in the trace.

        ``progress``: the condition holding shows that a run moved (for the breaker).
        """
        deadline = time.monotonic() + self.settings.wait_timeout
        with self.monitor.waiting(self.scenario.id, what, progress=progress):
            while True:
                polled: list[Exchange] = []
                with self.http.recording_into(polled):
                    held = await condition()
                if held or time.monotonic() > deadline:
                    self.result.trace.extend(polled)
                if held:
                    return
                if time.monotonic() > deadline:
                    raise TimedOut(f"timed out after {self.settings.wait_timeout:.0f} s waiting for {what}")
                await asyncio.sleep(self.settings.poll_interval)

    # --- checks --------------------------------------------------------------------------------

    async def _judge(self, expect: Expect) -> None:
        passed, expected, actual, diff, shown = await self._check(expect.check)
        self.result.checks.append(
            CheckResult(expect.requirement, str(expect.check), passed, expected, self._mask(actual), diff, shown)
        )

    async def _check(self, check: Check) -> tuple[bool, str, str, str, str]:
        """``(passed, expected, actual, diff, shown)``; ``shown`` names the matching ``OneOf`` option."""
        match check:
            case ThreadMessages(lines=lines):
                actual = await self._thread_messages()
                diff = "" if actual == list(lines) else _diff(list(lines), actual)
                return not diff, f"{len(lines)} messages", f"{len(actual)} messages", diff, ""
            case RunStatus(run=name, status=status):
                got = await self._get_run(name)
                seen = got.body.get("status") if got.status == 200 and isinstance(got.body, dict) else None
                return seen == status, f"status {status}", f"status {seen}" if seen else _brief(got), "", ""
            case RunField(run=name, field=key, value=value):
                got = await self._get_run(name)
                seen = got.body.get(key) if got.status == 200 and isinstance(got.body, dict) else None
                return seen == value, f"{key}={value}", f"{key}={seen}" if got.status == 200 else _brief(got), "", ""
            case RunSettled(run=name):
                got = await self._get_run(name)
                seen = got.body.get("status") if got.status == 200 and isinstance(got.body, dict) else None
                settled = got.status == 404 or (seen is not None and seen not in IN_FLIGHT)
                return settled, "not pending or running", f"status {seen}" if seen else _brief(got), "", ""
            case RunGone(run=name):
                got = await self._get_run(name)
                return got.status == 404, "HTTP 404", _brief(got), "", ""
            case RunsListed(runs=names):
                listed = sorted(await self._listed_runs())
                return listed == sorted(names), ", ".join(sorted(names)) or "nothing", ", ".join(listed) or "nothing", "", ""
            case ThreadStatus(status=status):
                got = await self.http.request("GET", f"/threads/{self.thread_id}")
                seen = got.body.get("status") if isinstance(got.body, dict) else None
                return seen == status, status, str(seen) if seen else _brief(got), "", ""
            case HistoryNames(run=name, present=present):
                named = await self._history_names(self._run_id(name))
                return named == present, f"{'some' if present else 'no'} checkpoint of {name}", \
                    f"{'some' if named else 'no'} checkpoint of {name}", "", ""  # fmt: skip
            case Answered(label=label, statuses=statuses):
                got = self.replies.get(label)
                return bool(got and got.status in statuses), str(check).split(" answered ")[-1], \
                    _brief(got) if got else "no request", "", ""  # fmt: skip
            case AnsweredError(label=label):
                got = self.replies.get(label)
                return bool(got and got.status == 200 and _reports_error(got.body)), "200 with an error body", \
                    _brief(got) if got else "no request", "", ""  # fmt: skip
            case OneOf(options=options):
                seen, diffs = [], []
                for number, option in enumerate(options, 1):
                    passed, expected, actual, diff, _ = await self._check(option)
                    if passed:
                        return True, str(check), str(option), "", str(option)
                    seen.append(actual)
                    diffs.append(f"option {number}, {option}:\n{diff or f'expected {expected}, got {actual}'}")
                return False, str(check), "; ".join(dict.fromkeys(seen)), "\n".join(diffs), ""
        raise TypeError(f"unknown check {check!r}")

    async def _get_run(self, name: str) -> Reply:
        return await self.http.request("GET", f"/threads/{self.thread_id}/runs/{self._run_id(name)}")

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

    async def _history_names(self, run_id: str) -> bool:
        reply = await self.http.request("POST", f"/threads/{self.thread_id}/history", json_body={"limit": 1000})
        if reply.status != 200 or not isinstance(reply.body, list):
            raise Deviation(f"POST /threads/<thread>/history answered HTTP {reply.status}")
        return any(run_id in json.dumps(state.get("metadata")) for state in reply.body if isinstance(state, dict))

    # --- presentation --------------------------------------------------------------------------

    def _aliases(self) -> dict[str, str]:
        aliases = {run.run_id: run.name for run in self.runs.values() if run.run_id}
        if self.thread_id:
            aliases[self.thread_id] = "thread"
        return aliases

    def _mask(self, text: str) -> str:
        return mask_ids(self.target.redact(text), self._aliases())


def _uncancel() -> None:
    """Take back the campaign's cancellation of this task, so that its clean-up's own timeouts work."""
    task = asyncio.current_task()
    if task is not None:
        task.uncancel()


def _needed(reply: Reply, what: str) -> None:
    """The script cannot go on when a request it depends on was not accepted."""
    if not 200 <= reply.status < 300:
        raise Deviation(f"{what} answered {_brief(reply)}: the script cannot go on")


def _diff(expected: Sequence[str], actual: Sequence[str]) -> str:
    lines = difflib.unified_diff(list(expected), list(actual), "expected", "actual", lineterm="", n=len(expected))
    return "\n".join(lines)


def _brief(reply: Reply) -> str:
    body = reply.body
    text = body if isinstance(body, str) else json.dumps(body, sort_keys=True)
    return f"HTTP {reply.status} " + (text if len(text) <= 160 else text[:160] + "...")


def _decode(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text[:2000]


def _reports_error(body: Any) -> bool:
    if isinstance(body, dict):
        return "__error__" in body
    if isinstance(body, list):
        return any(isinstance(e, dict) and e.get("event") == "error" for e in body)
    return False


def _run_id_from_location(location: str) -> str | None:
    """``/threads/T/runs/R`` -> ``R``."""
    if "/runs/" not in location:
        return None
    return location.rstrip("/").rsplit("/runs/", 1)[1] or None


_PATHS: dict[type, str] = {
    StartStateless: "/runs/wait",
    JoinStream: "/threads/{thread_id}/runs/{run_id}/stream",
    CancelMany: "/runs/cancel",
    CancelByStatus: "/runs/cancel",
    UpdateState: "/threads/{thread_id}/state",
}


def required_paths(scenario: Scenario) -> set[str]:
    """The API paths a scenario needs beyond run creation, as the OpenAPI spec names them."""
    paths = {_PATHS[type(step)] for step in scenario.steps if type(step) in _PATHS}
    paths |= {f"/threads/{{thread_id}}/runs/{s.endpoint}" for s in scenario.steps
              if isinstance(s, Start) and s.endpoint != "create"}  # fmt: skip
    return paths
