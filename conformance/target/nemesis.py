"""The nemesis: runs the user's inject and heal commands, each in a process group of its own, bounded."""

from __future__ import annotations

import asyncio
import os
import signal
import time

from conformance.core.errors import HarnessError
from conformance.core.faults import Fault

__all__ = ["run_command"]

_OUTPUT_TAIL = 300


async def run_command(fault: Fault, which: str) -> float:
    """Run ``fault``'s ``inject`` or ``heal`` command; its seconds. A failure or a timeout is a harness error."""
    command = getattr(fault, which)
    started = time.monotonic()
    process = await asyncio.create_subprocess_exec(
        "sh", "-c", command, cwd=fault.directory, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    try:
        output, _ = await asyncio.wait_for(process.communicate(), fault.timeout)
    except (TimeoutError, asyncio.CancelledError):
        _stop(process)
        await process.wait()
        raise HarnessError(f"fault {fault.name}: the {which} command did not end within {fault.timeout:g} s: "
                           f"{command}") from None  # fmt: skip
    if process.returncode:
        tail = output.decode(errors="replace").strip()[-_OUTPUT_TAIL:]
        raise HarnessError(f"fault {fault.name}: the {which} command exited {process.returncode}: {command}: {tail}")
    return time.monotonic() - started


def _stop(process: asyncio.subprocess.Process) -> None:
    """The command's own process group, and nothing else (it was started in a session of its own)."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
