"""The Python SDK (``langgraph-sdk``), called in-process as the how-to calls it."""

from __future__ import annotations

import httpx
from langgraph_sdk import get_client

from conformance.core.errors import HarnessError, TimedOut
from conformance.lanes.sdk.call import SdkOutcome, SdkRequest

__all__ = ["call_python"]


async def call_python(request: SdkRequest, timeout: float) -> SdkOutcome:
    """Call ``request.method`` through a fresh client; an HTTP error it raises is the outcome, not a failure."""
    # api_key=None: no key from the environment; an API key given to the suite comes as a header.
    client = get_client(url=request.url, api_key=None, headers=dict(request.headers), timeout=timeout)
    thread, run = request.thread_id, request.run_id
    try:
        match request.method:
            case "runs.create":
                body = request.body
                value = await client.runs.create(
                    thread, request.assistant_id, input=body.get("input"), config=body.get("config"),
                    metadata=body.get("metadata"), multitask_strategy=body.get("multitask_strategy"),
                )  # fmt: skip
            case "run.start":  # the thread stream's run.start names no strategy: the server's default
                body = request.body
                async with client.threads.stream(thread, assistant_id=request.assistant_id,
                                                 run_start_timeout=timeout) as stream:  # fmt: skip
                    value = await stream.run.start(input=body.get("input"), config=body.get("config"),
                                                   metadata=body.get("metadata"))  # fmt: skip
            case "runs.get":
                value = await client.runs.get(thread, run)
            case "runs.join":
                value = await client.runs.join(thread, run)
            case "threads.get_state":
                value = await client.threads.get_state(thread)
        return SdkOutcome(returned=value)
    except httpx.HTTPStatusError as exc:
        return SdkOutcome(raised=type(exc).__name__, status=exc.response.status_code, message=str(exc))
    except httpx.TimeoutException:
        raise TimedOut(f"timed out after {timeout:g} s waiting for the Python SDK's {request.method}") from None
    except httpx.TransportError as exc:
        raise HarnessError(f"the target stopped answering the Python SDK ({request.method}): {exc}") from None
    except Exception as exc:  # whatever else the SDK raises is what its user sees
        return SdkOutcome(raised=type(exc).__name__, message=str(exc))
    finally:
        await client.aclose()
