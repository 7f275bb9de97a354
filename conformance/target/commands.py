"""Whether the target serves the thread-centric protocol's commands: ``POST /threads/{id}/commands``, and a WebSocket
on ``/threads/{id}/stream/events``."""

from __future__ import annotations

from collections.abc import Mapping

from conformance.core.errors import HarnessError, TimedOut
from conformance.core.exchange import Reply
from conformance.target.http import SOCKET_REFUSED, Http

__all__ = ["commands_note"]

REFUSED = (404, 405)

PROBE_METHOD = "conformance.probe"
"""A method no server serves: a server that serves the route answers it (with an error), one that does not, 404."""


async def commands_note(http: Http, tags: Mapping[str, str], timeout: float) -> tuple[str, str]:
    """Why the target does not serve the protocol's commands over HTTP, and why not over a WebSocket ("" where it
    does): a 404 or 405 to a command sent on a thread of the suite's, made for it and deleted after; a refused
    upgrade (a socket the server closes once it answered is served)."""
    created: list[str] = []

    def learn(reply: Reply) -> None:
        if reply.status == 200 and isinstance(reply.body, dict) and reply.body.get("thread_id"):
            created.append(str(reply.body["thread_id"]))

    try:
        await http.create("/threads", {"metadata": {**tags, "conformance_probe": "commands"}}, learn)
        if not created:
            return "", ""  # no thread to ask on: the scenarios find out, each on its own thread
        command = {"id": 1, "method": PROBE_METHOD, "params": {}}
        reply = await http.request("POST", f"/threads/{created[0]}/commands", json_body=command, timeout=timeout)
        over_http = "" if reply.status not in REFUSED else (
            f"POST /threads/<thread>/commands answered HTTP {reply.status} on a thread of the suite's: the target "
            "does not serve the thread-centric protocol")  # fmt: skip
        if over_http:
            return over_http, over_http
        try:
            socket = await http.command_over_socket(f"/threads/{created[0]}/stream/events", command, timeout=timeout)
        except (TimedOut, HarnessError):  # the upgrade was not refused: what a socket does is the scenarios' to find
            return "", ""
        refused = socket.body == SOCKET_REFUSED
        return "", "" if not refused else (
            f"a WebSocket on /threads/<thread>/stream/events was refused (HTTP {socket.status}) on a thread of the "
            "suite's: the target does not serve the protocol over WebSockets")  # fmt: skip
    finally:
        for thread_id in created:
            await http.request("DELETE", f"/threads/{thread_id}", timeout=timeout)
