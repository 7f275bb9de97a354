"""The fixture graph, run in-process: it says exactly what the transcripts promise, and obeys directives."""

from __future__ import annotations

import asyncio
import importlib.util
import time
import uuid
from types import ModuleType
from typing import Any

import httpx
import pytest
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.store.memory import InMemoryStore
from langgraph.types import Command

from conformance.core.notation import render_message
from conformance.scenarios.transcripts import asked, conversation, until_tool_call
from conformance.target.fixtures import FIXTURE_VERSION, SLOW_START_GRAPH, fixtures_dir

SF = "what's the weather in sf?"


@pytest.fixture(scope="module")
def fixture() -> ModuleType:
    spec = importlib.util.spec_from_file_location("conformance_fixture_graph", fixtures_dir() / "graph.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def lines(state: dict[str, Any]) -> list[str]:
    return [render_message(m.model_dump()) for m in state["messages"]]


def config(thread: str = "t", **directives: Any) -> dict[str, Any]:
    return {"configurable": {"thread_id": thread, **directives}}


async def test_conversation_matches_the_transcript(fixture: ModuleType) -> None:
    state = await fixture.graph.ainvoke({"messages": [("human", SF)]})
    assert lines(state) == list(conversation(SF))


async def test_same_question_same_tool_call_ids(fixture: ModuleType) -> None:
    first = await fixture.graph.ainvoke({"messages": [("human", SF)]})
    second = await fixture.graph.ainvoke({"messages": [("human", SF)]})
    assert first["messages"][1].tool_calls[0]["id"] == second["messages"][1].tool_calls[0]["id"]


async def test_hold_waits_for_release_through_the_store(fixture: ModuleType) -> None:
    store = InMemoryStore()
    graph = fixture.builder.compile(store=store, checkpointer=InMemorySaver())
    run = asyncio.create_task(graph.ainvoke({"messages": [("human", SF)]}, config(hold_at="tools", hold_token="k")))
    deadline = time.monotonic() + 10
    while store.get(("conformance", "k"), "arrived") is None:
        assert time.monotonic() < deadline, "the hold never arrived"
        await asyncio.sleep(0.01)
    snapshot = await graph.aget_state(config())
    assert lines(snapshot.values) == list(until_tool_call(SF)) and not run.done()
    store.put(("conformance", "k"), "release", {})
    assert lines(await asyncio.wait_for(run, 10)) == list(conversation(SF))


async def test_hold_without_store_sleeps_the_scaled_time(fixture: ModuleType) -> None:
    started = time.monotonic()
    await fixture.graph.ainvoke({"messages": [("human", SF)]}, config(hold_at="agent", hold_seconds=1, time_scale=0.2))
    assert 0.2 <= time.monotonic() - started < 5


async def test_fail_raises_at_the_node(fixture: ModuleType) -> None:
    with pytest.raises(fixture.FixtureFailure, match="tools"):
        await fixture.graph.ainvoke({"messages": [("human", SF)]}, config(fail_at="tools"))


async def test_ask_human_interrupts_and_resumes(fixture: ModuleType) -> None:
    graph = fixture.builder.compile(checkpointer=InMemorySaver())
    await graph.ainvoke({"messages": [("human", SF)]}, config(ask_human_at="agent"))
    snapshot = await graph.aget_state(config())
    assert snapshot.next == ("agent",) and lines(snapshot.values) == list(asked(SF))
    state = await graph.ainvoke(Command(resume="yes"), config(ask_human_at="agent"))
    assert lines(state) == list(conversation(SF))


def _records(store: InMemoryStore, token: str) -> list[tuple[str, str, str]]:
    items = sorted(store.search(("conformance", token), limit=100), key=lambda item: item.value["at"])
    return [(item.value["run"], item.value["node"], item.value["event"]) for item in items]


async def test_records_every_node_entry_and_exit(fixture: ModuleType) -> None:
    store = InMemoryStore()
    graph = fixture.builder.compile(store=store)
    await graph.ainvoke({"messages": [("human", SF)]}, config(record_token="r", record_as="first"))
    assert _records(store, "r") == [("first", n, e) for n in ("agent", "tools", "agent") for e in ("enter", "exit")]


class _Flaky(InMemoryStore):
    """A store that fails its first ``failures`` writes, as a server's store that batches a write with another
    client's bad request and fails them all."""

    def __init__(self, failures: int) -> None:
        super().__init__()
        self.failures = failures

    async def aput(self, *args: Any, **kwargs: Any) -> None:
        if self.failures > 0:
            self.failures -= 1
            raise RuntimeError("OFFSET must not be negative (another client's request)")
        await super().aput(*args, **kwargs)


async def test_a_write_of_the_fixture_that_fails_is_asked_again_and_the_run_goes_on(fixture: ModuleType) -> None:
    store = _Flaky(failures=fixture.WRITE_ATTEMPTS - 1)
    graph = fixture.builder.compile(store=store)
    state = await graph.ainvoke({"messages": [("human", SF)]}, config(record_token="r", record_as="first"))
    assert lines(state) == list(conversation(SF)) and len(_records(store, "r")) == 6
    failing = fixture.builder.compile(store=_Flaky(failures=fixture.WRITE_ATTEMPTS))
    with pytest.raises(RuntimeError, match="OFFSET"):  # a store that keeps failing still fails the run, visibly
        await failing.ainvoke({"messages": [("human", SF)]}, config(record_token="r", record_as="first"))


async def test_records_the_exit_of_a_cancelled_run(fixture: ModuleType) -> None:
    store = InMemoryStore()
    graph = fixture.builder.compile(store=store, checkpointer=InMemorySaver())
    directives = {"record_token": "r", "record_as": "first", "hold_at": "agent", "hold_token": "k"}
    run = asyncio.create_task(graph.ainvoke({"messages": [("human", SF)]}, config(**directives)))
    deadline = time.monotonic() + 10
    while store.get(("conformance", "k"), "arrived") is None:
        assert time.monotonic() < deadline, "the hold never arrived"
        await asyncio.sleep(0.01)
    run.cancel()
    with pytest.raises(asyncio.CancelledError):
        await run
    assert _records(store, "r") == [("first", "agent", "enter"), ("first", "agent", "exit")]


def test_the_fixture_version_is_the_suites(fixture: ModuleType) -> None:
    assert fixture.FIXTURE_VERSION == FIXTURE_VERSION


async def test_a_run_held_while_it_starts_leaves_reads_of_its_thread_free(reference_url: str) -> None:
    """On the reference: the slow-start factory holds the run it builds for, before any node; the state, read meanwhile,
    answers at once (the factory builds for the read too, and does not hold there), and the run is still held after."""
    async with httpx.AsyncClient(base_url=reference_url, timeout=10, trust_env=False) as client:
        thread = (await client.post("/threads", json={})).json()["thread_id"]
        token, records = f"start-{uuid.uuid4().hex[:8]}", f"rec-{uuid.uuid4().hex[:8]}"
        directives = {"hold_at": "start", "hold_token": token, "record_token": records, "record_as": "first"}
        run = (await client.post(f"/threads/{thread}/runs", json={
            "assistant_id": SLOW_START_GRAPH[0], "input": {"messages": [{"role": "human", "content": SF}]},
            "config": {"configurable": directives}})).json()  # fmt: skip
        try:
            arrived = await _item(client, token, "arrived")
            assert arrived["value"]["node"] == "start" and arrived["value"]["fixture"] == FIXTURE_VERSION
            state = await client.get(f"/threads/{thread}/state", timeout=5)
            assert state.status_code == 200 and not (state.json().get("values") or {}).get("messages")
            status = (await client.get(f"/threads/{thread}/runs/{run['run_id']}")).json()["status"]
            assert status == "running"  # taken by a worker, still held: the read did not wait for it
            entered = await _search(client, records)
            assert [(v["node"], v["event"]) for v in entered] == [("start", "enter")]
        finally:
            await client.put("/store/items", json={"namespace": ["conformance", token], "key": "release", "value": {}})
        joined = await client.get(f"/threads/{thread}/runs/{run['run_id']}/join", timeout=30)
        assert lines_of(joined.json()) == list(conversation(SF))
        await client.delete(f"/threads/{thread}")
        for namespace in (token, records):  # leave nothing on the shared server
            found = await client.post("/store/items/search", json={"namespace_prefix": ["conformance", namespace],
                                                                   "limit": 100})  # fmt: skip
            for item in found.json()["items"]:
                await client.request("DELETE", "/store/items", json={"namespace": item["namespace"], "key": item["key"]})


async def _search(client: httpx.AsyncClient, namespace: str) -> list[dict[str, Any]]:
    found = await client.post("/store/items/search", json={"namespace_prefix": ["conformance", namespace], "limit": 100})
    return [item["value"] for item in found.json()["items"]]


async def _item(client: httpx.AsyncClient, namespace: str, key: str) -> dict[str, Any]:
    """The store item, once it exists (bounded)."""
    deadline = time.monotonic() + 30
    while True:
        found = await client.post("/store/items/search", json={"namespace_prefix": ["conformance", namespace]})
        items = [item for item in found.json()["items"] if item["key"] == key]
        if items:
            return items[0]
        assert time.monotonic() < deadline, f"no {key} item under {namespace} within 30 s"
        await asyncio.sleep(0.02)


def lines_of(values: dict[str, Any]) -> list[str]:
    return [render_message(m) for m in values.get("messages", [])]
