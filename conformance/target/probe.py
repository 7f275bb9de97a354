"""What the suite tests: a URL with credentials, checked once before any scenario runs."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from conformance.core.errors import HarnessError
from conformance.core.exchange import Reply
from conformance.core.settings import Settings
from conformance.target.capacity import Capacity, probe_capacity, probe_capacity_timed, probe_runs
from conformance.target.commands import commands_note
from conformance.target.fixtures import FIXTURE_VERSION, SLOW_START_GRAPH
from conformance.target.holds import HOLD_NAMESPACE, HoldRead, arrived_version, hold_arrived
from conformance.target.http import Http
from conformance.target.liveness import Liveness, check_liveness

__all__ = ["PROBE_TIMEOUT", "SUITE_TAG", "Target", "TargetInfo", "parse_headers", "probe", "refused"]

SUITE_TAG = "langgraph-conformance"
PROBE_TIMEOUT = 10.0
STORE_PROBE_TIMEOUT = 15.0


@dataclass(frozen=True)
class Target:
    """A deployment URL, the headers that authenticate us, and the fixture's assistant."""

    url: str
    headers: Mapping[str, str] = field(default_factory=dict)
    assistant_id: str = "agent"
    embedded: bool = False
    replicas: tuple[str, ...] = ()
    """Further URLs of the same deployment (API replicas over one database), beside ``url``."""

    @property
    def urls(self) -> tuple[str, ...]:
        """Every replica's URL, ``url`` first."""
        return (self.url, *self.replicas)

    def redact(self, text: str) -> str:
        """``text`` with every credential we send replaced by ``***``."""
        for value in self.headers.values():
            if len(value) >= 4:
                text = text.replace(value, "***")
        return text


@dataclass(frozen=True)
class TargetInfo:
    """What the probe learned: the server's ``/info``, a plain run, its OpenAPI paths (if served), whether holds
    work through its store."""

    info: Mapping[str, Any] | None
    store: bool
    paths: frozenset[str] | None = None
    liveness: Liveness | None = None
    capacity: Capacity | None = None
    holds: Literal["store", "state"] | None = "store"
    """How a held run shows it arrived: its store item, its input in the thread's state, or not at all."""
    store_note: str = ""
    """Why the store cannot hold a run (the 5xx it answered, ...), where it cannot."""
    hold_read: HoldRead = "get"
    """How a hold's ``arrived`` item is read (``conformance.target.holds``)."""
    slow_start: str | None = None
    """The assistant of the fixture's slow-start graph (``agent-slow-start``), where the target serves it."""
    fixture: int | None = None
    """The deployed fixture's version, as its hold wrote it (None: unseen, or older than versions)."""
    start_note: str = ""
    """Why no run can be held while it starts (no slow-start graph, an older fixture, no hold shown); "" where one can."""
    commands_note: str = ""
    """Why the target does not serve the thread-centric protocol's commands; "" where it does."""
    socket_note: str = ""
    """Why it does not serve them over a WebSocket; "" where it does."""


def parse_headers(pairs: list[str] | None, api_key: str | None) -> dict[str, str]:
    """``NAME=VALUE`` strings (and an API key, sent as ``x-api-key``) as a header mapping."""
    headers: dict[str, str] = {}
    for pair in pairs or ():
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise HarnessError(f"--header takes NAME=VALUE, got {pair.split('=')[0]!r}...")
        headers[name.strip()] = value
    if api_key:
        headers["x-api-key"] = api_key
    return headers


def _json_or_garbage(reply: Reply, what: str) -> Any:
    if isinstance(reply.body, str) or reply.body is None:
        raise HarnessError(f"the target answered {what} with something that is not JSON: {str(reply.body)[:80]!r}")
    return reply.body


def _not_the_api(reply: Reply) -> bool:
    """An answer no Agent Server gives to a route it serves: not found, not allowed, not implemented, or not JSON."""
    return reply.status in (404, 405, 501) or (reply.status == 200 and (isinstance(reply.body, str) or reply.body is None))


def _shown(reply: Reply) -> str:
    kind = "" if not isinstance(reply.body, str) else ", not JSON"
    return f"HTTP {reply.status}{kind}"


