"""Keeping pooled connections safe to reuse."""

from __future__ import annotations

import socket
from contextlib import suppress

import httpx

__all__ = ["retire_after_server_error"]


def retire_after_server_error(response: httpx.Response) -> None:
    """Shut down the connection of a read 5xx answer, so the pool never sends on it again.

    uvicorn closes a connection once it has sent the 500 of an exception, a moment later;
    a request sent on it meanwhile (under load, often) is lost without an answer.
    """
    if response.status_code < 500:
        return
    stream = response.extensions.get("network_stream")
    sock = stream.get_extra_info("socket") if stream is not None else None
    if sock is not None:
        with suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
