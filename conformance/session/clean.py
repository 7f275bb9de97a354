"""``clean``: delete what earlier sessions of the suite left on a target, and nothing else.

A thread is the suite's when its metadata says so (``conformance_suite``, and the session
when one is named), read back from each thread found, never trusted to the server's
filter. A store item is the suite's when it lies in a hold namespace ``["conformance",
"<session>-<id>"]`` of the form the suite writes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from conformance.core.errors import HarnessError
from conformance.lanes.state import HOLD_NAMESPACE, IN_FLIGHT
from conformance.target.http import Http, open_client
from conformance.target.probe import SUITE_TAG, Target, refused

__all__ = ["Cleaned", "clean_target"]

PAGE = 100
REQUEST_TIMEOUT = 30.0
HOLD_TOKEN = re.compile(r"^(?P<session>[0-9a-f]{12})-[0-9a-z-]+$")


@dataclass
class Cleaned:
    """What ``clean`` deleted (and what it could not)."""

    threads: list[str] = field(default_factory=list)
    items: list[str] = field(default_factory=list)
    sessions: set[str] = field(default_factory=set)
    failed: list[str] = field(default_factory=list)


async def clean_target(target: Target, session: str | None) -> Cleaned:
    """Delete the suite's threads (cancelling their runs first) and hold items; of one session, or of all."""
    cleaned = Cleaned()
    async with open_client(target.url, target.headers, REQUEST_TIMEOUT) as client:
        http = Http(client, [])
        try:
            info = await http.request("GET", "/info")
        except HarnessError:
            raise HarnessError(f"cannot reach {target.url}: is the server running, and is --target-url right?") from None
        refused(info, "GET /info")
        for thread in await _suite_threads(http, session):
            await _delete_thread(http, thread, cleaned)
        for namespace, key, owner in await _suite_items(http, session):
            reply = await http.request("DELETE", "/store/items", json_body={"namespace": namespace, "key": key})
            shown = f"{'.'.join(namespace)}/{key}"
            (cleaned.items if reply.status < 300 else cleaned.failed).append(shown)
            cleaned.sessions.add(owner)
    return cleaned


async def _suite_threads(http: Http, session: str | None) -> list[dict[str, Any]]:
    wanted = {"conformance_suite": SUITE_TAG} | ({"conformance_session": session} if session else {})
    found: dict[str, dict[str, Any]] = {}
    offset = 0
    while True:
        reply = await http.request("POST", "/threads/search", json_body={"metadata": wanted, "limit": PAGE,
                                                                         "offset": offset})  # fmt: skip
        refused(reply, "POST /threads/search")
        page = reply.body if reply.status == 200 and isinstance(reply.body, list) else None
        if page is None:
            raise HarnessError(f"POST /threads/search answered HTTP {reply.status}: cannot find the suite's threads")
        for thread in (t for t in page if isinstance(t, dict) and t.get("thread_id")):
            metadata = thread.get("metadata") or {}
            if all(metadata.get(k) == v for k, v in wanted.items()):
                found[thread["thread_id"]] = thread
        if len(page) < PAGE:
            return list(found.values())
        offset += PAGE


async def _delete_thread(http: Http, thread: dict[str, Any], cleaned: Cleaned) -> None:
    thread_id = thread["thread_id"]
    runs = await http.request("GET", f"/threads/{thread_id}/runs", params={"limit": PAGE})
    for run in runs.body if isinstance(runs.body, list) else []:
        if isinstance(run, dict) and run.get("status") in IN_FLIGHT:
            await http.request("POST", f"/threads/{thread_id}/runs/{run['run_id']}/cancel", params={"wait": 1})
    deleted = await http.request("DELETE", f"/threads/{thread_id}")
    metadata = thread.get("metadata") or {}
    label = f"thread {thread_id} ({metadata.get('conformance_scenario') or metadata.get('conformance_probe') or '?'})"
    (cleaned.threads if deleted.status < 300 or deleted.status == 404 else cleaned.failed).append(label)
    cleaned.sessions.add(str(metadata.get("conformance_session", "?")))


async def _suite_items(http: Http, session: str | None) -> list[tuple[list[str], str, str]]:
    """``(namespace, key, session)`` of every hold item of the suite (of ``session``, if named)."""
    found: list[tuple[list[str], str, str]] = []
    offset = 0
    while True:
        reply = await http.request("POST", "/store/items/search", json_body={"namespace_prefix": [HOLD_NAMESPACE],
                                                                             "limit": PAGE, "offset": offset})  # fmt: skip
        items = reply.body.get("items") if reply.status == 200 and isinstance(reply.body, dict) else None
        if items is None:
            return found  # a target without a store holds no items of ours
        for item in items:
            namespace = item.get("namespace") if isinstance(item, dict) else None
            token = namespace[1] if isinstance(namespace, list) and len(namespace) == 2 else ""
            owner = HOLD_TOKEN.match(str(token))
            if owner and namespace[0] == HOLD_NAMESPACE and (session is None or owner["session"] == session):
                found.append((namespace, str(item.get("key")), owner["session"]))
        if len(items) < PAGE:
            return found
        offset += PAGE