def refused(reply: Reply, what: str) -> None:
    """A harness error for refused credentials (401/403) or a failing target (5xx)."""
    if reply.status in (401, 403):
        raise HarnessError(
            f"the target refused our credentials on {what} (HTTP {reply.status}): pass --api-key or --header"
        )
    if reply.status >= 500:
        raise HarnessError(f"the target failed on {what} (HTTP {reply.status}): is it healthy?")


async def probe(http: Http, target: Target, settings: Settings) -> TargetInfo:
    """Check that the target answers, accepts us, serves the fixture graph and runs it; learn its capabilities."""
    try:
        info_reply = await http.request("GET", "/info", timeout=PROBE_TIMEOUT)
    except HarnessError:
        raise HarnessError(f"cannot reach {target.url}: is the server running, and is --target-url right?") from None
    refused(info_reply, "GET /info")
    search = await http.request(
        "POST", "/assistants/search", json_body={"graph_id": target.assistant_id, "limit": 1}, timeout=PROBE_TIMEOUT
    )
    if _not_the_api(info_reply) and _not_the_api(search):  # real servers without /info exist: both must miss
        raise HarnessError(
            f"{target.url} does not serve the Agent Server API: GET /info answered {_shown(info_reply)} and POST "
            f"/assistants/search answered {_shown(search)}; is --target-url the server's base URL?")  # fmt: skip
    info = _json_or_garbage(info_reply, "GET /info") if info_reply.status == 200 else None
    refused(search, "POST /assistants/search")
    found = search.status == 200 and bool(_json_or_garbage(search, "POST /assistants/search"))
    if not found:
        direct = await http.request("GET", f"/assistants/{target.assistant_id}", timeout=PROBE_TIMEOUT)
        found = direct.status == 200
    if not found:
        raise HarnessError(
            f"the fixture graph {target.assistant_id!r} is not deployed on {target.url}: deploy the suite's "
            "fixtures/ beside your graphs (graph id 'agent'), or name its assistant with --assistant-id"
        )
    tags = {"conformance_suite": SUITE_TAG, "conformance_session": settings.session}
    liveness = await check_liveness(http, target.assistant_id, tags, settings.wait_timeout)
    reads: list[HoldRead] = ["get"]
    fixture: list[int | None] = [None]
    store, store_note = await _graph_holds_through_store(http, target.assistant_id, "agent", tags, reads, fixture)
    slow_start = await _slow_start(http)
    start_note = await _start_holds(http, slow_start, tags, reads, fixture[0]) if store else \
        f"a run held while it starts shows it through the store the graph shares, and there is none: {store_note}"
    if store:
        capacity = await probe_capacity(http, target.assistant_id, tags, probe_runs(settings.concurrency),
                                        settings.wait_timeout)  # fmt: skip
        holds = "store"
    else:  # no hold through a store: runs in the fixture's timed hold, seen executing by their statuses and states
        capacity = await probe_capacity_timed(http, target.assistant_id, tags, probe_runs(settings.concurrency),
                                              settings.wait_timeout, settings.timed_hold_seconds, settings.time_scale)  # fmt: skip
        holds = "state" if await _state_shows_a_hold(http, target, tags, settings) else None
    commands, socket = await commands_note(http, tags, PROBE_TIMEOUT)
    return TargetInfo(info=info, store=store, paths=await _openapi_paths(http), liveness=liveness, capacity=capacity,
                      holds=holds, store_note=store_note, hold_read=reads[0], slow_start=slow_start,
                      fixture=fixture[0], start_note=start_note,
                      commands_note=commands, socket_note=socket)  # fmt: skip


async def _start_holds(
    http: Http, slow_start: str | None, tags: Mapping[str, str], reads: list[HoldRead], fixture: int | None
) -> str:
    """Why a run of the slow-start graph cannot be held while it starts ("" where one was, and released)."""
    if slow_start is None:
        return (f"the target serves no {SLOW_START_GRAPH[0]!r} graph: register the fixture's graph factory "
                f"\"{SLOW_START_GRAPH[0]}\": \"{SLOW_START_GRAPH[1]}\" where the server serves factories")  # fmt: skip
    if fixture is None or fixture < FIXTURE_VERSION:
        return (f"the deployment's fixture is older than the suite's (version {fixture or 1}, the suite needs "
                f"{FIXTURE_VERSION}): copy it anew with `langgraph-conformance fixtures DIR` and redeploy")  # fmt: skip
    held, note = await _graph_holds_through_store(http, slow_start, "start", tags, reads, [None])
    return "" if held else f"the {SLOW_START_GRAPH[0]!r} graph showed no hold while it started: {note}"


