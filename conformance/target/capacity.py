"""How many runs the target executes at once, and how long a worker takes to pick a run up.

Before the scenarios, ``k`` runs are held at the model's node on ``k`` threads of their own.

Where the graph and the suite share a store, each run holds until released, and the graph
records when each entered the node. Held runs stay held, so every entry on record is a run
executing at the same time as the others. The answer is known when all ``k`` have entered (the
target executes at least ``k`` at once), or when no further run has entered for
``QUIET_PICKUPS`` times the slowest pick-up seen (at least ``QUIET_MIN`` s, long enough that a
busy CPU does not pass for a full queue) while the rest still wait: the target executes that
many.

Without such a store, each run takes the fixture's timed hold (``hold_seconds`` times the time
scale) and the suite sweeps over all ``k`` runs again and again, reading each run's thread
state, then the run: a run is executing when the read shows it ``running``, or when its input
was in the state and its status, read after, was not final (some servers never show
``running``). Two runs executed at the same time only where the sweeps prove it: sweeps do not
overlap, so a run seen executing in one sweep and again in the next executed from the first read
to the second, and every run seen so in both executed at once, in the time between the two
sweeps. The capacity is the largest such set; the answer is known when it holds all ``k``, or
when no larger set was seen for the quiet time above. Where no run shows that it executes, the
target is assumed to execute one run at a time, and the report says why.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import statistics
import time
from collections.abc import Coroutine, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from conformance.core.exchange import Exchange, Reply
from conformance.target.holds import search_items
from conformance.target.http import Http
from conformance.target.liveness import IN_FLIGHT, NO_DIRECTIVES

__all__ = ["MOST_AT_ONCE", "PROBE_RUNS", "Capacity", "assumed_one", "probe_capacity", "probe_capacity_timed",
           "probe_runs"]

PROBE_RUNS = 16  # at most this many runs are held at once by the probe (and --concurrency)
MOST_AT_ONCE = 3
"""The most runs any scenario needs executing at once (``Scenario.executing``): the probe holds at least this many,
so that a low ``--concurrency`` does not change what is skipped."""
QUIET_PICKUPS = 4.0
QUIET_MIN = 5.0  # under a busy CPU a 64-job server took over 1 s between two pick-ups
_NAMESPACE = "conformance"
_CLEAN_TIMEOUT = 10.0


@dataclass(frozen=True)
class Capacity:
    """What the probe found."""

    runs: int
    """Runs the target executes at once (at least this many where ``at_least``)."""
    at_least: bool
    """All the runs the probe held executed at once: the target may execute more."""
    measured: bool
    """False where the target showed no run executing: ``runs`` is then assumed."""
    pickup_s: float | None
    """Median seconds from a run's creation to its first node, on the server's clock; without a store, at most
    this long, on the suite's clock: from sending the run to the answer that showed it executing (None: not
    measured)."""
    note: str
    """One line for the report."""

    def admits(self, executing: int) -> bool:
        """Whether the target can execute ``executing`` runs at once."""
        return self.at_least or executing <= self.runs

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def probe_runs(concurrency: int) -> int:
    """How many runs the probe holds: ``--concurrency``, within ``MOST_AT_ONCE`` and ``PROBE_RUNS``."""
    return max(min(concurrency, PROBE_RUNS), MOST_AT_ONCE)


def assumed_one(why: str) -> Capacity:
    return Capacity(1, False, False, None, f"1 at once (assumed: {why})")


@dataclass(frozen=True)
class _Run:
    """One of the probe's runs."""

    thread: str
    run_id: str
    created_at: float
    """Its ``created_at`` on the server's clock (0.0: none, or unreadable)."""
    sent: float
    """When the suite sent its creation (``time.monotonic()``)."""


