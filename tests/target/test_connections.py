"""No request goes out on a connection the server may be closing: after a 5xx, neither the suite's
client nor the mutant proxy reuses it, on the standard event loop and on uvloop (which uvicorn,
and so the proxy, runs on).

uvicorn closes a connection once it has sent the 500 of an exception, a moment later; under load
a request sent on it meanwhile was lost (a POST through the proxy came back as a 500 of its own).
The upstream here keeps every connection open, so a reused one shows in its peer port.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from contextlib import closing

import httpx
import pytest
import uvloop

from conformance.target.http import Http, open_client
from tests.mutants.catalog import MUTANTS
from tests.mutants.proxy import build_app

LOOPS: dict[str, Callable[[], asyncio.AbstractEventLoop]] = {
    "asyncio": asyncio.new_event_loop, "uvloop": uvloop.new_event_loop,
}  # fmt: skip
Sender = Callable[[str], Awaitable[list[int]]]


def _three_requests(loop: str, send: Sender) -> None:
    """``send(url)`` sends three requests to a keep-alive server answering 500 first, then 200."""
    peers: list[int] = []

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with closing(writer):
            while True:
                try:
                    await reader.readuntil(b"\r\n\r\n")
                except asyncio.IncompleteReadError:
                    return  # the client shut the connection down, or closed it at the end
                peers.append(writer.get_extra_info("peername")[1])
                status = b"500 Internal Server Error" if len(peers) == 1 else b"200 OK"
                writer.write(b"HTTP/1.1 " + status + b"\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}")
                await writer.drain()

    async def main() -> list[int]:
        async with await asyncio.start_server(answer, "127.0.0.1", 0) as server:
            return await send(f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}")

    with asyncio.Runner(loop_factory=LOOPS[loop]) as runner:
        statuses = runner.run(main())
    assert statuses == [500, 200, 200]
    assert peers[1] != peers[0], "the request after the 500 went out on the connection that answered it"
    assert peers[2] == peers[1], "a connection after a 200 is kept"


@pytest.mark.parametrize("loop", LOOPS)
def test_the_suite_client_drops_a_connection_after_a_server_error(loop: str) -> None:
    async def send(url: str) -> list[int]:
        async with open_client(url, {}, timeout=10) as client:
            http = Http(client, [])
            return [(await http.request("POST", f"/threads/{n}/runs", json_body={})).status for n in range(3)]

    _three_requests(loop, send)


@pytest.mark.parametrize("loop", LOOPS)
def test_the_mutant_proxy_drops_a_connection_after_a_server_error(loop: str) -> None:
    async def send(url: str) -> list[int]:
        app = build_app(url, MUTANTS["extra-fields"])
        proxy = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://proxy")
        async with app.router.lifespan_context(app), proxy:
            return [(await proxy.post(f"/threads/{n}/runs", json={})).status_code for n in range(3)]

    _three_requests(loop, send)