async def _slow_start(http: Http) -> str | None:
    """The assistant of the fixture's optional slow-start graph, where the target serves it."""
    reply = await http.request("POST", "/assistants/search", json_body={"graph_id": SLOW_START_GRAPH[0], "limit": 1},
                               timeout=PROBE_TIMEOUT)  # fmt: skip
    found = reply.body if reply.status == 200 and isinstance(reply.body, list) else []
    first = found[0] if found and isinstance(found[0], dict) else {}
    served = first.get("graph_id") == SLOW_START_GRAPH[0] and first.get("assistant_id")  # a filter ignored: not it
    return str(first["assistant_id"]) if served else None


async def _state_shows_a_hold(http: Http, target: Target, tags: Mapping[str, str], settings: Settings) -> bool:
    """Without a store: whether the thread's state shows a run's input while the run is held (timed) in its node.

    A server that checkpoints only when a run ends (``durability: "exit"``) shows nothing until then.
    """
    created: list[str] = []

    def learn(reply: Reply) -> None:
        if reply.status == 200 and isinstance(reply.body, dict) and reply.body.get("thread_id"):
            created.append(str(reply.body["thread_id"]))

    hold = settings.timed_hold_seconds * settings.time_scale
    directives = {"hold_at": "agent", "hold_token": None, "hold_seconds": settings.timed_hold_seconds,
                  "ask_human_at": None, "fail_at": None, "time_scale": settings.time_scale}  # fmt: skip
    try:
        await http.create("/threads", {"metadata": {**tags, "conformance_probe": "state-hold"}}, learn)
        if not created:
            return False
        thread = f"/threads/{created[0]}"
        run = await http.request("POST", f"{thread}/runs", json_body={
            "assistant_id": target.assistant_id, "input": {"messages": [{"role": "human", "content": "probe"}]},
            "config": {"configurable": directives}, "metadata": dict(tags)})  # fmt: skip
        if run.status != 200 or not isinstance(run.body, dict) or "run_id" not in run.body:
            return False
        deadline = time.monotonic() + min(settings.wait_timeout, hold + PROBE_TIMEOUT)
        while time.monotonic() < deadline:
            state = await http.request("GET", f"{thread}/state", timeout=PROBE_TIMEOUT)
            values = state.body.get("values") if state.status == 200 and isinstance(state.body, dict) else None
            shown = isinstance(values, dict) and bool(values.get("messages"))
            got = await http.request("GET", f"{thread}/runs/{run.body['run_id']}", timeout=PROBE_TIMEOUT)
            if isinstance(got.body, dict) and got.body.get("status") not in ("pending", "running"):
                return False  # it ended: whatever the state showed, it did not show it while the run was held
            if shown:  # the state showed the input, and the run was still held after that read
                return True
            await asyncio.sleep(0.1)
        return False
    finally:
        for thread_id in created:
            await http.request("DELETE", f"/threads/{thread_id}", timeout=PROBE_TIMEOUT)


async def _openapi_paths(http: Http) -> frozenset[str] | None:
    """The paths of the target's OpenAPI spec; None when it serves none (then nothing is skipped)."""
    reply = await http.request("GET", "/openapi.json", timeout=PROBE_TIMEOUT)
    paths = reply.body.get("paths") if reply.status == 200 and isinstance(reply.body, dict) else None
    return frozenset(paths) if isinstance(paths, dict) else None