async def probe_capacity(http: Http, assistant_id: str, tags: Mapping[str, str], k: int, timeout: float) -> Capacity:
    """Hold ``k`` runs on ``k`` threads and count how many execute at once; always release and delete them."""
    records = f"{tags['conformance_session']}-capacity"
    threads: list[str] = []
    runs: dict[str, _Run] = {}
    try:
        await asyncio.gather(*(_start(http, assistant_id, tags, _held(records, f"c{i}"), f"c{i}", threads, runs)
                               for i in range(k)))  # fmt: skip
        if not runs:
            return assumed_one("the probe could not start its runs")
        return await _count(http, records, runs, k, timeout)
    finally:  # also when the session is stopped meanwhile: the clean-up goes on, bounded, then the stop does
        await _cleaned(_clean(http, records, threads, runs))


async def probe_capacity_timed(
    http: Http, assistant_id: str, tags: Mapping[str, str], k: int, timeout: float, hold_seconds: float,
    time_scale: float,
) -> Capacity:  # fmt: skip
    """Without a store the graph and the suite share: ``k`` runs in the fixture's timed hold (``hold_seconds`` times
    ``time_scale``) on ``k`` threads, swept until the most runs executing at once is known; always cancel the runs
    and delete their threads."""
    threads: list[str] = []
    runs: dict[str, _Run] = {}
    directives = {**NO_DIRECTIVES, "hold_at": "agent", "hold_token": None, "hold_seconds": hold_seconds,
                  "time_scale": time_scale, "record_token": None, "record_as": None}  # fmt: skip
    try:
        await asyncio.gather(*(_start(http, assistant_id, tags, directives, f"c{i}", threads, runs) for i in range(k)))
        if not runs:
            return assumed_one("the probe could not start its runs")
        return await _sweep_until_known(http, runs, k, timeout, hold_seconds * time_scale)
    finally:  # as in probe_capacity
        await _cleaned(_clean(http, None, threads, runs))


async def _cleaned(clean: Coroutine[Any, Any, None]) -> None:
    """Await ``clean``, bounded; where the caller is cancelled meanwhile, the clean-up goes on, then the stop does."""
    cleaning = asyncio.ensure_future(asyncio.wait_for(clean, _CLEAN_TIMEOUT * 3))
    try:
        await asyncio.shield(cleaning)
    except asyncio.CancelledError:
        with contextlib.suppress(Exception):
            await cleaning
        raise
    except TimeoutError:  # a slow target: what is left carries the suite's tags, and `clean` finds it
        pass


def _held(records: str, name: str) -> dict[str, Any]:
    """The directives of a run held through the store until released, recorded as ``name``."""
    return {**NO_DIRECTIVES, "hold_at": "agent", "hold_token": f"{records}-{name}", "record_token": records,
            "record_as": name}  # fmt: skip


async def _start(http: Http, assistant_id: str, tags: Mapping[str, str], directives: Mapping[str, Any], name: str,
                 threads: list[str], runs: dict[str, _Run]) -> None:  # fmt: skip
    def learn(reply: Reply) -> None:
        if reply.status == 200 and isinstance(reply.body, dict) and reply.body.get("thread_id"):
            threads.append(str(reply.body["thread_id"]))

    created = await http.create("/threads", {"metadata": {**tags, "conformance_probe": "capacity"}}, learn)
    if created.status != 200 or not isinstance(created.body, dict) or not created.body.get("thread_id"):
        return
    thread = str(created.body["thread_id"])
    body = {"assistant_id": assistant_id, "input": {"messages": [{"role": "human", "content": "capacity probe"}]},
            "config": {"configurable": dict(directives)}, "metadata": dict(tags)}  # fmt: skip
    sent = time.monotonic()
    reply = await http.request("POST", f"/threads/{thread}/runs", json_body=body)
    if reply.status == 200 and isinstance(reply.body, dict) and reply.body.get("run_id"):
        runs[name] = _Run(thread, str(reply.body["run_id"]), _instant(reply.body.get("created_at")), sent)


