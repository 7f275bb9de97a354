"""One fault lane scenario: three threads with double-texts in flight, the user's fault, the heal, the judgement.

What it sends through the replica the fault takes away, and what it reads after the heal, are
in ``conformance.scenarios._fault_model``. Requests the fault cut off are indeterminate: their
answer is recorded as none, and what the server shows afterwards decides. A target that does
not come back after the heal (a control run on a fresh thread does not finish) is a harness
error, never a verdict.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

from conformance.core.endings import CLEANUP_TIMEOUT, bounded_clean_up, ended_early
from conformance.core.errors import HarnessError, NotReached, TimedOut
from conformance.core.exchange import Reply
from conformance.core.faults import Fault
from conformance.core.monitor import Monitor
from conformance.core.results import ScenarioResult
from conformance.core.settings import Settings
from conformance.lanes.cleanup import clean_up, delete_records
from conformance.lanes.faults.checks import DELETED, FaultRecord, RunFate, ThreadFate, judge
from conformance.lanes.state import HOLD_NAMESPACE, IN_FLIGHT, RunHandle, ScenarioState, Unreadable
from conformance.scenarios._fault_model import THREADS, Nemesis
from conformance.scenarios._model import Start
from conformance.scenarios.questions import ASK
from conformance.target.holds import search_items
from conformance.target.http import Pool
from conformance.target.liveness import control_run
from conformance.target.nemesis import run_command
from conformance.target.probe import Target, TargetInfo

__all__ = ["BUSY_SECONDS", "FaultRun"]

BUSY_SECONDS = 2.0
"""How long each run spends in the model's node (times ``--time-scale``): the fault must find runs executing."""
DURING_TIMEOUT = 2.0
"""The answer of the double-text sent while the fault lasts is awaited this long, then counted as eaten."""


