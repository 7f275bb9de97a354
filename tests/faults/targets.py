"""Replicas for the fault lane's own tests: proxies in front of one reference server, each one API replica.

The runtime (the reference behind them) outlives a replica, so killing or pausing one loses nothing:
the honest target keeps every fault invariant. Its mutants break one each.
"""

from __future__ import annotations

import asyncio
import re
import uuid
from datetime import UTC, datetime
from typing import Any

from tests.mutants.catalog import Exchange, Mutant

__all__ = ["FAULT_TARGETS"]

FORWARD_AFTER = 1.0
"""``replica-forgets``: seconds an acknowledged enqueue waits in the replica's memory before it goes upstream."""


async def _acknowledge_then_forward(x: Exchange) -> None:
    """An enqueue double-text is acknowledged at once and forwarded later, from memory: a kill loses it."""
    ids: dict[str, str] = x.memory.setdefault("ids", {})
    for fake, real in ids.items():  # the ids it made up stand for the upstream's, once forwarded
        x.path = x.path.replace(fake, real)
    if not (x.creates_run() and isinstance(x.body, dict) and x.body.get("multitask_strategy") == "enqueue"):
        return
    fake, path, body = str(uuid.uuid4()), x.path, x.body
    assert x.fetch is not None

    async def later() -> None:
        await asyncio.sleep(FORWARD_AFTER)
        status, reply = await x.fetch("POST", path, body=body)  # type: ignore[misc]
        if status == 200 and isinstance(reply, dict):
            ids[fake] = str(reply["run_id"])

    x.memory.setdefault("tasks", set()).add(asyncio.ensure_future(later()))
    now = datetime.now(UTC).isoformat()
    x.status, x.reply = 200, {"run_id": fake, "thread_id": x.thread(), "assistant_id": body.get("assistant_id"),
                              "status": "pending", "created_at": now, "updated_at": now,
                              "metadata": body.get("metadata") or {}, "multitask_strategy": "enqueue", "kwargs": {}}  # fmt: skip


_RUNS = re.compile(r"^/threads/([^/]+)/runs$")
_RUN = re.compile(r"^/threads/([^/]+)/runs/([^/]+)$")
_THREAD = re.compile(r"^/threads/([^/]+)$")


def _run_object(run_id: str, thread: str, status: str, body: dict[str, Any]) -> dict[str, Any]:
    now = datetime.now(UTC).isoformat()
    return {"run_id": run_id, "thread_id": thread, "assistant_id": body.get("assistant_id"), "status": status,
            "created_at": now, "updated_at": now, "metadata": body.get("metadata") or {},
            "multitask_strategy": body.get("multitask_strategy"), "kwargs": {}}  # fmt: skip


async def _enqueue_aside(x: Exchange) -> None:
    """An enqueue double-text runs at once, beside the thread's run (a thread lock lost across a fault): as a
    thread-less run upstream, answered as the thread's. It reads as ended once upstream it is gone."""
    aside: dict[str, dict[str, Any]] = x.memory.setdefault("aside", {})
    run = _RUN.match(x.path)
    if x.method == "GET" and run and run.group(2) in aside:
        status, got = await x.fetch("GET", f"/runs/{run.group(2)}") if x.fetch else (404, None)  # type: ignore[misc]
        shown = str(got.get("status")) if status == 200 and isinstance(got, dict) else "success"
        x.status, x.reply = 200, _run_object(run.group(2), run.group(1), shown, aside[run.group(2)])
        return
    if not (x.creates_run() and isinstance(x.body, dict) and x.body.get("multitask_strategy") == "enqueue"):
        return
    assert x.fetch is not None
    body = {k: v for k, v in x.body.items() if k != "multitask_strategy"}
    status, reply = await x.fetch("POST", "/runs", body=body)
    if status == 200 and isinstance(reply, dict):
        aside[str(reply["run_id"])] = x.body
        x.status, x.reply = 200, _run_object(str(reply["run_id"]), x.thread(), "pending", x.body)


def _rollback_as_interrupt_hidden(x: Exchange) -> None:
    """A rollback double-text interrupts instead, and the runs it replaced answer 404 and go unlisted."""
    hidden: set[str] = x.memory.setdefault("hidden", set())
    created: dict[str, list[str]] = x.memory.setdefault("created", {})
    run = _RUN.match(x.path)
    if x.method == "GET" and run and run.group(2) in hidden:
        x.status, x.reply = 404, {"detail": "Run not found"}
    elif x.creates_run() and isinstance(x.body, dict) and x.body.get("multitask_strategy") == "rollback":
        x.body["multitask_strategy"] = "interrupt"
        hidden.update(created.get(x.thread(), []))


def _remember_and_unlist(x: Exchange) -> None:
    created: dict[str, list[str]] = x.memory.setdefault("created", {})
    hidden: set[str] = x.memory.get("hidden", set())
    if x.method == "POST" and _RUNS.match(x.path) and x.status == 200 and isinstance(x.reply, dict):
        created.setdefault(x.thread(), []).append(str(x.reply.get("run_id")))
    elif x.method == "GET" and _RUNS.match(x.path) and isinstance(x.reply, list):
        x.reply = [r for r in x.reply if not (isinstance(r, dict) and r.get("run_id") in hidden)]


def _thread_always_busy(x: Exchange) -> None:
    if x.method == "GET" and _THREAD.match(x.path) and x.status == 200 and isinstance(x.reply, dict):
        x.reply["status"] = "busy"


FAULT_TARGETS: dict[str, Mutant] = {
    "replica": Mutant("replica", (), note="an honest replica: every request goes upstream as it came"),
    "replica-forgets": Mutant("replica-forgets", ("FAULT-NO-RUN-LOST",), on_request=_acknowledge_then_forward,
                              note="acknowledges an enqueue double-text at once and forwards it a second later, "
                                   "from memory: a kill of the replica loses it"),
    "replica-runs-aside": Mutant("replica-runs-aside", ("FAULT-ONE-AT-A-TIME",), on_request=_enqueue_aside,
                                 note="runs an enqueue double-text at once, beside the thread's run"),
    "replica-rollback-leaks": Mutant("replica-rollback-leaks", ("FAULT-ROLLBACK-CLEAN",),
                                     on_request=_rollback_as_interrupt_hidden, on_response=_remember_and_unlist,
                                     note="interrupts where a rollback was asked, and hides the replaced run (404)"),
    "replica-thread-busy": Mutant("replica-thread-busy", ("FAULT-THREAD-SETTLES",), on_response=_thread_always_busy,
                                  note="shows every thread busy, also once its runs have ended"),
}  # fmt: skip
