"""A TCP forwarder that resets every connection once the suite's scenarios begin: a target that crashed.

It passes bytes through until a request carries the suite's scenario tag; from then on every
connection, open or new, is reset (RST), and nothing more reaches the upstream server.
"""

from __future__ import annotations

import asyncio
import socket
import struct
import threading
from types import TracebackType
from urllib.parse import urlparse

__all__ = ["ResettingForwarder"]

MARKER = b"conformance_scenario"
CHUNK = 65536


def _reset(writer: asyncio.StreamWriter) -> None:
    sock = writer.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


class ResettingForwarder:
    """``with ResettingForwarder(upstream_url) as url:`` a loopback URL in front of ``upstream_url``."""

    def __init__(self, upstream: str) -> None:
        parsed = urlparse(upstream)
        self._upstream = (parsed.hostname or "127.0.0.1", parsed.port or 80)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self.tripped = False

    def __enter__(self) -> str:
        self._thread.start()
        started = asyncio.run_coroutine_threadsafe(asyncio.start_server(self._handle, "127.0.0.1", 0), self._loop)
        self._server = started.result(10)
        return f"http://127.0.0.1:{self._server.sockets[0].getsockname()[1]}"

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self._loop.call_soon_threadsafe(self._server.close)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self.tripped:
            _reset(writer)
            return
        up_reader, up_writer = await asyncio.open_connection(*self._upstream)

        async def requests() -> None:
            while data := await reader.read(CHUNK):
                self.tripped = self.tripped or MARKER in data
                if self.tripped:
                    _reset(writer)
                    up_writer.close()
                    return
                up_writer.write(data)
                await up_writer.drain()
            up_writer.close()

        async def answers() -> None:
            while data := await up_reader.read(CHUNK):
                writer.write(data)
                await writer.drain()
            writer.close()

        await asyncio.gather(requests(), answers(), return_exceptions=True)
