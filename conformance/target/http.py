"""The only code that sends requests to a target; every exchange lands in a trace."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from contextlib import asynccontextmanager, contextmanager, suppress
from contextvars import ContextVar
from typing import Any, TypeAlias
from urllib.parse import urlencode

import httpx
import websockets

from conformance.core.errors import HarnessError, TimedOut
from conformance.core.exchange import Exchange, Reply
from conformance.core.monitor import Monitor
from conformance.target.connections import read_whole, retire_after_server_error

__all__ = ["SOCKET_REFUSED", "Http", "Pool", "open_client"]

_EXCERPT = 2000
_CARRIED_TIMEOUT = 10.0  # how long a cancelled creating request is still awaited
_IDEMPOTENT = frozenset({"GET", "PUT", "DELETE"})
_READING_POSTS = ("/search", "/history")
"""POST routes that only read (a store, thread or assistant search; a thread's history): harmless to send twice."""
SOCKET_REFUSED = "upgrade refused"
"""What a WebSocket exchange records as its answer where the server refused the upgrade (its HTTP status beside)."""


def _decode(response: httpx.Response) -> Any:
    text = response.text
    try:
        return json.loads(text) if text else None
    except ValueError:
        return text[:_EXCERPT]


@asynccontextmanager
async def open_client(url: str, headers: Mapping[str, str], timeout: float) -> AsyncIterator[httpx.AsyncClient]:
    """One pooled client for a whole session against a target."""
    # Idle connections are dropped well before a server's usual 5 s keep-alive closes them.
    limits = httpx.Limits(max_connections=200, max_keepalive_connections=50, keepalive_expiry=1.0)
    async with httpx.AsyncClient(
        base_url=url, headers=dict(headers), timeout=timeout, limits=limits, trust_env=False
    ) as client:
        yield client


@contextmanager
def _failures(exchange: Exchange, waiting_for: str) -> Iterator[None]:
    """A timeout (httpx's, between two reads; or the whole answer's, ``_whole``) is ``TimedOut`` naming what was awaited;
    a transport failure is a harness error."""
    try:
        yield
    except (httpx.TimeoutException, TimeoutError):
        exchange.response = "timed out"
        raise TimedOut(f"timed out waiting for {waiting_for}") from None
    except httpx.TransportError as exc:
        exchange.response = f"transport error: {exc}"
        what = f"{exchange.method} {exchange.path}: {str(exc) or type(exc).__name__}"
        raise HarnessError(f"the target stopped answering ({what})") from None
    finally:
        exchange.elapsed = time.monotonic() - exchange.at


async def _send(client: httpx.AsyncClient, request: httpx.Request) -> httpx.Response:
    """Send and read the answer; after a 5xx its connection is never reused."""
    response = await client.send(request, stream=True)
    await read_whole(response)
    return response


def _whole(timeout: float | None) -> asyncio.Timeout:
    """A bound on the whole answer: httpx's own timeout is between two reads, and a server that sends a byte every few
    seconds (the reference's join sends whitespace every 5 s while it waits) would never reach it."""
    return asyncio.timeout(timeout)


def _signal_sent(sent: asyncio.Event) -> Callable[[str, dict[str, Any]], Awaitable[None]]:
    """An httpx trace hook that sets ``sent`` once the request's body was written."""

    async def trace(event: str, _: dict[str, Any]) -> None:
        if event.endswith("send_request_body.complete"):
            sent.set()

    return trace


Pool: TypeAlias = httpx.AsyncClient | tuple[httpx.AsyncClient, ...]
"""One client per replica of the target (a lone client: one replica)."""


class Http:
    """Requests on behalf of one scenario, recorded into its trace and reported to the campaign's monitor.

    Against several replicas of one deployment, requests go to each in turn, unless the caller
    names one (``replica``: an index, wrapped around): a double-text or a cancel goes to another
    replica than the one that created the run it acts on.
    """

    def __init__(self, client: Pool, trace: list[Exchange], monitor: Monitor | None = None, scenario: str = "") -> None:
        self._clients = client if isinstance(client, tuple) else (client,)
        self._turn = 0
        self.trace = trace
        self._monitor = monitor or Monitor(0)
        self._scenario = scenario
        self._sink: ContextVar[list[Exchange] | None] = ContextVar("sink", default=None)

    @contextmanager
    def recording_into(self, sink: list[Exchange]) -> Iterator[None]:
        """Record this task's exchanges into ``sink`` instead of the trace (other tasks are unaffected)."""
        token = self._sink.set(sink)
        try:
            yield
        finally:
            self._sink.reset(token)

    @contextmanager
    def waiting(self, what: str, *, progress: bool) -> Iterator[None]:
        """A wait of this scenario (several requests), shown in progress and judged by the breaker."""
        with self._monitor.waiting(self._scenario, what, progress=progress):
            yield

    @contextmanager
    def _watch(self, exchange: Exchange, what: str, progress: bool) -> Iterator[None]:
        """The request as a wait of the monitor; its status (or none) as a reply."""
        try:
            with self._monitor.waiting(self._scenario, what, progress=progress):
                yield
        finally:
            self._monitor.replied(exchange.status)

    @property
    def replicas(self) -> int:
        return len(self._clients)

    def _pick(self, replica: int | None) -> tuple[httpx.AsyncClient, str]:
        """The client for ``replica`` (None: the next in turn), and its name for the trace."""
        if replica is None:
            replica, self._turn = self._turn, self._turn + 1
        index = replica % len(self._clients)
        return self._clients[index], f"r{index + 1}" if len(self._clients) > 1 else ""

    def _exchange(self, method: str, path: str, json_body: Any) -> Exchange:
        """A new exchange, recorded into this task's sink or the trace."""
        exchange = Exchange(time.monotonic(), method, path, json_body)
        sink = self._sink.get()
        (self.trace if sink is None else sink).append(exchange)
        return exchange

    async def request(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        content: bytes | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
        waiting_for: str = "",
        progress: bool = False,
        resend: bool = False,
        replica: int | None = None,
        sent: asyncio.Event | None = None,
    ) -> Reply:
        """Send one request; a timeout is ``TimedOut`` naming ``waiting_for``.

        ``sent``: set once the request was written whole (the answer may take long: a join).

        ``resend``: a POST or PATCH too is sent once more on a fresh connection when a kept-alive one
        turns out closed (only where sending it twice is harmless; a POST that only reads always is).

        ``content``: a raw body, sent as JSON (what a client with a broken serialiser sends).

        ``progress``: its answer shows that a run moved (a join that returns), for the breaker.
        """
        shown = f"{path}?{urlencode(params)}" if params else path
        exchange = self._exchange(method, shown, json_body if content is None else content.decode(errors="replace"))
        client, exchange.via = self._pick(replica)
        headers = {"content-type": "application/json"} if content is not None else None
        what = waiting_for or f"an answer to {method} {shown}"
        with self._watch(exchange, what, progress), _failures(exchange, what):
            retried = method in _IDEMPOTENT or resend or (method == "POST" and path.endswith(_READING_POSTS))
            async with _whole(timeout):
                for attempt in range(2 if retried else 1):
                    try:
                        response = await _send(client, client.build_request(
                            method, path, json=json_body, content=content, headers=headers, params=params,
                            timeout=timeout if timeout is not None else httpx.USE_CLIENT_DEFAULT,
                            extensions={"trace": _signal_sent(sent)} if sent is not None else None,
                        ))  # fmt: skip
                        break
                    except (httpx.RemoteProtocolError, httpx.ReadError):  # a kept-alive connection closed or reset
                        # under us (some servers drop it after a 500): once more, on a fresh one
                        if attempt or not retried:
                            raise
            exchange.status = response.status_code
        exchange.response = _decode(response)
        return Reply(response.status_code, exchange.response, response.headers)

    async def create(
        self, path: str, json_body: Any, on_reply: Callable[[Reply], None], replica: int | None = None
    ) -> Reply:
        """``POST path`` that creates something to clean up later: ``on_reply`` learns its answer even when
        the task is cancelled meanwhile (the server may create it all the same), then the cancellation goes on."""
        sending = asyncio.ensure_future(self.request("POST", path, json_body=json_body, replica=replica))
        try:
            reply = await asyncio.shield(sending)
        except asyncio.CancelledError:
            with suppress(Exception):  # a failed answer: then there is nothing to learn
                on_reply(await asyncio.wait_for(sending, _CARRIED_TIMEOUT))
            raise
        on_reply(reply)
        return reply

    @asynccontextmanager
    async def stream(
        self, method: str, path: str, *, json_body: Any = None, timeout: float | None = None, progress: bool = False,
        replica: int | None = None, whole: bool = True,
    ) -> AsyncIterator[tuple[httpx.Response, Exchange]]:
        """Open a streamed response; the caller reads it and fills ``exchange.response``.

        ``timeout`` bounds the whole answer (a stream that sends a heartbeat every few seconds never reaches httpx's
        own timeout, which is between two reads); ``whole=False``: only the opening, for a stream that stays open as
        long as its run (``/runs/stream`` of a queued run), bounded where it is awaited."""
        exchange = self._exchange(method, path, json_body)
        client, exchange.via = self._pick(replica)
        what = f"the stream of {method} {path}"
        bound = httpx.Timeout(timeout, read=None) if not whole else timeout if timeout is not None else \
            httpx.USE_CLIENT_DEFAULT  # fmt: skip
        with self._watch(exchange, what, progress), _failures(exchange, what):
            async with _whole(timeout if whole else None), client.stream(method, path, json=json_body,
                                                                          timeout=bound) as response:  # fmt: skip
                exchange.status = response.status_code
                try:
                    yield response, exchange
                finally:
                    retire_after_server_error(response)

    async def command_over_socket(self, path: str, command: dict[str, Any], *, timeout: float,
                                  replica: int | None = None) -> Reply:  # fmt: skip
        """Open a WebSocket on ``path``, send ``command`` (one JSON text message), and return the message that answers
        it (``type`` ``success`` or ``error`` with the command's ``id``; events before it are skipped) as a 200
        reply; the socket is closed then. A refused upgrade is a reply with the refusal's status; a socket closed
        before the answer, a 101 reply saying so; no answer within ``timeout``: ``TimedOut``."""
        exchange = self._exchange("WS", path, command)
        client, exchange.via = self._pick(replica)
        url = str(client.base_url.copy_with(scheme="wss" if client.base_url.scheme == "https" else "ws")).rstrip("/")
        headers = {k: v for k, v in client.headers.items() if k.lower() not in _NOT_FOR_SOCKETS}
        what = f"the answer to {command.get('method')} over a WebSocket on {path}"
        with self._watch(exchange, what, False), _failures(exchange, what):
            try:
                async with asyncio.timeout(timeout), websockets.connect(url + path, additional_headers=headers,
                                                                        open_timeout=timeout) as socket:  # fmt: skip
                    await socket.send(json.dumps(command))
                    async for raw in socket:
                        message = _json(raw)
                        if isinstance(message, dict) and message.get("type") in ("success", "error") \
                                and message.get("id") == command.get("id"):  # fmt: skip
                            exchange.status, exchange.response = 200, message
                            return Reply(200, message, {})
                closed = f"closed before answering ({socket.close_code} {socket.close_reason or ''})".strip()
            except websockets.InvalidStatus as exc:
                exchange.status, exchange.response = exc.response.status_code, SOCKET_REFUSED
                return Reply(exc.response.status_code, SOCKET_REFUSED, {})
            except websockets.ConnectionClosed as exc:
                closed = f"closed before answering ({exc})"
            except OSError as exc:
                raise HarnessError(f"the target stopped answering (WebSocket on {path}: {exc})") from None
        exchange.status, exchange.response = 101, closed  # the upgrade was answered, the command never was
        return Reply(101, closed, {})


_NOT_FOR_SOCKETS = frozenset({"accept", "accept-encoding", "connection", "user-agent", "content-type", "content-length"})


def _json(raw: str | bytes) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        return None
