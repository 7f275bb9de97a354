"""Keeping pooled connections safe to reuse."""

from __future__ import annotations

import socket
from contextlib import suppress

import httpx

__all__ = ["read_whole", "retire_after_server_error"]


def retire_after_server_error(response: httpx.Response) -> None:
    """Shut down the connection of a read 5xx answer, so the pool never sends on it again.

    uvicorn closes a connection once it has sent the 500 of an exception, a moment later;
    a request sent on it meanwhile (under load, often) is lost without an answer. The event
    loop's socket wrapper may refuse ``shutdown`` (uvloop's does): it is done on a duplicate of
    its descriptor, which shuts the one connection down all the same.
    """
    if response.status_code < 500:
        return
    stream = response.extensions.get("network_stream")
    wrapped = stream.get_extra_info("socket") if stream is not None else None
    if wrapped is None:
        return
    with suppress(OSError), socket.socket(fileno=socket.dup(wrapped.fileno())) as duplicate:
        duplicate.shutdown(socket.SHUT_RDWR)


async def read_whole(response: httpx.Response) -> bytes:
    """Read a streamed response whole and close it; after a 5xx its connection is never reused."""
    try:
        return await response.aread()
    finally:
        retire_after_server_error(response)
        await response.aclose()
