"""One race scenario: the repetitions of its storm, each on a fresh thread, then one judgement.

A repetition starts the first run (held, or busy in its node for the ``unheld`` schedule), sends
the storm with every request waiting at one gate that opens at once (and, ``staggered``, each
then waiting its own seeded offset), releases every hold once all answers are in, waits until
every run has settled (noting each status seen), and reads what is left: each run, the runs
list, the state, and the graph's own enter/exit records. It never retries: what a repetition
saw is what it is judged on. Repetitions stop early only at ``--race-budget``, and the
judgement then says how much power was reached.
"""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from typing import Any

from conformance.core.endings import CLEANUP_TIMEOUT, bounded_clean_up, ended_early
from conformance.core.errors import NotReached, TimedOut
from conformance.core.exchange import Reply
from conformance.core.monitor import Monitor
from conformance.core.results import ScenarioResult
from conformance.core.settings import Settings
from conformance.lanes.cleanup import clean_up
from conformance.lanes.explain import trace_lines
from conformance.lanes.race.checks import judge_storm, timeline
from conformance.lanes.race.history import History, Record, RunSeen
from conformance.lanes.state import HOLD_NAMESPACE, IN_FLIGHT, RunHandle, ScenarioState, Unreadable
from conformance.scenarios._model import Start
from conformance.scenarios._race_model import Storm
from conformance.scenarios.questions import ASK
from conformance.target.fixtures import SLOW_START_GRAPH
from conformance.target.holds import search_items
from conformance.target.http import Pool
from conformance.target.probe import Target, TargetInfo

__all__ = ["BUSY_SECONDS", "START_SECONDS", "RaceRun", "offsets", "storm_question"]

START_SECONDS = 0.5
"""``unheld``: how long each run takes to start (the fixture's slow-start graph, where the target serves it)."""
BUSY_SECONDS = 0.5
"""``unheld``: how long each run then spends in the model's node (times ``--time-scale``), as a model call does."""
STAGGER_FLOOR = 0.02
"""``staggered``: the least spread of the offsets, in seconds, where the pick-up time is shorter or unknown."""

_CITIES = ("paris", "tokyo", "rome", "oslo", "lima", "cairo", "delhi", "quito", "accra", "hanoi", "perth", "bern")


def offsets(seed: int, scenario: str, repetition: int, names: list[str], spread: float) -> dict[str, float]:
    """``staggered``: each request's delay after the gate, drawn from ``[0, spread)``; one seed, one schedule."""
    draw = random.Random(f"{seed}/{scenario}/{repetition}")
    return {name: round(draw.uniform(0.0, spread), 4) for name in names}


def storm_question(k: int) -> str:
    """The question of the storm's run ``dt<k>`` (k from 1): each run's own, so the state says who wrote what."""
    city = _CITIES[k - 1] if k <= len(_CITIES) else f"city {k}"
    return f"what's the weather in {city}?"