async def _graph_holds_through_store(
    http: Http, assistant_id: str, hold_at: str, tags: Mapping[str, str], reads: list[HoldRead],
    fixture: list[int | None],
) -> tuple[bool, str]:  # fmt: skip
    """Whether a run of ``assistant_id`` can be held at ``hold_at`` and released through the store the API serves;
    ``fixture[0]`` learns the deployed fixture's version from the hold's ``arrived`` item.

    An HTTP round trip is not enough: some servers give the graph no store, or another
    namespace than the API's. One real, bounded hold decides; without it, the suite uses
    the fixture's timed hold.
    """
    token = f"{tags['conformance_session']}-probe{uuid.uuid4().hex[:7]}"
    item = {"namespace": [HOLD_NAMESPACE, token]}
    created: list[str] = []

    def learn(reply: Reply) -> None:
        if reply.status == 200 and isinstance(reply.body, dict) and reply.body.get("thread_id"):
            created.append(str(reply.body["thread_id"]))

    directives = {"hold_at": hold_at, "hold_token": token, "hold_seconds": 0.01, "ask_human_at": None, "fail_at": None}
    try:
        thread = await http.create("/threads", {"metadata": {**tags, "conformance_probe": "store"}}, learn)
        refused(thread, "POST /threads")
        _json_or_garbage(thread, "POST /threads")
        if not created:
            raise HarnessError(f"the target cannot create a thread (POST /threads answered {thread.status})")
        run = await http.request("POST", f"/threads/{created[0]}/runs", json_body={
            "assistant_id": assistant_id, "input": {"messages": [{"role": "human", "content": "probe"}]},
            "config": {"configurable": directives}, "metadata": dict(tags)})  # fmt: skip
        if run.status != 200 or not isinstance(run.body, dict) or "run_id" not in run.body:
            raise HarnessError(f"the target cannot start a run of the fixture graph (HTTP {run.status}): {str(run.body)[:120]}")
        return await _held_and_released(http, f"/threads/{created[0]}/runs/{run.body['run_id']}", token, reads, fixture)
    finally:
        await http.request("PUT", "/store/items", json_body={**item, "key": "release", "value": {}}, timeout=PROBE_TIMEOUT)
        for thread_id in created:
            await http.request("DELETE", f"/threads/{thread_id}", timeout=PROBE_TIMEOUT)
        for key in ("arrived", "release"):
            await http.request("DELETE", "/store/items", json_body={**item, "key": key}, timeout=PROBE_TIMEOUT)


async def _held_and_released(
    http: Http, run_path: str, token: str, reads: list[HoldRead], fixture: list[int | None]
) -> tuple[bool, str]:  # fmt: skip
    """Whether the run showed its hold and, released, ended; else why not, in words for the report. ``reads``
    holds the way to read a hold: ``get`` until the target answers it with a 5xx, then ``search``."""
    deadline = time.monotonic() + STORE_PROBE_TIMEOUT
    release = {"namespace": [HOLD_NAMESPACE, token], "key": "release", "value": {}}
    while time.monotonic() < deadline:
        arrived, got = await hold_arrived(http, token, reads[0], timeout=PROBE_TIMEOUT)
        if got.status >= 500 and reads[0] == "get":
            reads[0] = "search"
            continue
        if got.status >= 500:
            await http.request("POST", f"{run_path}/cancel", timeout=PROBE_TIMEOUT)
            return False, f"POST /store/items/search answered HTTP {got.status}: {str(got.body)[:120]}"
        if arrived:
            fixture[0] = arrived_version(got)
            await http.request("PUT", "/store/items", json_body=release, timeout=PROBE_TIMEOUT)
            while time.monotonic() < deadline:
                if await _ended(http, run_path):
                    return True, ""
                await asyncio.sleep(0.05)
            return False, "the probe's run showed its hold but did not end once released"
        if await _ended(http, run_path):
            return False, "the graph finished without the store: it took the timed hold"
        await asyncio.sleep(0.05)
    # The graph may be held where the API cannot see (another store): release it, cancel without waiting.
    await http.request("PUT", "/store/items", json_body=release, timeout=PROBE_TIMEOUT)
    await http.request("POST", f"{run_path}/cancel", timeout=PROBE_TIMEOUT)
    return False, f"the probe's run showed no hold through the store within {STORE_PROBE_TIMEOUT:g} s"


async def _ended(http: Http, run_path: str) -> bool:
    status = await http.request("GET", run_path, timeout=PROBE_TIMEOUT)
    return isinstance(status.body, dict) and status.body.get("status") not in ("pending", "running")
