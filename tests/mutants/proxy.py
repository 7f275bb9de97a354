"""A reverse proxy in front of a real server that changes one behaviour: the mutant.

Run it as ``python -m tests.mutants.proxy --upstream URL --mutant NAME --port PORT``; it
prints ``ready`` once it listens. Event streams pass through untouched; JSON responses are
decoded, handed to the mutant, and encoded again.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from tests.mutants.catalog import MUTANTS, Exchange, Mutant

_HOP_HEADERS = {"content-length", "transfer-encoding", "connection", "content-encoding", "host"}


def _decode(raw: bytes) -> Any:
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return raw


def _encode(body: Any) -> bytes:
    if isinstance(body, bytes):
        return body
    return b"" if body is None else json.dumps(body).encode()


def build_app(upstream: str, mutant: Mutant) -> Starlette:
    """The proxy as an ASGI app; ``mutant`` sees every exchange and keeps its memory across them."""
    client = httpx.AsyncClient(base_url=upstream, timeout=None, trust_env=False)
    memory: dict[str, Any] = {}

    async def forward(request: Request) -> Response:
        exchange = Exchange(
            method=request.method,
            path=request.url.path,
            query=dict(request.query_params),
            body=_decode(await request.body()),
            memory=memory,
        )
        mutant.on_request(exchange)
        if mutant.delay:
            await asyncio.sleep(mutant.delay)
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _HOP_HEADERS}
        upstream_request = client.build_request(
            exchange.method, exchange.path, params=exchange.query, content=_encode(exchange.body), headers=headers
        )
        response = await client.send(upstream_request, stream=True)
        reply_headers = {k: v for k, v in response.headers.items() if k.lower() not in _HOP_HEADERS}
        streamed = response.headers.get("content-type", "").startswith("text/event-stream")
        if streamed or exchange.path.endswith("/runs/wait"):  # a waiting client needs the headers now
            return StreamingResponse(response.aiter_raw(), response.status_code, reply_headers,
                                     background=BackgroundTask(response.aclose))  # fmt: skip
        raw = await response.aread()
        await response.aclose()
        exchange.status, exchange.reply = response.status_code, _decode(raw)
        mutant.on_response(exchange)
        return Response(_encode(exchange.reply), exchange.status, reply_headers)

    methods = ["GET", "POST", "PUT", "PATCH", "DELETE"]

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        async with client:
            yield

    return Starlette(routes=[Route("/{path:path}", forward, methods=methods)], lifespan=lifespan)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--upstream", required=True)
    parser.add_argument("--mutant", required=True, choices=sorted(MUTANTS))
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    config = uvicorn.Config(build_app(args.upstream, MUTANTS[args.mutant]), host="127.0.0.1", port=args.port,
                            log_level="warning", lifespan="on")  # fmt: skip
    uvicorn.Server(config).run()


if __name__ == "__main__":
    main()
