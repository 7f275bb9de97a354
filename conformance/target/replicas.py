"""Several URLs of one deployment (API replicas over one database): checked to share state before any scenario."""

from __future__ import annotations

from collections.abc import Mapping

from conformance.core.errors import HarnessError
from conformance.core.exchange import Reply
from conformance.target.http import Http
from conformance.target.probe import PROBE_TIMEOUT, Target

__all__ = ["check_shared_state"]


async def check_shared_state(http: Http, target: Target, tags: Mapping[str, str]) -> None:
    """A thread created on the first replica must be visible on every other one; else a harness error."""
    if len(target.urls) < 2:
        return
    created: list[str] = []

    def learn(reply: Reply) -> None:
        if reply.status == 200 and isinstance(reply.body, dict) and reply.body.get("thread_id"):
            created.append(str(reply.body["thread_id"]))

    reply = await http.create("/threads", {"metadata": {**tags, "conformance_probe": "replicas"}}, learn, replica=0)
    if not created:
        raise HarnessError(f"POST /threads on {target.url} answered {reply.status}: cannot check the replicas")
    try:
        for index, url in enumerate(target.urls[1:], 1):
            seen = await http.request("GET", f"/threads/{created[0]}", replica=index, timeout=PROBE_TIMEOUT)
            if seen.status != 200:
                raise HarnessError(
                    f"the URLs are not replicas of one deployment: a thread created on {target.url} is not found "
                    f"on {url} (HTTP {seen.status}); give --target-url once per replica sharing one database"
                )
    finally:
        await http.request("DELETE", f"/threads/{created[0]}", replica=0, timeout=PROBE_TIMEOUT)