async def _count(http: Http, records: str, runs: dict[str, _Run], k: int, timeout: float) -> Capacity:
    started = time.monotonic()
    entered: dict[str, float] = {}  # run -> its entry to the agent node (server clock)
    last_new = started
    interval = 0.02
    with http.waiting(f"{len(runs)} runs of the capacity probe to reach their holds", progress=True):
        while True:
            polled: list[Exchange] = []
            with http.recording_into(polled):
                found, reply = await _records(http, records)
            if found is None:
                http.trace.extend(polled[-1:])
                return assumed_one(f"the graph's records could not be read (POST /store/items/search answered "
                                   f"HTTP {reply.status})")  # fmt: skip
            for record in found:
                if record.get("event") == "enter" and record.get("run") in runs and record["run"] not in entered:
                    entered[str(record["run"])] = float(record.get("at") or 0.0)
                    last_new = time.monotonic()
            now = time.monotonic()
            pickups = [at - runs[name].created_at for name, at in entered.items() if runs[name].created_at]
            quiet = max(QUIET_MIN, QUIET_PICKUPS * max(pickups, default=0.0))
            if len(entered) == len(runs) or (entered and now - last_new > quiet) or now - started > timeout:
                http.trace.extend(polled[-1:])
                break
            await asyncio.sleep(interval)
            interval = min(interval * 1.5, 0.25)
    pickup = round(statistics.median(pickups), 3) if pickups else None
    if not entered:
        return assumed_one(f"none of the probe's {len(runs)} held runs showed its hold within {timeout:g} s")
    at_least = len(entered) == len(runs) == k
    how = f"at least {k}" if at_least else str(len(entered))
    return Capacity(len(entered), at_least, True, pickup,
                    f"{how} at once (probed: {len(entered)} of {len(runs)} runs held on as many threads at the same "
                    f"time; queue pick-up {pickup if pickup is not None else '?'} s, median on the server's clock)")  # fmt: skip


async def _sweep_until_known(http: Http, runs: dict[str, _Run], k: int, timeout: float, hold: float) -> Capacity:
    """Sweep over every run until the most executing at once is known: all of them, or no more for the quiet time;
    bounded by ``timeout``."""
    started = time.monotonic()
    best: set[str] = set()  # the most runs proven executing at the same time
    last_new = started
    before: set[str] | None = None  # the runs executing in the sweep before
    seen: set[str] = set()  # every run ever seen executing
    pickups: dict[str, float] = {}  # run -> from sending it to the answer that first showed it executing
    ended_any = False
    polled: list[Exchange] = []
    evidence: list[Exchange] = []  # the sweeps that showed ``best``
    sweeps = 0
    interval = 0.02
    with http.waiting(f"{len(runs)} runs of the capacity probe to show they execute", progress=True):
        while True:
            previous, polled = polled, []
            with http.recording_into(polled):
                executing, ended = await _sweep(http, runs)
            now = time.monotonic()
            sweeps += 1
            if not ended_any and not ended:  # picked up while none had ended: not queued behind one that ended
                pickups.update({name: now - runs[name].sent for name in executing - seen})
            seen |= executing
            ended_any = ended_any or bool(ended)
            # Executing in this sweep and in the one before: executing all the time between the two, so at once.
            at_once = executing & before if before is not None else set()
            if not at_once and executing:  # one run executing is one at a time, whatever the others did
                at_once, proof = {min(executing)}, polled
            else:
                proof = previous + polled
            if len(at_once) > len(best):
                best, last_new, evidence = at_once, now, proof
            quiet = max(QUIET_MIN, QUIET_PICKUPS * max(pickups.values(), default=0.0))
            if (len(best) == len(runs) or (best and now - last_new > quiet) or len(ended) == len(runs)
                    or (not seen and ended) or now - started > timeout):  # fmt: skip
                http.trace.extend(evidence or polled)
                break
            before = executing
            await asyncio.sleep(interval)
            interval = min(interval * 1.5, 0.25)
    elapsed = time.monotonic() - started
    if not best:
        return assumed_one(f"none of the probe's {len(runs)} runs, each in the fixture's timed hold of {hold:g} s, "
                           f"showed it was executing (status running, or its input in the thread's state while it "
                           f"had not ended) in {sweeps} reads of each within {elapsed:.1f} s")  # fmt: skip
    pickup = round(statistics.median(pickups.values()), 3) if pickups else None
    at_least = len(best) == len(runs) == k
    how = f"at least {k}" if at_least else str(len(best))
    most = f"all {len(best)}" if len(best) == len(runs) else f"at most {len(best)}"
    return Capacity(len(best), at_least, True, pickup,
                    f"{how} at once (probed without a store: {len(runs)} runs on as many threads, each in the "
                    f"fixture's timed hold of {hold:g} s, {most} of them executing at the same time, seen executing "
                    f"(status running, or its input in the thread's state while it had not ended) in two consecutive "
                    f"sweeps over all of them; {sweeps} sweeps in {elapsed:.1f} s; queue pick-up at most "
                    f"{pickup if pickup is not None else '?'} s, median on the suite's clock)")  # fmt: skip


