"""One scenario execution: its steps, in order, then its checks; always its clean-up. Knows nothing of pytest."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable

from conformance.core.endings import CLEANUP_TIMEOUT, bounded_clean_up, ended_early
from conformance.core.errors import Deviation, HarnessError, NotReached, TimedOut
from conformance.core.exchange import Reply
from conformance.core.monitor import Monitor
from conformance.core.results import ScenarioResult
from conformance.core.room import after_control
from conformance.core.settings import Settings
from conformance.lanes.cleanup import clean_up, observe_final
from conformance.lanes.contract.checks import judge, judge_all, premise
from conformance.lanes.contract.commands import PATH as COMMANDS
from conformance.lanes.contract.commands import send_command, start_command
from conformance.lanes.contract.discovery import decode, start_streaming
from conformance.lanes.contract.events import PATH as EVENTS
from conformance.lanes.contract.events import subscribe
from conformance.lanes.contract.notes import sdk_notes
from conformance.lanes.contract.observers import create_other_thread, via_other_thread, waiting_join
from conformance.lanes.contract.stops import watch_stop
from conformance.lanes.state import IN_FLIGHT, RunHandle, ScenarioState, brief
from conformance.scenarios._model import (
    PROTOCOL_ENDPOINTS,
    Answered,
    AnsweredError,
    AnsweredInFlight,
    AwaitControl,
    AwaitHeld,
    AwaitSettled,
    Cancel,
    CancelByStatus,
    CancelMany,
    CheckNow,
    Command,
    CommandAnswered,
    DeleteThread,
    Given,
    Join,
    JoinStream,
    NoServerError,
    OtherThread,
    RefusalTyped,
    Refused,
    Release,
    Scenario,
    SdkCall,
    Start,
    StartStateless,
    Step,
    Subscribe,
    UpdateState,
    ViaOtherThread,
    WaitingJoin,
    WatchStop,
)
from conformance.target.http import Pool
from conformance.target.liveness import control_run
from conformance.target.probe import Target, TargetInfo
from conformance.target.sse import parse_events

__all__ = ["ScenarioRun", "SdkCaller", "required_paths"]

ANSWERS = (Answered, AnsweredError, NoServerError, Refused, CommandAnswered, RefusalTyped, AnsweredInFlight)
"""Checks that read the answers the script recorded (and when they came): still judged after a deviation stopped
it."""

SdkCaller = Callable[[ScenarioState, SdkCall], Awaitable[None]]



class ScenarioRun:
    """One execution of one scenario on a fresh thread of its own."""

    def __init__(
        self, client: Pool, target: Target, info: TargetInfo, settings: Settings, scenario: Scenario,
        monitor: Monitor, sdk: SdkCaller | None = None,
    ) -> None:  # fmt: skip
        self.state = ScenarioState(client, target, info, settings, scenario, monitor)
        self.sdk = sdk
        """How an ``SdkCall`` step is made: the SDK lane's caller, given by the session (lanes do not import lanes)."""
        self.cleaning = False  # once set, a stop no longer cancels this run: its clean-up must finish

    # --- lifecycle -----------------------------------------------------------------------------

    async def execute(self) -> ScenarioResult:
        """Run the steps, evaluate the checks, and always clean up (also when the campaign cancels it)."""
        self.state.result.started = time.monotonic()
        self.state.result.planned = dict(Counter(e.requirement for e in self.state.scenario.expectations))
        with ended_early(self.state.result, self.state.mask):
            await self._set_up(self._create_thread(), "create the scenario's thread")
            for step in self.state.scenario.setup:
                await self._set_up(self._step(step), str(step))
                self._created(step)
            try:
                for step in self.state.scenario.steps:
                    await self._step(step)
            except Deviation:  # what the answers already recorded show is judged all the same
                await judge_all(self.state, (e for e in self.state.scenario.expect if isinstance(e.check, ANSWERS)))
                raise
            except TimedOut as exc:
                if exc.alone:  # nothing else was there to progress: a control run decides (conformance.core.room)
                    await self._let_go(None, "the scenario ended there: its holds would keep the control run out")
                    exc.room, exc.why = after_control(*await control_run(
                        self.state.http, self.state.target.assistant_id, self.state.tags,
                        self.state.settings.wait_timeout))  # fmt: skip
                raise
            await judge_all(self.state, self.state.scenario.expect)
            self.state.result.notes = sdk_notes(self.state)
        self.cleaning = True
        await bounded_clean_up(self.state.result, self._final_look_and_clean_up(),
                               min(CLEANUP_TIMEOUT, self.state.settings.wait_timeout))  # fmt: skip
        self.state.result.duration_s = time.monotonic() - self.state.result.started
        self.state.result.aliases = self.state.aliases()
        self.state.result.answers = {label: reply.status for label, reply in self.state.replies.items()}
        return self.state.result

    async def _final_look_and_clean_up(self) -> None:
        await asyncio.gather(observe_final(self.state), clean_up(self.state))  # the look only reads

    async def _create_thread(self) -> None:
        if not self.state.scenario.create_thread:  # its first run creates it (if_not_exists="create")
            self.state.thread_id = str(uuid.uuid4())
            return
        reply = await self.state.http.create("/threads", {"metadata": self.state.tags}, self._learn_thread)
        if reply.status != 200 or not isinstance(reply.body, dict) or "thread_id" not in reply.body:
            raise NotReached(f"POST /threads answered {brief(reply)}: no thread to test on")

    def _learn_thread(self, reply: Reply) -> None:
        if reply.status == 200 and isinstance(reply.body, dict):
            self.state.thread_id = str(reply.body.get("thread_id") or "")

    # --- steps ---------------------------------------------------------------------------------

    @staticmethod
    async def _set_up(doing: Awaitable[None], what: str) -> None:
        """A step that brings the thread to its situation: whatever stops it leaves the scenario not reached."""
        try:
            await doing
        except (Deviation, TimedOut) as exc:
            raise NotReached(f"set-up step '{what}' did not complete: {exc}") from None

    def _created(self, step: Step) -> None:
        """A run the set-up starts must have been created, or the situation is not reached."""
        if isinstance(step, Start) and step.endpoint in ("create", *PROTOCOL_ENDPOINTS) and not self.state.runs[step.run].run_id:
            reply = self.state.replies.get(step.label)
            path = "/runs" if step.endpoint == "create" else f" run.start ({step.endpoint})"
            raise NotReached(f"set-up step '{step}' was refused: POST /threads/<thread>{path} answered "
                             f"{brief(reply) if reply else 'nothing'}")  # fmt: skip

    async def _step(self, step: Step) -> None:
        match step:
            case Start():
                await self._start(step)
            case StartStateless(label=label, ask=ask, strategy=strategy):
                body = {**self.state.run_body(ask, strategy, {}, label), "on_completion": "delete"}
                self.state.replies[label] = await self.state.http.request(
                    "POST", "/runs/wait", json_body=body, timeout=self.state.settings.wait_timeout,
                    waiting_for=f"stateless run {label} to finish (POST /runs/wait)", progress=True)
            case AwaitHeld(run=name):
                await self._unblocked(self.state.runs[name], lambda: self.state.await_hold(self.state.runs[name]),
                                      ends=False)  # fmt: skip
            case AwaitSettled():
                await self.state.settle()
            case Release(run=name):
                await self.state.release(self.state.runs[name])
            case Join(run=name):
                await self._unblocked(self.state.runs[name], lambda: self._join(self.state.runs[name], step.label),
                                      ends=True)  # fmt: skip
            case JoinStream(run=name):
                await self._unblocked(self.state.runs[name], lambda: self._join_stream(self.state.runs[name], step.label),
                                      ends=True)  # fmt: skip
            case Cancel(run=name, action=action, wait=wait, refusal_expected=refusal_expected):
                path = f"/threads/{self.state.thread_id}/runs/{self.state.run_id(name)}/cancel"
                params = {"action": action, "wait": int(wait)}
                reply = await self.state.http.request("POST", path, params=params, timeout=self.state.settings.wait_timeout,
                                                      replica=self.state.runs[name].replica + 1)  # fmt: skip
                self.state.replies[step.label] = reply
                self.state.event(name, f"cancel {action}: {reply.status}")
                if not refusal_expected:
                    _needed(reply, f"cancelling {name}")
            case CancelMany(runs=names, action=action):
                body = {"thread_id": self.state.thread_id, "run_ids": [self.state.run_id(n) for n in names]}
                reply = await self.state.http.request("POST", "/runs/cancel", json_body=body, params={"action": action},
                                                      replica=self.state.runs[names[0]].replica + 1)  # fmt: skip
                self.state.replies[step.label] = reply
                for name in names:
                    self.state.event(name, f"cancel {action}: {reply.status}")
                _needed(reply, f"cancelling {', '.join(names)} by POST /runs/cancel")
            case CancelByStatus(status=status, action=action):
                reply = await self.state.http.request("POST", "/runs/cancel", json_body={"status": status},
                                                params={"action": action})  # fmt: skip
                self.state.replies[step.label] = reply
                for name in self.state.runs:
                    self.state.event(name, f"cancel every {status} run ({action}): {reply.status}")
                _needed(reply, f"cancelling every {status} run by POST /runs/cancel")
            case UpdateState(label=label, ask=ask):
                body = {"values": {"messages": [{"role": "human", "content": ask}]}}
                self.state.replies[label] = await self.state.http.request("POST", f"/threads/{self.state.thread_id}/state", json_body=body)
            case SdkCall(method=method, run=name):
                sdk = self.sdk
                if sdk is None:
                    raise HarnessError(f"suite defect: {step} needs the SDK lane's caller")
                if method == "runs.join" and name in self.state.runs:
                    await self._unblocked(self.state.runs[name], lambda: sdk(self.state, step), ends=True)
                else:
                    await sdk(self.state, step)
            case Command(label=label, method=method):
                await send_command(self.state, label, method, {})
            case Subscribe(label=label):
                await subscribe(self.state, label)
            case CheckNow(expect=expect):
                await judge(self.state, expect)
            case Given():
                await premise(self.state, step)
            case AwaitControl():
                finished, seconds = await control_run(self.state.http, self.state.target.assistant_id, self.state.tags,
                                                      self.state.settings.wait_timeout)  # fmt: skip
                if not finished:
                    raise NotReached(f"a plain control run on a thread of its own did not finish within "
                                     f"{self.state.settings.wait_timeout:g} s")  # fmt: skip
                self.state.event("control", f"a plain run on a thread of its own finished in {seconds:.1f} s")
            case WatchStop(run=name, release=release):
                await watch_stop(self.state, self.state.runs[name], release=release)
            case WaitingJoin():
                await waiting_join(self.state, step)
            case OtherThread():
                await create_other_thread(self.state)
            case ViaOtherThread():
                await via_other_thread(self.state, step)
            case DeleteThread(label=label):
                self.state.replies[label] = reply = await self.state.http.request("DELETE", f"/threads/{self.state.thread_id}")
                self.state.thread_deleted = 200 <= reply.status < 300
                for name in self.state.runs:
                    self.state.event(name, f"thread deleted: {reply.status}")

    async def _start(self, step: Start) -> None:
        token = f"{self.state.settings.session}-{uuid.uuid4().hex[:12]}" if step.hold_at and self.state.info.store else None
        run = RunHandle(step, token, replica=len(self.state.runs))  # each run on the next replica
        self.state.runs[step.run] = run
        run.sent_at = time.monotonic()
        body = self.state.run_body(step.ask, step.strategy, self.state.directives(step, token), step.run,
                                   self.state.assistant(step))  # fmt: skip
        if step.after_seconds is not None:
            body["after_seconds"] = step.after_seconds
        if step.if_not_exists is not None:
            body["if_not_exists"] = step.if_not_exists
        path = f"/threads/{self.state.thread_id}/runs"
        others = [r for r in self.state.runs.values() if r is not run and r.run_id]
        watched = bool(others) and (step.endpoint in PROTOCOL_ENDPOINTS or step.run in self.state.scenario.answers_watched)
        sent = asyncio.Event() if watched and step.endpoint in ("create", "command") else None
        reading = asyncio.ensure_future(self._once_sent(run, others, sent)) if sent is not None else None
        for other in others:
            if other.start.hold_for and other.token and not other.released:
                self.state.waiting[f"{other.name} ends by itself"] = asyncio.create_task(self._ends_after(other, run, sent))
        if step.endpoint == "create":
            reply = await self.state.http.request("POST", path, json_body=body, replica=run.replica, sent=sent)
            run.answered_at = time.monotonic()
            self.state.replies[step.label] = reply
            if reply.status == 200 and isinstance(reply.body, dict):
                run.run_id = reply.body.get("run_id")
        elif step.endpoint in PROTOCOL_ENDPOINTS:
            await self._unheld(run, start_command(self.state, run, body, socket=step.endpoint == "socket", sent=sent))
        else:
            await start_streaming(self.state, run, f"{path}/{step.endpoint}", body)
        if reading is not None:
            await reading
        run.held_when_answered = {o.name for o in others if o.token and not o.released}
        if watched:
            run.after_answer = await self.state.statuses(others)  # was the double-text answered while they ran?
        how = f" ({step.strategy})" if step.strategy else ""
        reply = self.state.replies.get(step.run)  # a streamed run may be listed before its headers arrive
        answered = f"{reply.status if reply else 'listed'}"
        if run.answered_at is not None and reply is not None and (step.endpoint in PROTOCOL_ENDPOINTS or run.after_answer):
            kind = reply.body.get("type") if isinstance(reply.body, dict) else None
            seen = "; then " + ", ".join(f"{name} {status}" for name, status in run.after_answer.items())
            answered += f"{' ' + kind if kind else ''} after {run.answered_at - run.sent_at:.2f} s{seen if run.after_answer else ''}"
        self.state.event(step.run, f"created{how}: {answered}")

    async def _unheld(self, run: RunHandle, creating: Awaitable[None]) -> None:
        """Wait for a run's creation through the protocol as ``_unblocked`` waits (a server that answers once the run
        in flight ended waits behind the suite's own holds), on the one request sent."""
        task = asyncio.ensure_future(creating)

        async def answered() -> None:
            try:
                await asyncio.wait_for(asyncio.shield(task), self.state.settings.wait_timeout)
            except TimeoutError:
                raise TimedOut(f"timed out after {self.state.settings.wait_timeout:g} s waiting for the answer to "
                               f"{run.name}'s run.start") from None

        try:
            await self._unblocked(run, answered, ends=False)
        finally:
            task.cancel()  # unanswered where the wait ran out (a no-op where it was answered)

    async def _once_sent(self, run: RunHandle, others: list[RunHandle], sent: asyncio.Event) -> None:
        """Read ``others`` once ``run``'s creation was written whole, before its answer (were they still in flight
        when it was sent?); nothing where it never was."""
        try:
            async with asyncio.timeout(self.state.settings.wait_timeout):
                await sent.wait()
        except TimeoutError:
            return
        run.after_send = await self.state.statuses(others)

    async def _ends_after(self, held: RunHandle, run: RunHandle, sent: asyncio.Event | None) -> None:
        """Let ``held`` go ``hold_for`` seconds after ``run``'s creation was written whole (where that is not seen:
        after it was begun), whatever the server answered: a run that ends by itself, as a model call would."""
        if sent is not None:
            await sent.wait()
        seconds = (held.start.hold_for or 0.0) * self.state.settings.time_scale
        await asyncio.sleep(seconds)  # the situation's own time (a model call's), not a wait on the server
        if not held.released:
            self.state.event(held.name, f"let go {seconds:g} s after {run.name} was sent: it ends by itself")
            await self.state.release(held)

    async def _unblocked(self, run: RunHandle, wait: Callable[[], Awaitable[None]], *, ends: bool) -> None:
        """Wait for ``run`` to show something: its hold, or (``ends``) its end. Where the wait runs out while the
        suite still holds runs of the thread, the suite's own holds may be what it waits behind (a server that
        ignored an interrupt or a rollback queues the double-text behind the held run; a run that was to be
        deleted or interrupted is still held): they are let go (``run`` too, where its end is awaited), said so
        on the timeline, and the wait starts once more, so that the checks judge what the server then shows,
        not a wait the suite itself blocked."""
        try:
            await wait()
        except TimedOut as exc:
            if not await self._let_go(None if ends else run, f"{run.name} had not moved ({exc})"):
                raise
            await wait()

    async def _let_go(self, run: RunHandle | None, why: str) -> bool:
        """Release every run the suite still holds (but ``run``), saying why on the timeline; whether any was."""
        held = [r for r in self.state.runs.values() if r is not run and r.token and not r.released]
        for other in held:
            self.state.event(other.name, f"hold let go by the suite: {why}")
            await self.state.release(other)
        return bool(held)

    async def _join(self, run: RunHandle, label: str) -> None:
        run_id = self.state.run_id(run.name)
        self.state.replies[label] = await self.state.http.request(
            "GET",
            f"/threads/{self.state.thread_id}/runs/{run_id}/join",
            timeout=self.state.settings.wait_timeout,
            waiting_for=f"{run.name} to finish (join)",
            progress=True,
        )

        async def settled() -> bool:
            reply = await self.state.http.request("GET", f"/threads/{self.state.thread_id}/runs/{run_id}")
            return reply.status == 404 or (isinstance(reply.body, dict) and reply.body.get("status") not in IN_FLIGHT)

        await self.state.poll(settled, f"{run.name} to leave pending/running", progress=True)
        if run.reader is not None:
            await asyncio.wait_for(asyncio.shield(run.reader), self.state.settings.wait_timeout)
        self.state.event(run.name, "joined")

    async def _join_stream(self, run: RunHandle, label: str) -> None:
        path = f"/threads/{self.state.thread_id}/runs/{self.state.run_id(run.name)}/stream"
        async with self.state.http.stream("GET", path, timeout=self.state.settings.wait_timeout, progress=True) as (
            response,
            exchange,
        ):
            text = (await response.aread()).decode(errors="replace")
            body = parse_events(text) if response.status_code == 200 else decode(text)
            exchange.response = body
            self.state.replies[label] = Reply(response.status_code, body, response.headers)


