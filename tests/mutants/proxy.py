"""A reverse proxy in front of a real server that changes one behaviour: the mutant.

Run it as ``python -m tests.mutants.proxy --upstream URL --mutant NAME --port PORT``. What it
does per request, and only as much of it as the mutant needs (the proxy sits in front of
every request of a suite run, so it stays cheap):

- the request body is decoded for the mutant's ``on_request`` hook only when it has one; the
  hook may rewrite the request, or answer it itself (set ``status``) without forwarding it;
- a successful event stream or ``/runs/wait`` passes through unbuffered (a waiting client
  needs the headers at once); every other response is read whole, and decoded for
  ``on_response`` only when the mutant has one.

Hooks may be plain functions or coroutines; ``Exchange.fetch`` lets them ask the upstream
server themselves, and ``Exchange.memory`` lasts across requests.
"""

from __future__ import annotations

import argparse
import asyncio
import inspect
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from typing import Any

import httpx
import uvicorn
import websockets
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

from conformance.target.connections import read_whole
from tests.faults.targets import FAULT_TARGETS
from tests.mutants.catalog import MUTANTS, Exchange, FrameHook, Hook, Mutant, nothing
from tests.mutants.faults import FAULTS
from tests.mutants.schedules import SCHEDULE_MUTANTS

SCHEDULE_MUTANTS = SCHEDULE_MUTANTS | __import__("tests.target.store_hidden", fromlist=["*"]).STORE_HIDDEN  # a store-less target

KEEPALIVE_EXPIRY = 1.0
CLIENT_KEEPALIVE = 75  # longer than any client keeps an idle connection (httpx: 5 s): the proxy never races it
IDEMPOTENT = {"GET", "HEAD", "PUT", "DELETE"}
_HOP_HEADERS = {"content-length", "transfer-encoding", "connection", "content-encoding", "host"}


def _decode(raw: bytes) -> Any:
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return raw


def _encode(body: Any) -> bytes:
    if isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode()
    return b"" if body is None else json.dumps(body).encode()


async def _call(hook: Hook, exchange: Exchange) -> None:
    result = hook(exchange)
    if inspect.isawaitable(result):
        await result


async def _rewritten(lines: AsyncIterator[str], rewrite: FrameHook, exchange: Exchange) -> AsyncIterator[bytes]:
    """An event stream with each JSON frame replaced by what ``rewrite`` makes of it, sent as ``event``/``id``/``data``."""
    connection: dict[str, Any] = {}
    block: list[str] = []
    async for line in lines:
        if line.strip():
            block.append(line)
            continue
        data = "\n".join(b[5:].lstrip() for b in block if b.startswith("data:"))
        passed, block = list(block), []
        try:
            frame = json.loads(data) if data else None
        except ValueError:
            frame = None
        if not isinstance(frame, dict):
            yield ("\n".join(passed) + "\n\n").encode()
            continue
        for new in rewrite(frame, exchange, connection):
            yield f"event: {new.get('method')}\nid: {new.get('seq')}\ndata: {json.dumps(new)}\n\n".encode()


