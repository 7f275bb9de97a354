"""How many runs the target executes at once, and how long a worker takes to pick a run up.

Before the scenarios, ``k`` runs are held at the model's node on ``k`` threads of their own;
the graph records when each entered the node. Held runs stay held, so every entry on record
is a run executing at the same time as the others. The answer is known when all ``k`` have
entered (the target executes at least ``k`` at once), or when no further run has entered for
``QUIET_PICKUPS`` times the slowest pick-up seen (at least ``QUIET_MIN`` s, long enough that a busy
CPU does not pass for a full queue) while the rest
still wait: the target executes that many. A target whose graph cannot show holds (no store
it shares) is assumed to execute one run at a time, and the report says so.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import statistics
import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from conformance.core.exchange import Exchange, Reply
from conformance.target.holds import search_items
from conformance.target.http import Http
from conformance.target.liveness import NO_DIRECTIVES

__all__ = ["PROBE_RUNS", "Capacity", "assumed_one", "probe_capacity"]

PROBE_RUNS = 16  # at most this many runs are held at once by the probe (and --concurrency)
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
    """False where the target cannot show holds: ``runs`` is then assumed."""
    pickup_s: float | None
    """Median seconds from a run's creation to its first node, on the server's clock (None: not measured)."""
    note: str
    """One line for the report."""

    def admits(self, executing: int) -> bool:
        """Whether the target can execute ``executing`` runs at once."""
        return self.at_least or executing <= self.runs

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def assumed_one(why: str) -> Capacity:
    return Capacity(1, False, False, None, f"1 at once (assumed: {why})")


async def probe_capacity(http: Http, assistant_id: str, tags: Mapping[str, str], k: int, timeout: float) -> Capacity:
    """Hold ``k`` runs on ``k`` threads and count how many execute at once; always release and delete them."""
    records = f"{tags['conformance_session']}-capacity"
    threads: list[str] = []
    runs: dict[str, tuple[str, str, float]] = {}  # name -> (thread, run id, created_at on the server's clock)
    try:
        await asyncio.gather(*(_start(http, assistant_id, tags, records, f"c{i}", threads, runs) for i in range(k)))
        if not runs:
            return assumed_one("the probe could not start its runs")
        return await _count(http, records, runs, k, timeout)
    finally:  # also when the session is stopped meanwhile: the clean-up goes on, bounded, then the stop does
        cleaning = asyncio.ensure_future(asyncio.wait_for(_clean(http, records, threads, runs), _CLEAN_TIMEOUT * 3))
        try:
            await asyncio.shield(cleaning)
        except asyncio.CancelledError:
            with contextlib.suppress(Exception):
                await cleaning
            raise
        except TimeoutError:  # a slow target: what is left carries the suite's tags, and `clean` finds it
            pass


async def _start(http: Http, assistant_id: str, tags: Mapping[str, str], records: str, name: str,
                 threads: list[str], runs: dict[str, tuple[str, str, float]]) -> None:  # fmt: skip
    def learn(reply: Reply) -> None:
        if reply.status == 200 and isinstance(reply.body, dict) and reply.body.get("thread_id"):
            threads.append(str(reply.body["thread_id"]))

    created = await http.create("/threads", {"metadata": {**tags, "conformance_probe": "capacity"}}, learn)
    if created.status != 200 or not isinstance(created.body, dict) or not created.body.get("thread_id"):
        return
    thread = str(created.body["thread_id"])
    directives = {**NO_DIRECTIVES, "hold_at": "agent", "hold_token": f"{records}-{name}", "record_token": records,
                  "record_as": name}  # fmt: skip
    body = {"assistant_id": assistant_id, "input": {"messages": [{"role": "human", "content": "capacity probe"}]},
            "config": {"configurable": directives}, "metadata": dict(tags)}  # fmt: skip
    reply = await http.request("POST", f"/threads/{thread}/runs", json_body=body)
    if reply.status == 200 and isinstance(reply.body, dict) and reply.body.get("run_id"):
        runs[name] = (thread, str(reply.body["run_id"]), _instant(reply.body.get("created_at")))


async def _count(http: Http, records: str, runs: dict[str, tuple[str, str, float]], k: int, timeout: float) -> Capacity:
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
            pickups = [at - runs[name][2] for name, at in entered.items() if runs[name][2]]
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


async def _records(http: Http, records: str, *, keys: bool = False) -> tuple[list[Any] | None, Reply]:
    """The graph's records of the probe's runs (their values; with ``keys``, their keys), and the last reply;
    None where the read was refused."""
    items, reply = await search_items(http, [_NAMESPACE, records])
    if items is None:
        return None, reply
    found = [item for item in items if isinstance(item.get("value"), dict)]
    return [item.get("key") for item in found] if keys else [item["value"] for item in found], reply


async def _clean(http: Http, records: str, threads: list[str], runs: dict[str, tuple[str, str, float]]) -> None:
    """Release every hold, cancel what still runs, delete the threads, the hold items and the records: each run's
    clean-up beside the others'."""

    async def one(name: str, thread: str, run_id: str) -> None:
        namespace = [_NAMESPACE, f"{records}-{name}"]
        await http.request("PUT", "/store/items", timeout=_CLEAN_TIMEOUT,
                           json_body={"namespace": namespace, "key": "release", "value": {}})  # fmt: skip
        await http.request("POST", f"/threads/{thread}/runs/{run_id}/cancel", params={"action": "interrupt"},
                           timeout=_CLEAN_TIMEOUT)  # fmt: skip
        for key in ("arrived", "release"):
            await http.request("DELETE", "/store/items", timeout=_CLEAN_TIMEOUT,
                               json_body={"namespace": namespace, "key": key})  # fmt: skip

    await asyncio.gather(*(one(name, thread, run_id) for name, (thread, run_id, _) in runs.items()))
    await asyncio.gather(*(http.request("DELETE", f"/threads/{thread}", timeout=_CLEAN_TIMEOUT) for thread in threads))
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
