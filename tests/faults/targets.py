"""Replicas for the fault lane's own tests: proxies in front of one reference server, each one API replica.

The runtime (the reference behind them) outlives a replica, so killing or pausing one loses nothing:
the honest target keeps every fault invariant. Its mutants break one each.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime

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


FAULT_TARGETS: dict[str, Mutant] = {
    "replica": Mutant("replica", (), note="an honest replica: every request goes upstream as it came"),
    "replica-forgets": Mutant("replica-forgets", ("FAULT-NO-RUN-LOST",), on_request=_acknowledge_then_forward,
                              note="acknowledges an enqueue double-text at once and forwards it a second later, "
                                   "from memory: a kill of the replica loses it"),
}  # fmt: skip