def build_app(upstream: str, mutant: Mutant) -> Starlette:
    """The proxy as an ASGI app; ``mutant`` sees every exchange and keeps its memory across them."""
    # Idle upstream connections are dropped well before the server's own keep-alive timeout (uvicorn: 5 s),
    # so a request never goes out on a connection the server is closing at that moment.
    limits = httpx.Limits(max_connections=None, max_keepalive_connections=50, keepalive_expiry=KEEPALIVE_EXPIRY)
    client = httpx.AsyncClient(base_url=upstream, timeout=None, trust_env=False, limits=limits)
    memory: dict[str, Any] = {}
    rewrites_requests = mutant.on_request is not nothing
    rewrites_responses = mutant.on_response is not nothing

    async def send(request: httpx.Request) -> httpx.Response:
        """Send upstream; an idempotent request that found its pooled connection closed is sent once more."""
        try:
            return await client.send(request, stream=True)
        except (httpx.ReadError, httpx.RemoteProtocolError, httpx.WriteError):
            if request.method not in IDEMPOTENT:
                raise
            return await client.send(request, stream=True)

    async def fetch(method: str, path: str, params: dict[str, Any] | None = None, body: Any = None) -> tuple[int, Any]:
        response = await send(client.build_request(method, path, params=params, json=body))
        return response.status_code, _decode(await read_whole(response))

    async def forward(request: Request) -> Response:
        raw = await request.body()
        exchange = Exchange(
            method=request.method,
            path=request.url.path,
            query=dict(request.query_params),
            body=_decode(raw) if rewrites_requests or rewrites_responses else raw,
            memory=memory,
            fetch=fetch,
        )
        if rewrites_requests:
            await _call(mutant.on_request, exchange)
            if exchange.status:  # the mutant answered the request itself
                headers = {"content-type": "application/json", **exchange.reply_headers}
                return Response(_encode(exchange.reply), exchange.status, headers)
        if mutant.delay:
            await asyncio.sleep(mutant.delay)
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _HOP_HEADERS}
        content = _encode(exchange.body) if rewrites_requests else raw
        query = exchange.query if rewrites_requests else request.url.query
        upstream_request = client.build_request(exchange.method, exchange.path, params=query, content=content,
                                                headers=headers)  # fmt: skip
        response = await send(upstream_request)
        reply_headers = {k: v for k, v in response.headers.items() if k.lower() not in _HOP_HEADERS}
        streamed = response.headers.get("content-type", "").startswith("text/event-stream")
        if response.status_code == 200 and (streamed or exchange.path.endswith("/runs/wait")):
            if mutant.stream_headers_delay:
                await asyncio.sleep(mutant.stream_headers_delay)
            reply_headers = {k: v for k, v in reply_headers.items() if k.lower() not in mutant.stream_headers_drop}
            sent = response.aiter_raw()
            if mutant.frames is not None and exchange.path.endswith("/stream/events"):
                sent = _rewritten(response.aiter_lines(), mutant.frames, exchange)
            return StreamingResponse(sent, response.status_code, reply_headers,
                                     background=BackgroundTask(response.aclose))  # fmt: skip
        body = await read_whole(response)
        if not rewrites_responses:
            return Response(body, response.status_code, reply_headers)
        exchange.status, exchange.reply, exchange.reply_headers = response.status_code, _decode(body), reply_headers
        await _call(mutant.on_response, exchange)
        if isinstance(exchange.reply, (dict, list)):
            exchange.reply_headers["content-type"] = "application/json"
        return Response(_encode(exchange.reply), exchange.status, exchange.reply_headers)

    methods = ["GET", "POST", "PUT", "PATCH", "DELETE"]

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        async with client:
            yield

    async def tunnel(socket: WebSocket) -> None:
        """A WebSocket passed through as it is: what the upstream refuses is refused, messages go both ways."""
        url = upstream.replace("http://", "ws://", 1).rstrip("/") + socket.url.path
        try:
            async with websockets.connect(url) as far:
                await socket.accept()

                async def down() -> None:
                    async for message in far:
                        await socket.send_text(message if isinstance(message, str) else message.decode())

                async def up() -> None:
                    while True:
                        await far.send(await socket.receive_text())

                both = [asyncio.ensure_future(down()), asyncio.ensure_future(up())]
                await asyncio.wait(both, return_when=asyncio.FIRST_COMPLETED)
                for task in both:
                    task.cancel()
        except websockets.InvalidStatus:
            await socket.close()
        except (websockets.ConnectionClosed, WebSocketDisconnect):
            pass
        with suppress(RuntimeError, WebSocketDisconnect):  # closed already
            await socket.close()

    return Starlette(routes=[Route("/{path:path}", forward, methods=methods), WebSocketRoute("/{path:path}", tunnel)],
                     lifespan=lifespan)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--upstream", required=True)
    parser.add_argument("--mutant", required=True, choices=sorted(MUTANTS | FAULTS | FAULT_TARGETS | SCHEDULE_MUTANTS))
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    config = uvicorn.Config(build_app(args.upstream, (MUTANTS | FAULTS | FAULT_TARGETS | SCHEDULE_MUTANTS)[args.mutant]), host="127.0.0.1", port=args.port,
                            log_level="warning", lifespan="on", access_log=False,
                            timeout_keep_alive=CLIENT_KEEPALIVE)  # fmt: skip
    uvicorn.Server(config).run()


if __name__ == "__main__":
    main()