async def _sweep(http: Http, runs: dict[str, _Run]) -> tuple[set[str], set[str]]:
    """One read of every run, its thread's state first, then the run: the runs executing, and those that ended."""
    executing: set[str] = set()
    ended: set[str] = set()

    async def read(name: str, run: _Run) -> None:
        state = await http.request("GET", f"/threads/{run.thread}/state")
        got = await http.request("GET", f"/threads/{run.thread}/runs/{run.run_id}")
        values = state.body.get("values") if state.status == 200 and isinstance(state.body, dict) else None
        shown = isinstance(values, dict) and bool(values.get("messages"))  # its input: it has begun
        status = got.body.get("status") if got.status == 200 and isinstance(got.body, dict) else None
        if status == "running" or (shown and status in IN_FLIGHT):  # and it had not ended after the state was read
            executing.add(name)
        elif isinstance(status, str) and status not in IN_FLIGHT:
            ended.add(name)

    await asyncio.gather(*(read(name, run) for name, run in runs.items()))
    return executing, ended


async def _records(http: Http, records: str, *, keys: bool = False) -> tuple[list[Any] | None, Reply]:
    """The graph's records of the probe's runs (their values; with ``keys``, their keys), and the last reply;
    None where the read was refused."""
    items, reply = await search_items(http, [_NAMESPACE, records])
    if items is None:
        return None, reply
    found = [item for item in items if isinstance(item.get("value"), dict)]
    return [item.get("key") for item in found] if keys else [item["value"] for item in found], reply


async def _clean(http: Http, records: str | None, threads: list[str], runs: dict[str, _Run]) -> None:
    """Release every hold, cancel what still runs, delete the threads, the hold items and the records: each run's
    clean-up beside the others'. ``records`` None: the runs took timed holds, nothing is in the store."""

    async def one(name: str, run: _Run) -> None:
        namespace = [_NAMESPACE, f"{records}-{name}"]
        if records is not None:
            await http.request("PUT", "/store/items", timeout=_CLEAN_TIMEOUT,
                               json_body={"namespace": namespace, "key": "release", "value": {}})  # fmt: skip
        await http.request("POST", f"/threads/{run.thread}/runs/{run.run_id}/cancel", params={"action": "interrupt"},
                           timeout=_CLEAN_TIMEOUT)  # fmt: skip
        for key in ("arrived", "release") if records is not None else ():
            await http.request("DELETE", "/store/items", timeout=_CLEAN_TIMEOUT,
                               json_body={"namespace": namespace, "key": key})  # fmt: skip

    await asyncio.gather(*(one(name, run) for name, run in runs.items()))
    await asyncio.gather(*(http.request("DELETE", f"/threads/{thread}", timeout=_CLEAN_TIMEOUT) for thread in threads))
    if records is None:
        return
    items = (await _records(http, records, keys=True))[0] or []
    await asyncio.gather(*(http.request("DELETE", "/store/items", timeout=_CLEAN_TIMEOUT,
                                        json_body={"namespace": [_NAMESPACE, records], "key": key}) for key in items))  # fmt: skip


def _instant(value: object) -> float:
    """An ISO 8601 timestamp in seconds (0.0: none, or unreadable)."""
    try:
        instant = datetime.datetime.fromisoformat(str(value))
    except ValueError:
        return 0.0
    return (instant if instant.tzinfo else instant.replace(tzinfo=datetime.UTC)).timestamp()
