"""The Python SDK (``langgraph-sdk``), called in-process as the how-to calls it."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

import httpx
from langgraph_sdk import get_client
from langgraph_sdk.client import LangGraphClient

from conformance.core.errors import HarnessError, TimedOut
from conformance.lanes.sdk.call import SdkOutcome, SdkRequest

__all__ = ["call_python", "start_watching_output"]


async def call_python(request: SdkRequest, timeout: float) -> SdkOutcome:
    """Call ``request.method`` through a fresh client; an HTTP error it raises is the outcome, not a failure."""
    client = _client(request, timeout)
    thread, run = request.thread_id, request.run_id
    try:
        match request.method:
            case "runs.create":
                body = request.body
                call: Awaitable[Any] = client.runs.create(
                    thread, request.assistant_id, input=body.get("input"), config=body.get("config"),
                    metadata=body.get("metadata"), multitask_strategy=body.get("multitask_strategy"),
                )  # fmt: skip
            case "run.start":
                call = _started(client, request, timeout)
            case "runs.get":
                call = client.runs.get(thread, run)
            case "runs.join":
                call = client.runs.join(thread, run)
            case "threads.get_state":
                call = client.threads.get_state(thread)
            case _:
                raise HarnessError(f"the Python SDK lane cannot call {request.method} on its own")
        return await _caught(request.method, timeout, call)
    finally:
        await client.aclose()


async def start_watching_output(request: SdkRequest, timeout: float) -> tuple[SdkOutcome, asyncio.Task[SdkOutcome]]:
    """``run.start`` as ``call_python`` calls it, its thread stream left open: the task ends with the state values
    the stream's ``output`` resolved with (bounded by ``timeout``), or what it raised; then the stream closes."""
    started: asyncio.Future[SdkOutcome] = asyncio.get_running_loop().create_future()

    async def watch() -> SdkOutcome:
        client = _client(request, timeout)
        try:
            async with _stream(client, request, timeout) as stream:
                outcome = await _caught("run.start", timeout, _run_start(stream, request.body))
                started.set_result(outcome)
                if outcome.raised is not None:
                    return outcome
                return await _caught("thread.output", timeout, _output(stream, timeout))
        finally:
            await client.aclose()

    task = asyncio.create_task(watch())
    await asyncio.wait({task, started}, return_when=asyncio.FIRST_COMPLETED)
    if started.done():
        return started.result(), task
    return await _caught("run.start", timeout, task), task  # the stream never opened: what it raised is the call's


async def _output(stream: Any, timeout: float) -> dict[str, Any]:
    """The state values ``thread.output`` resolves with, as a state (``{"values": ...}``)."""
    try:
        return {"values": await stream.output.with_timeout(timeout)}
    except TimeoutError:
        raise RuntimeError(f"thread.output did not resolve within {timeout:g} s") from None


def _client(request: SdkRequest, timeout: float) -> LangGraphClient:
    # api_key=None: no key from the environment; an API key given to the suite comes as a header.
    return get_client(url=request.url, api_key=None, headers=dict(request.headers), timeout=timeout)


async def _started(client: LangGraphClient, request: SdkRequest, timeout: float) -> Any:
    """run.start on a thread stream opened for it (it names no strategy: the server's default), then closed."""
    async with _stream(client, request, timeout) as stream:
        return await _run_start(stream, request.body)


def _stream(client: LangGraphClient, request: SdkRequest, timeout: float) -> Any:
    """The SDK's stream of ``request``'s thread (``async with``), its ``run.start`` bounded by ``timeout``."""
    return client.threads.stream(request.thread_id, assistant_id=request.assistant_id, run_start_timeout=timeout)


async def _run_start(stream: Any, body: Any) -> Any:
    return await stream.run.start(input=body.get("input"), config=body.get("config"), metadata=body.get("metadata"))


async def _caught(method: str, timeout: float, call: Awaitable[Any]) -> SdkOutcome:
    """What ``call`` returned, or the error it raised as its user sees it; a timeout or a lost target is the
    harness's."""
    try:
        return SdkOutcome(returned=await call)
    except httpx.HTTPStatusError as exc:
        return SdkOutcome(raised=type(exc).__name__, status=exc.response.status_code, message=str(exc))
    except httpx.TimeoutException:
        raise TimedOut(f"timed out after {timeout:g} s waiting for the Python SDK's {method}") from None
    except httpx.TransportError as exc:
        raise HarnessError(f"the target stopped answering the Python SDK ({method}): {exc}") from None
    except Exception as exc:  # whatever else the SDK raises is what its user sees
        return SdkOutcome(raised=type(exc).__name__, message=str(exc))