class FaultRun:
    """One fault, injected and healed around double-texts in flight, and the invariants judged after it."""

    def __init__(
        self, client: Pool, target: Target, info: TargetInfo, settings: Settings, scenario: Nemesis,
        monitor: Monitor,
    ) -> None:  # fmt: skip
        self.client, self.target, self.info, self.settings, self.monitor = client, target, info, settings, monitor
        self.scenario = scenario
        self.result = ScenarioResult(scenario.id)
        self.fault = next((f for f in settings.faults if f.name == scenario.fault), None)
        # Everything goes through the replica the fault takes away, as one client would: before, during, after.
        self.pool = client[self.replica] if isinstance(client, tuple) else client
        self.states: dict[str, ScenarioState] = {}
        self.records: dict[str, str] = {}  # strategy -> the records namespace of its thread
        self.cleaning = False

    @property
    def replica(self) -> int:
        """The 0-based index of the URL the fault takes away (the first, where it takes the whole server)."""
        index = (self.fault.replica or 1) - 1 if self.fault else 0
        return index if index < len(self.target.urls) else 0

    async def execute(self) -> ScenarioResult:
        """Set up, inject, heal, judge; always clean up."""
        self.result.started = time.monotonic()
        with ended_early(self.result, self.target.redact):
            if self.fault is None:
                raise NotReached(f"--faults names no {self.scenario.fault!r} fault")
            if self.fault.replica and self.fault.replica > len(self.target.urls):
                raise NotReached(f"the fault takes away --target-url number {self.fault.replica}, and "
                                 f"{len(self.target.urls)} were given")  # fmt: skip
            threads = {strategy: ThreadFate(strategy) for strategy in THREADS}
            for strategy in THREADS:
                await self._set_up(strategy, threads[strategy])
            await self._fault(self.fault, threads["enqueue"])
            bound = await self._settle()
            for strategy, thread in threads.items():
                await self._observe(strategy, thread)
            self.result.checks.extend(judge(list(threads.values()), bound))
            self.result.faults = {"fault": self.fault.name, "replica": self.fault.replica,
                                "threads": [_fate(t) for t in threads.values()]}  # fmt: skip
        self.cleaning = True
        await bounded_clean_up(self.result, self._clean_all(), min(CLEANUP_TIMEOUT, self.settings.wait_timeout))
        self.result.duration_s = time.monotonic() - self.result.started
        return self.result

    # --- before the fault ------------------------------------------------------------------------

    def _state(self, strategy: str) -> ScenarioState:
        state = ScenarioState(self.pool, self.target, self.info, self.settings, self.scenario, self.monitor)  # type: ignore[arg-type]
        state.result = self.result
        state.http.trace = self.result.trace
        state.tags["conformance_thread"] = strategy
        self.states[strategy] = state
        if self.info.store:
            self.records[strategy] = f"{self.settings.session}-{uuid.uuid4().hex[:12]}"
        return state

    async def _set_up(self, strategy: str, thread: ThreadFate) -> None:
        state = self._state(strategy)
        await state.create_thread()
        first = await self._create(state, thread, "first", ASK["first"], None)
        if not first.run_id:
            raise NotReached(f"set-up: the {strategy} thread's first run was not created (HTTP {first.created})")
        try:
            await state.await_taken(first.name, first.run_id)
        except TimedOut as exc:
            raise NotReached(f"set-up: {exc}") from None
        second = await self._create(state, thread, "second", ASK["second"], strategy)
        if strategy == "rollback" and second.created == 200:
            first.replaced_by_rollback = True

    async def _create(self, state: ScenarioState, thread: ThreadFate, name: str, ask: str, strategy: str | None,
                      timeout: float | None = None) -> RunFate:  # fmt: skip
        run = RunHandle(Start(name, ask, hold_at="agent"), None)
        state.runs[name] = run
        fate = thread.runs[name] = RunFate(name, ask)
        directives = {**state.directives(run.start, None), "hold_seconds": BUSY_SECONDS,
                      "record_token": self.records.get(thread.strategy), "record_as": name}  # fmt: skip
        body = state.run_body(ask, strategy, directives, name)

        def learn(reply: Reply) -> None:
            fate.created = reply.status
            if reply.status == 200 and isinstance(reply.body, dict):
                run.run_id = fate.run_id = reply.body.get("run_id")

        path = f"/threads/{state.thread_id}/runs"
        if timeout is None:
            await state.http.create(path, body, learn)
        else:  # while the fault lasts: an answer it eats is no answer, never a failure by itself
            try:
                async with asyncio.timeout(timeout):
                    await state.http.create(path, body, learn)
            except (TimeoutError, TimedOut, HarnessError) as exc:
                state.event(f"{thread.strategy}/{name}", f"creation answered nothing (indeterminate): {exc or 'no answer'}")
        state.event(f"{thread.strategy}/{name}", f"created ({strategy or 'no strategy'}): {fate.created}")
        return fate

    # --- the fault ---------------------------------------------------------------------------------

    async def _fault(self, fault: Fault, enqueue: ThreadFate) -> None:
        """Inject, send one more double-text while it lasts, heal. The heal runs whatever happened after the
        inject began (a failed inject, a stop of the session): the target is never left faulted."""
        try:
            seconds = await run_command(fault, "inject")
            self._note(f"fault {fault.name} injected ({seconds:.1f} s): {fault.inject}")
            during = self._create(self.states["enqueue"], enqueue, "during", ASK["third"], "enqueue", DURING_TIMEOUT)
            await asyncio.gather(during, asyncio.sleep(fault.seconds * self.settings.time_scale))  # the schedule
        finally:
            seconds = await asyncio.shield(run_command(fault, "heal"))
            self._note(f"fault {fault.name} healed ({seconds:.1f} s): {fault.heal}")
            self._note("final: healed")  # the nemesis's lifeline on the timeline: the fault, injected to healed

    def _note(self, what: str) -> None:
        self.states["enqueue"].event("nemesis", what)

    async def _settle(self) -> float:
        """Wait, within ``--wait-timeout``, until no run of any thread is in flight; the seconds it may take.

        Where that runs out, a control run on a fresh thread decides: it finishes, so the target is back and
        the runs left in flight are what the fault did; it does not, and the target never came back."""
        state = self.states["enqueue"]

        async def settled() -> bool:
            for each in self.states.values():
                listed = await each.http.request("GET", f"/threads/{each.thread_id}/runs", params={"limit": 100})
                rows = listed.body if listed.status == 200 and isinstance(listed.body, list) else []
                if listed.status not in (200, 404) or any(isinstance(r, dict) and r.get("status") in IN_FLIGHT for r in rows):
                    return False
            return True

        try:
            await state.poll(settled, "every run to end after the heal", progress=True)
        except (TimedOut, HarnessError) as exc:
            finished, seconds = await control_run(state.http, self.target.assistant_id, state.tags,
                                                  self.settings.wait_timeout)  # fmt: skip
            if not finished:
                raise HarnessError(f"the target did not come back after the heal: {exc}; a control run did not "
                                   f"finish either ({seconds:.1f} s)") from None  # fmt: skip
            self._note(f"runs still in flight {self.settings.wait_timeout:g} s after the heal; a control run "
                       f"finished in {seconds:.1f} s")  # fmt: skip
        return self.settings.wait_timeout

    # --- after the heal ----------------------------------------------------------------------------

    async def _observe(self, strategy: str, thread: ThreadFate) -> None:
        state = self.states[strategy]
        listed = await state.http.request("GET", f"/threads/{state.thread_id}/runs", params={"limit": 100})
        rows = [r for r in listed.body if isinstance(r, dict)] if isinstance(listed.body, list) else []
        by_name = {str((r.get("metadata") or {}).get("conformance_run")): r for r in rows}
        for name, fate in thread.runs.items():
            row = by_name.get(name)
            fate.listed = row is not None
            if fate.run_id is None and row is not None:  # an indeterminate creation the server did accept
                fate.run_id = state.runs[name].run_id = row.get("run_id")
            if fate.run_id is None:
                continue
            got = await state.http.request("GET", f"/threads/{state.thread_id}/runs/{fate.run_id}")
            fate.final = DELETED if got.status == 404 else str(got.body.get("status")) if isinstance(got.body, dict) \
                else f"HTTP {got.status}"  # fmt: skip
            state.event(f"{strategy}/{name}", f"final: {fate.final}")  # read after the heal
        try:
            thread.state = await state.thread_messages()
        except Unreadable:
            thread.state = None
        got = await state.http.request("GET", f"/threads/{state.thread_id}")
        thread.status = str(got.body.get("status")) if isinstance(got.body, dict) else f"HTTP {got.status}"
        if strategy in self.records:
            items, reply = await search_items(state.http, [HOLD_NAMESPACE, self.records[strategy]])
            if items is None:
                raise NotReached(f"the graph's records could not be read (POST /store/items/search answered {reply.status})")
            thread.records = [_record(item.get("value") or {}) for item in items]

    # --- clean-up ----------------------------------------------------------------------------------

    async def _clean_all(self) -> None:
        for strategy, state in self.states.items():
            if not state.thread_id:
                continue
            await clean_up(state)
            records = self.records.get(strategy)
            if records is not None:
                await delete_records(state, records, self.result.leftovers)


def _record(value: dict[str, Any]) -> FaultRecord:
    step, completed = value.get("step"), value.get("completed")
    return FaultRecord(str(value.get("run")), str(value.get("node")), str(value.get("event")), float(value.get("at", 0)),
                       int(step) if isinstance(step, int) else None, completed if isinstance(completed, bool) else None)  # fmt: skip


def _fate(thread: ThreadFate) -> dict[str, Any]:
    return {"strategy": thread.strategy, "status": thread.status, "state": thread.state,
            "runs": {name: {"created": r.created, "run_id": r.run_id, "listed": r.listed, "final": r.final,
                            "rolled back": r.replaced_by_rollback} for name, r in thread.runs.items()}}  # fmt: skip
