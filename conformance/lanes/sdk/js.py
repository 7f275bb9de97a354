"""The JS SDK (``@langchain/langgraph-sdk``), one Node process per call; installed ahead, never at run time."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import subprocess
from contextlib import suppress
from pathlib import Path

from conformance.core.errors import HarnessError, TimedOut
from conformance.lanes.sdk.call import SdkOutcome, SdkRequest

__all__ = ["JS_SDK_ENV", "call_js", "install_js_sdk", "js_sdk_dir", "js_sdk_missing"]

JS_SDK_ENV = "LANGGRAPH_CONFORMANCE_JS_SDK"
_HERE = Path(__file__).resolve().parent / "client_js"
_PACKAGE = Path("node_modules/@langchain/langgraph-sdk/package.json")


def js_sdk_dir() -> Path:
    """Where the JS SDK is installed: ``$LANGGRAPH_CONFORMANCE_JS_SDK``, else a per-user cache directory."""
    configured = os.environ.get(JS_SDK_ENV)
    return Path(configured) if configured else Path.home() / ".cache" / "langgraph-conformance" / "js-sdk"


def js_sdk_missing() -> str | None:
    """Why the JS SDK cannot be called here, or None."""
    if shutil.which("node") is None:
        return "Node.js is not installed (the JS SDK runs on Node 20 or newer)"
    if not (js_sdk_dir() / _PACKAGE).is_file():
        return f"the JS SDK is not installed in {js_sdk_dir()}: run `langgraph-conformance install-js-sdk`"
    return None


def install_js_sdk(directory: Path) -> None:
    """Install the pinned JS SDK into ``directory`` with ``npm ci`` (the lock file ships with the suite)."""
    if shutil.which("npm") is None:
        raise HarnessError("npm is not installed: the JS SDK needs Node 20 or newer with npm")
    directory.mkdir(parents=True, exist_ok=True)
    for name in ("package.json", "package-lock.json"):
        shutil.copyfile(_HERE / name, directory / name)
    done = subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=directory,
                          capture_output=True, text=True, timeout=600, check=False)  # fmt: skip
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        raise HarnessError(f"npm ci in {directory} failed: {tail[0]}")


async def call_js(request: SdkRequest, timeout: float) -> SdkOutcome:
    """Call ``request.method`` in a Node process of its own (its own process group, stopped by its id)."""
    process = await asyncio.create_subprocess_exec(
        "node", str(_HERE / "call.mjs"), str(js_sdk_dir()), stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, start_new_session=True,
    )  # fmt: skip
    try:
        async with asyncio.timeout(timeout):
            out, err = await process.communicate(json.dumps(request.as_json()).encode())
    except TimeoutError:
        raise TimedOut(f"timed out after {timeout:g} s waiting for the JS SDK's {request.method}") from None
    finally:
        if process.returncode is None:
            with suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            await process.wait()
    try:
        return SdkOutcome.from_json(json.loads(out))
    except ValueError:
        last = err.decode(errors="replace").strip().splitlines()[-1:] or ["no output"]
        raise HarnessError(f"the JS SDK's {request.method} did not run (node exit {process.returncode}): {last[0]}") from None
