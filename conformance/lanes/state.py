"""What one scenario execution knows, shared by its steps, checks, run discovery and clean-up.

Its thread, its runs by name, the replies by label, the trace it records into, and the two
ways it reads the target that all of those need: a bounded poll, and the thread's messages.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from conformance.core.errors import Deviation, NotReached, TimedOut
from conformance.core.exchange import Exchange, Reply
from conformance.core.monitor import Monitor
from conformance.core.notation import mask_ids, render_message
from conformance.core.results import Event, ScenarioResult
from conformance.core.settings import Settings
from conformance.scenarios._model import Scenario, Start
from conformance.scenarios.transcripts import asked, until_tool_call
from conformance.target.holds import HOLD_NAMESPACE, hold_arrived, search_items
from conformance.target.http import Http, Pool
from conformance.target.probe import SUITE_TAG, Target, TargetInfo

__all__ = ["HISTORY_PAGE", "HOLD_NAMESPACE", "IN_FLIGHT", "RunHandle", "ScenarioState", "Unreadable", "brief"]

IN_FLIGHT = ("pending", "running")
POLL_BACKOFF = 1.5
HISTORY_PAGE = 100  # the history is read in pages this long: the document allows 1000, some servers cap at 100
HISTORY_PAGES = 10


class Unreadable(NotReached):
    """A read the checks need was refused by the target: what depends on it is not reached."""


@dataclass
class RunHandle:
    """A run the scenario started, under its scenario name."""

    start: Start
    token: str | None
    run_id: str | None = None
    reader: asyncio.Task[None] | None = None
    replica: int = 0
    """The replica that created it: what acts on it (a double-text, a cancel) goes to another."""
    released: bool = False
    """Whether the suite has let its hold go."""
    sent_at: float = 0.0
    """When its creation was sent (``time.monotonic()``)."""
    answered_at: float | None = None
    """When its creation was answered (``time.monotonic()``), where it was a command (``run.start``)."""
    after_send: dict[str, str] = field(default_factory=dict)
    """What a read of each other run of the thread showed once its creation was sent, before it was answered."""
    held_when_answered: set[str] = field(default_factory=set)
    """The other runs of the thread the suite still held when its creation was answered (in flight, by the hold)."""
    after_answer: dict[str, str] = field(default_factory=dict)
    """What a read of each other run of the thread showed right after its creation was answered (a status, or
    ``deleted (404)``), where it was a command sent while they were in flight."""
    stopped_at: float | None = None
    """When the step that stopped it was answered (``time.time()``), where a ``WatchStop`` watches it."""
    watch: str = ""
    """What ``WatchStop`` saw before the records were judged: the hold let go, or no end on record."""

    @property
    def name(self) -> str:
        return self.start.run


class ScenarioState:
    """One scenario's thread, runs and replies, on a fresh thread of its own."""

    def __init__(
        self, client: Pool, target: Target, info: TargetInfo, settings: Settings, scenario: Scenario,
        monitor: Monitor,
    ) -> None:  # fmt: skip
        self.target = target
        self.info = info
        self.settings = settings
        self.scenario = scenario
        self.monitor = monitor
        self.result = ScenarioResult(scenario.id)
        self.http = Http(client, self.result.trace, monitor, scenario.id)
        self.thread_id = ""
        self.other_thread_id = ""
        self.thread_deleted = False
        """Whether a step deleted the thread (``DeleteThread``): the clean-up then expects its 404."""
        self.runs: dict[str, RunHandle] = {}
        self.replies: dict[str, Reply] = {}
        self.command_ids = 0
        self.commands: dict[str, int] = {}
        """The id each command was sent with, by label."""
        self.applied: dict[tuple[str, str], asyncio.Future[str | None]] = {}
        """Whether a double-text was applied once a run had ended, by (double-text, run): read once, for every check
        that needs it."""
        self.frames: dict[str, list[dict[str, Any]]] = {}
        """What each subscription to the thread's event stream has read so far, by label."""
        self.waiting: dict[str, asyncio.Task[Any]] = {}
        """Requests left waiting (``WaitingJoin``, an SDK's open thread stream), by label: cancelled at the end."""
        wanted = not isinstance(scenario, Scenario) or scenario.reads_records  # a storm always reads them
        self.records = f"{settings.session}-rec-{uuid.uuid4().hex[:12]}" if info.store and wanted else None
        """The namespace the graph writes this scenario's enter and exit records under (None: no store to read, or
        nothing reads them)."""
        self.tags = {"conformance_suite": SUITE_TAG, "conformance_session": settings.session,
                     "conformance_scenario": scenario.id}  # fmt: skip

    def event(self, run: str, what: str) -> None:
        """Note what a run did, now (for timelines)."""
        self.result.events.append(Event(time.monotonic(), run, what))

    def run_id(self, name: str) -> str:
        """The id of run ``name``; a deviation when the server never created it."""
        run = self.runs[name]
        if not run.run_id:
            reply = self.replies.get(name) or self.replies.get(f"runs.create:{name}")  # SDK steps: by their label
            raise Deviation(f"{name} was not created: its creation answered {_answered(reply)}")
        return run.run_id

    def directives(self, start: Start, token: str | None) -> dict[str, Any]:
        """The fixture's directives for run ``start`` (``token``: its hold through the store)."""
        # Every directive is sent, unused ones as null: some servers carry a thread's earlier
        # configurable into its later runs.
        return {
            "hold_at": start.hold_at,
            "hold_token": token,
            "hold_seconds": (2 * start.hold_for if start.hold_for else self.settings.timed_hold_seconds)
            if start.hold_at and not token else None,
            "ask_human_at": start.ask_human_at,
            "fail_at": start.fail_at,
            "time_scale": self.settings.time_scale,
            "record_token": self.records,
            "record_as": start.run if self.records else None,
        }

    def assistant(self, start: Start) -> str:
        """The assistant that runs ``start``: the fixture's slow-start graph for a hold at ``start``."""
        if start.hold_at == "start" and self.info.slow_start:
            return self.info.slow_start
        return self.target.assistant_id

    def run_body(self, ask: str, strategy: str | None, configurable: dict[str, Any], name: str,
                 assistant: str | None = None) -> dict[str, Any]:  # fmt: skip
        """A run's body: the fixture assistant (or ``assistant``), the human message ``ask``, directives and the
        suite's tags."""
        body: dict[str, Any] = {
            "assistant_id": assistant or self.target.assistant_id,
            "input": {"messages": [{"role": "human", "content": ask}]},
            "config": {"configurable": configurable},
            "metadata": {**self.tags, "conformance_run": name},
        }
        if strategy:
            body["multitask_strategy"] = strategy
        return body

    def next_command_id(self) -> int:
        """A fresh id for a command of this scenario's (the protocol's answer echoes it)."""
        self.command_ids += 1
        return self.command_ids

    async def release(self, run: RunHandle) -> None:
        """Let ``run`` go on past its hold (a timed hold ends by itself)."""
        run.released = True
        if run.token:
            await self.put_hold_item(run, "release")
            self.event(run.name, "released")
        else:
            self.event(run.name, "released (timed hold: ends by itself)")

    async def put_hold_item(self, run: RunHandle, key: str) -> None:
        await self.http.request(
            "PUT", "/store/items", json_body={"namespace": [HOLD_NAMESPACE, run.token], "key": key, "value": {}}
        )

    async def poll(self, condition: Callable[[], Awaitable[bool]], what: str, *, progress: bool,
                   beyond: float = 0.0) -> None:  # fmt: skip
        """Ask ``condition`` until it holds, bounded by ``--wait-timeout`` (and ``beyond`` it: the time a correct
        server needs for the fixture's own timed work); only the last poll stays in the trace.

        The pause between asks grows from ``poll_interval`` to ``poll_interval_max``: quick to see a quick
        change, and a long wait does not flood the target (and the two cores the suite often shares with it).

        ``progress``: the condition holding shows that a run moved (for the breaker).
        """
        with self.monitor.waiting(self.scenario.id, what, progress=progress):
            if not await self._ask(condition, self.settings.wait_timeout + beyond):
                raise TimedOut(f"timed out after {self.settings.wait_timeout + beyond:.0f} s waiting for {what}")

    async def until(self, condition: Callable[[], Awaitable[bool]], what: str, timeout: float) -> bool:
        """Ask ``condition`` until it holds (True) or ``timeout`` passes (False): a wait whose running out is no
        verdict by itself and no stall (the caller judges what follows)."""
        with self.monitor.waiting(self.scenario.id, what, progress=False):
            return await self._ask(condition, timeout)

    async def _ask(self, condition: Callable[[], Awaitable[bool]], timeout: float) -> bool:
        """Whether ``condition`` held within ``timeout``, asked with a growing pause; only the last ask stays in the
        trace."""
        deadline = time.monotonic() + timeout
        interval = self.settings.poll_interval
        while True:
            polled: list[Exchange] = []
            with self.http.recording_into(polled):
                held = await condition()
            if held or time.monotonic() > deadline:
                self.result.trace.extend(polled)
                return held
            await asyncio.sleep(interval)
            interval = min(interval * POLL_BACKOFF, self.settings.poll_interval_max)

    async def run_records(self, name: str) -> list[dict[str, Any]]:
        """The graph's enter and exit records of run ``name``, oldest first; a refused read is not reached."""
        if not self.records:
            raise NotReached("the target has no store the graph and the suite share: the graph's records are unseen")
        items, reply = await search_items(self.http, [HOLD_NAMESPACE, self.records])
        if items is None:
            raise Unreadable(f"POST /store/items/search answered {_answered(reply)}: the graph's records are unread")
        found = [item["value"] for item in items if isinstance(item.get("value"), dict)]
        return sorted((r for r in found if r.get("run") == name), key=lambda r: float(r.get("at") or 0.0))

    async def await_hold(self, run: RunHandle) -> None:
        """Until ``run`` shows it reached its hold: its store item, else (timed hold) a state ending with its
        node's last message. The run's status is watched too: a run that ends before it shows its hold ends
        the wait at once, not reached, with that as the cause."""
        if run.token:
            token = run.token
            what = f"{run.name} to reach its hold (store item {HOLD_NAMESPACE}.{token}/arrived)"

            async def shown() -> bool:
                return (await hold_arrived(self.http, token, self.info.hold_read))[0]
        else:
            last = (asked if run.start.hold_at == "agent" else until_tool_call)(run.start.ask)[-1]
            what = f"{run.name} to reach {run.start.hold_at} (state ending with {last!r})"

            async def shown() -> bool:
                lines = await self.thread_messages()
                return bool(lines) and lines[-1] == last

        async def ended() -> str | None:
            if not run.run_id:
                return None
            got = await self.http.request("GET", f"/threads/{self.thread_id}/runs/{run.run_id}")
            status = got.body.get("status") if got.status == 200 and isinstance(got.body, dict) else None
            return "deleted (404)" if got.status == 404 else status if status not in (None, *IN_FLIGHT) else None

        async def arrived() -> bool:  # the hold and the run's status, read side by side
            held, end = await asyncio.gather(shown(), ended())
            if not held and end is not None:
                raise NotReached(f"{run.name} ended {end} before it showed its hold")
            return held

        await self.poll(arrived, what, progress=True)
        self.event(run.name, "held")

    async def in_background(self, label: str, request: Callable[[asyncio.Event], Awaitable[None]],
                            what: str) -> asyncio.Task[None]:  # fmt: skip
        """Start ``request`` under ``label`` in ``waiting`` (cancelled at the end); return once it set the event it is
        given (sent whole, or answered with its headers) or ended, bounded by ``--wait-timeout`` (then not reached:
        ``what`` within that time)."""
        shown = asyncio.Event()
        task = self.waiting[label] = asyncio.create_task(request(shown))
        signal = asyncio.ensure_future(shown.wait())
        try:
            async with asyncio.timeout(self.settings.wait_timeout):
                await asyncio.wait({task, signal}, return_when=asyncio.FIRST_COMPLETED)
        except TimeoutError:
            raise NotReached(f"{what} within {self.settings.wait_timeout:g} s") from None
        finally:
            signal.cancel()
        return task

    async def settle(self) -> None:
        """Until the thread's runs list shows none of its runs in flight (a list not answered 200 shows nothing to
        wait for), bounded by ``--wait-timeout``; where they do not settle, said on the timeline."""

        async def settled() -> bool:
            got = await self.http.request("GET", f"/threads/{self.thread_id}/runs", params={"limit": 100})
            rows = got.body if got.status == 200 and isinstance(got.body, list) else []
            return not any(isinstance(row, dict) and row.get("status") in IN_FLIGHT for row in rows)

        what = "the thread's runs list to show no run pending or running"
        if not await self.until(settled, what, self.settings.wait_timeout):
            self.event("thread", f"its runs list still showed a run in flight after {self.settings.wait_timeout:g} s")

    async def statuses(self, runs: list[RunHandle]) -> dict[str, str]:
        """What a read of each of ``runs`` shows now, read side by side: a status, ``deleted (404)``, or ``unread``."""

        async def status(run: RunHandle) -> str:
            got = await self.http.request("GET", f"/threads/{self.thread_id}/runs/{run.run_id}")
            if got.status == 404:
                return "deleted (404)"
            seen = got.body.get("status") if got.status == 200 and isinstance(got.body, dict) else None
            return str(seen) if seen else f"unread (HTTP {got.status})"

        seen = await asyncio.gather(*map(status, runs))
        return {run.name: s for run, s in zip(runs, seen, strict=True)}

    async def create_thread(self) -> None:
        """A fresh thread tagged with the suite's metadata; a refused creation leaves the scenario not reached."""

        def learn(reply: Reply) -> None:
            if reply.status == 200 and isinstance(reply.body, dict):
                self.thread_id = str(reply.body.get("thread_id") or "")

        reply = await self.http.create("/threads", {"metadata": self.tags}, learn)
        if reply.status != 200 or not self.thread_id:
            raise NotReached(f"set-up: POST /threads answered HTTP {reply.status}: no thread to test on")

    async def await_taken(self, name: str, run_id: str | None) -> None:
        """Wait until a worker has taken run ``name`` (its status has left ``pending``), within ``--wait-timeout``."""

        async def taken() -> bool:
            got = await self.http.request("GET", f"/threads/{self.thread_id}/runs/{run_id}")
            return isinstance(got.body, dict) and got.body.get("status") not in (None, "pending")

        await self.poll(taken, f"a worker to take the {name} run", progress=True)

    async def thread_messages(self) -> list[str]:
        """The thread's messages now, in transcript notation."""
        reply = await self.http.request("GET", f"/threads/{self.thread_id}/state")
        if reply.status != 200 or not isinstance(reply.body, dict):
            raise Unreadable(f"GET /threads/<thread>/state answered {_answered(reply)}")
        values = reply.body.get("values") or {}
        messages = values.get("messages", []) if isinstance(values, dict) else []
        return [render_message(m) for m in messages]

    async def thread_history(self) -> list[dict[str, Any]]:
        """The thread's checkpoints, newest first, read in pages of ``HISTORY_PAGE`` with ``before`` (up to 1000)."""
        entries: list[dict[str, Any]] = []
        body: dict[str, Any] = {"limit": HISTORY_PAGE}
        for _ in range(HISTORY_PAGES):
            reply = await self.http.request("POST", f"/threads/{self.thread_id}/history", json_body=body)
            if reply.status != 200 or not isinstance(reply.body, list):
                raise Unreadable(f"POST /threads/<thread>/history answered {_answered(reply)}")
            page = [entry for entry in reply.body if isinstance(entry, dict)]
            entries.extend(page)
            last = page[-1].get("checkpoint") if page else None
            if len(page) < HISTORY_PAGE or not isinstance(last, dict):
                break
            body = {"limit": HISTORY_PAGE, "before": last}
        return entries

    def aliases(self) -> dict[str, str]:
        """Run and thread ids -> the names a reader knows them by."""
        aliases = {run.run_id: run.name for run in self.runs.values() if run.run_id}
        if self.thread_id:
            aliases[self.thread_id] = "thread"
        return aliases

    def mask(self, text: str) -> str:
        """``text`` with credentials redacted and ids replaced by names."""
        return mask_ids(self.target.redact(text), self.aliases())


def _answered(reply: Reply | None) -> str:
    return brief(reply) if reply is not None else "nothing"


def brief(reply: Reply) -> str:
    """``HTTP 409 {...}``, the body cut to one short line."""
    text = reply.body if isinstance(reply.body, str) else json.dumps(reply.body, sort_keys=True)
    return f"HTTP {reply.status} " + (text if len(text) <= 160 else text[:160] + "...")