def _needed(reply: Reply, what: str) -> None:
    """The script cannot go on when a request it depends on was not accepted."""
    if not 200 <= reply.status < 300:
        raise Deviation(f"{what} answered {brief(reply)}: the script cannot go on")


_PATHS: dict[type, str] = {
    StartStateless: "/runs/wait",
    JoinStream: "/threads/{thread_id}/runs/{run_id}/stream",
    CancelMany: "/runs/cancel",
    CancelByStatus: "/runs/cancel",
    UpdateState: "/threads/{thread_id}/state",
    Command: COMMANDS,
    Subscribe: EVENTS,
}


def required_paths(scenario: Scenario) -> set[str]:
    """The API paths a scenario needs beyond run creation, as the OpenAPI spec names them."""
    paths = {_PATHS[type(step)] for step in scenario.script if type(step) in _PATHS}
    paths |= {_PATHS[JoinStream] for s in scenario.script if isinstance(s, WaitingJoin) and s.stream}
    routes = {"command": COMMANDS, "socket": COMMANDS}  # a server with the protocol's routes serves both
    paths |= {routes.get(s.endpoint, f"/threads/{{thread_id}}/runs/{s.endpoint}")
              for s in scenario.script if isinstance(s, Start) and s.endpoint != "create"}  # fmt: skip
    return paths
