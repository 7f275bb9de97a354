"""Whether the target serves the thread-centric protocol's commands (``POST /threads/{id}/commands``)."""

from __future__ import annotations

from collections.abc import Mapping

from conformance.core.exchange import Reply
from conformance.target.http import Http

__all__ = ["commands_note"]

PROBE_METHOD = "conformance.probe"
"""A method no server serves: a server that serves the route answers it (with an error), one that does not, 404."""


async def commands_note(http: Http, tags: Mapping[str, str], timeout: float) -> str:
    """Why the target does not serve the protocol's commands ("" where it does): a 404 or 405 to a command sent on a
    thread of the suite's, made for it and deleted after."""
    created: list[str] = []

    def learn(reply: Reply) -> None:
        if reply.status == 200 and isinstance(reply.body, dict) and reply.body.get("thread_id"):
            created.append(str(reply.body["thread_id"]))

    try:
        await http.create("/threads", {"metadata": {**tags, "conformance_probe": "commands"}}, learn)
        if not created:
            return ""  # no thread to ask on: the scenarios find out, each on its own thread
        reply = await http.request("POST", f"/threads/{created[0]}/commands",
                                   json_body={"id": 1, "method": PROBE_METHOD, "params": {}}, timeout=timeout)  # fmt: skip
        if reply.status in (404, 405):
            return (f"POST /threads/<thread>/commands answered HTTP {reply.status} on a thread of the suite's: the "
                    "target does not serve the thread-centric protocol")  # fmt: skip
        return ""
    finally:
        for thread_id in created:
            await http.request("DELETE", f"/threads/{thread_id}", timeout=timeout)