class RaceRun:
    """The repetitions of one storm, and their judgement."""

    def __init__(
        self, client: Pool, target: Target, info: TargetInfo, settings: Settings, scenario: Storm,
        monitor: Monitor,
    ) -> None:  # fmt: skip
        self.client, self.target, self.info, self.settings, self.monitor = client, target, info, settings, monitor
        self.scenario = scenario
        self.result = ScenarioResult(scenario.id)
        self.pending: list[ScenarioState] = []  # repetitions not yet cleaned up
        self.cleaning = False

    async def execute(self) -> ScenarioResult:
        """Run every repetition, judge them together; always clean up (also when the campaign cancels it)."""
        self.result.started = time.monotonic()
        histories: list[History] = []
        planned = self.settings.race_repeat or self.scenario.repetitions
        with ended_early(self.result, self.target.redact):
            for index in range(1, planned + 1):
                if self._over_budget():
                    break
                histories.append(await self._repetition(index))
            if not histories:
                raise NotReached("--race-budget ran out before this storm's first repetition: raise --race-budget")
            check, shown, power = judge_storm(self.scenario, histories, planned, evidence_note=self._evidence_note())
            self.result.checks.append(check)
            self.result.race = {"schedule": self.scenario.schedule, "seed": self.settings.race_seed,
                                "spread_s": self._spread() if self.scenario.schedule == "staggered" else None,
                                "slow_start": self.info.slow_start if self.scenario.schedule == "unheld" else None,
                                **power.as_dict()}  # fmt: skip
            self.result.events = timeline(shown, self.result.started) if shown else []
        self.cleaning = True
        await bounded_clean_up(self.result, self._clean_pending(), min(CLEANUP_TIMEOUT, self.settings.wait_timeout))
        self.result.repetitions = [h.as_dict() for h in histories]
        self.result.duration_s = time.monotonic() - self.result.started
        return self.result

    async def _clean_pending(self) -> None:
        while self.pending:
            await clean_up(self.pending.pop())

    def _over_budget(self) -> bool:
        deadline = self.settings.race_deadline
        return deadline is not None and time.monotonic() >= deadline

    def _spread(self) -> float:
        """``staggered``: the offsets' spread, the target's queue pick-up time (as the probe measured it)."""
        capacity = self.info.capacity
        pickup = capacity.pickup_s if capacity and capacity.pickup_s else 0.0
        return round(max(STAGGER_FLOOR, pickup * self.settings.time_scale), 4)

    def _evidence_note(self) -> str:
        if self.info.store and self.scenario.schedule == "unheld" and not self.info.slow_start:
            return (f"the target serves no {SLOW_START_GRAPH[0]!r} graph: the runs started at once, busy in their "
                    "node only (docs/lanes/race.md: how to serve it)")  # fmt: skip
        if self.info.store:
            return ""
        return ("weaker evidence: the target has no store, so the graph could not record when runs entered and "
                "left its nodes; executing at once is judged from the statuses the suite polled")  # fmt: skip

    # --- one repetition ------------------------------------------------------------------------

    async def _repetition(self, index: int) -> History:
        state = ScenarioState(self.client, self.target, self.info, self.settings, self.scenario, self.monitor)  # type: ignore[arg-type]
        state.result.started = time.monotonic()
        self.pending.append(state)
        history = History(index, started_wall=time.time())
        await state.create_thread()
        if self.scenario.first_in_flight:
            await self._start_first(state, history)
        await self._storm(state, history)
        if self.scenario.schedule != "unheld":
            await self._release_all(state)
        await self._settle(state, history)
        await self._observe(state, history)
        state.result.aliases = state.aliases()
        history.exchanges = trace_lines(state.result, self.target)
        self.result.trace.extend(state.result.trace)
        self.pending.remove(state)
        await clean_up(state)  # its records too
        return history

    def _body(self, state: ScenarioState, run: RunHandle, strategy: str | None) -> dict[str, Any]:
        directives = state.directives(run.start, run.token)
        body = state.run_body(run.start.ask, strategy, directives, run.name)
        if self.scenario.schedule == "unheld":  # slow to start (where served), then busy in its node: no hold
            directives.update(hold_seconds=BUSY_SECONDS, start_seconds=START_SECONDS)
            body["assistant_id"] = self.info.slow_start or body["assistant_id"]
        return body

    def _handle(self, state: ScenarioState, name: str, ask: str) -> RunHandle:
        held = self.info.store and self.scenario.schedule != "unheld"
        token = f"{self.settings.session}-{uuid.uuid4().hex[:12]}" if held else None
        run = RunHandle(Start(name, ask, hold_at="agent"), token, replica=len(state.runs))  # each on the next replica
        state.runs[name] = run
        return run

    async def _start_first(self, state: ScenarioState, history: History) -> None:
        run = self._handle(state, "first", ASK["first"])
        history.runs["first"] = RunSeen("first", run.start.ask)
        reply = await state.http.create(f"/threads/{state.thread_id}/runs", self._body(state, run, None),
                                        lambda r: _learn_run(run, r), replica=run.replica)  # fmt: skip
        history.runs["first"].created = reply.status
        if reply.status != 200 or not run.run_id:
            raise NotReached(f"set-up: the first run was not created (HTTP {reply.status}): the storm has nothing to race")
        try:
            if self.scenario.schedule == "unheld":  # the storm lands as soon as a worker has taken it: while it starts
                await state.await_taken(run.name, run.run_id)
                state.event(run.name, "taken by a worker")
            else:
                await state.await_hold(run)
        except TimedOut as exc:
            raise NotReached(f"set-up: {exc}") from None

    async def _storm(self, state: ScenarioState, history: History) -> None:
        """Every request of the storm waits at one gate; the gate opens once all are waiting."""
        gate = asyncio.Event()
        names = ["second"] if self.scenario.cancel_first else [f"dt{k}" for k in range(1, self.settings.storm + 1)]
        if self.scenario.schedule == "staggered":
            history.offsets = offsets(self.settings.race_seed, self.scenario.id, history.index,
                                      ["cancel first", *names] if self.scenario.cancel_first else names, self._spread())  # fmt: skip
        sends = [self._cancel_first(state, history, gate)] if self.scenario.cancel_first else []
        for k, name in enumerate(names, 1):
            ask = ASK["second"] if self.scenario.cancel_first else storm_question(k)
            run = self._handle(state, name, ask)
            history.runs[name] = RunSeen(name, ask)
            sends.append(self._create(state, history, run, gate))
        tasks = [asyncio.ensure_future(send) for send in sends]
        await asyncio.sleep(0)  # each task runs up to the gate
        gate.set()
        await asyncio.gather(*tasks)

    async def _create(self, state: ScenarioState, history: History, run: RunHandle, gate: asyncio.Event) -> None:
        await gate.wait()
        await _stagger(history, run.name)
        body = self._body(state, run, self.scenario.strategy)
        reply = await state.http.create(f"/threads/{state.thread_id}/runs", body, lambda r: _learn_run(run, r),
                                        replica=run.replica)  # fmt: skip
        history.runs[run.name].created = reply.status
        state.event(run.name, f"created ({self.scenario.strategy}): {reply.status}")

    async def _cancel_first(self, state: ScenarioState, history: History, gate: asyncio.Event) -> None:
        await gate.wait()
        await _stagger(history, "cancel first")
        path = f"/threads/{state.thread_id}/runs/{state.run_id('first')}/cancel"
        reply = await state.http.request("POST", path, params={"action": "interrupt"},
                                         replica=state.runs["first"].replica + 1)  # fmt: skip
        history.answers["cancel first"] = reply.status
        state.event("first", f"cancel interrupt: {reply.status}")

    async def _release_all(self, state: ScenarioState) -> None:
        held = [run for run in state.runs.values() if run.token]
        await asyncio.gather(*(state.put_hold_item(run, "release") for run in held))
        for run in state.runs.values():
            state.event(run.name, "released" if run.token else "released (timed hold: ends by itself)")

    async def _settle(self, state: ScenarioState, history: History) -> None:
        """Poll the runs until none is pending or running, noting every status seen."""
        created = {run.run_id: history.runs[name] for name, run in state.runs.items() if run.run_id}

        async def settled() -> bool:
            listed = await state.http.request("GET", f"/threads/{state.thread_id}/runs", params={"limit": 100})
            rows = listed.body if listed.status == 200 and isinstance(listed.body, list) else []
            at = time.monotonic() - state.result.started
            for row in rows:
                seen = created.get(row.get("run_id")) if isinstance(row, dict) else None
                if seen is not None:
                    seen.saw(at, str(row.get("status")))
            return listed.status == 200 and not any(isinstance(r, dict) and r.get("status") in IN_FLIGHT for r in rows)

        # a correct server may execute the storm's runs one after another: their timed work adds up
        serial = sum(self._busy_seconds(run) for run in state.runs.values())
        await state.poll(settled, "every run of the storm to settle", progress=True, beyond=serial)

    def _busy_seconds(self, run: RunHandle) -> float:
        """How long the fixture keeps ``run`` busy by itself (a run held through the store is released at once)."""
        if self.scenario.schedule == "unheld":
            return (BUSY_SECONDS + START_SECONDS) * self.settings.time_scale
        return 0.0 if run.token else self.settings.timed_hold_seconds * self.settings.time_scale

    async def _observe(self, state: ScenarioState, history: History) -> None:
        for name, run in state.runs.items():
            seen = history.runs[name]
            if not run.run_id:
                continue
            seen.run_id = run.run_id
            got = await state.http.request("GET", f"/threads/{state.thread_id}/runs/{run.run_id}")
            if got.status == 404:
                seen.final = "deleted (404)"
            elif isinstance(got.body, dict):
                seen.final, seen.created_at = str(got.body.get("status")), got.body.get("created_at")
            else:
                seen.final = f"HTTP {got.status}"
            state.event(name, f"final: {seen.final}")
        listed = await state.http.request("GET", f"/threads/{state.thread_id}/runs", params={"limit": 100})
        ids = {row.get("run_id") for row in listed.body if isinstance(row, dict)} if isinstance(listed.body, list) else set()
        for seen in history.runs.values():
            seen.listed = seen.run_id in ids
        history.state = await state.thread_messages()
        history.checkpointed = await self._checkpointed(state)
        if state.records is not None:
            history.records = await self._records(state, state.records)

    async def _checkpointed(self, state: ScenarioState) -> list[str] | None:
        """The runs the thread's history names (``metadata.run_id``) as writers of a checkpoint: runs that started.

        None where the history cannot tell: the target refuses to read it, or no checkpoint names a run.
        """
        try:
            history = await state.thread_history()
        except Unreadable:
            return None
        names = {run.run_id: name for name, run in state.runs.items() if run.run_id}
        ids = {str(c["metadata"]["run_id"]) for c in history if isinstance(c.get("metadata"), dict)
               and c["metadata"].get("run_id")}  # fmt: skip
        return sorted(name for run_id, name in names.items() if run_id in ids) if ids else None

    async def _records(self, state: ScenarioState, records: str) -> list[Record]:
        items, reply = await search_items(state.http, [HOLD_NAMESPACE, records])
        if items is None:
            raise NotReached(f"the graph's records could not be read (POST /store/items/search answered {reply.status})")
        found = [Record(str(v.get("run")), str(v.get("node")), str(v.get("event")), float(v.get("at", 0)))
                 for v in (item.get("value") or {} for item in items)]  # fmt: skip
        return sorted(found, key=lambda r: r.at)


async def _stagger(history: History, name: str) -> None:
    """``staggered``: the request's own offset after the gate (a schedule the suite draws, not a wait on the target)."""
    delay = history.offsets.get(name, 0.0)
    if delay:
        await asyncio.sleep(delay)


def _learn_run(run: RunHandle, reply: Reply) -> None:
    if reply.status == 200 and isinstance(reply.body, dict):
        run.run_id = reply.body.get("run_id")
