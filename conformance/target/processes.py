"""Child processes the suite starts: each in its own process group, stopped by that group's id."""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

__all__ = ["start_group", "stop_group"]

STOP_TIMEOUT = 10.0


def start_group(command: Sequence[str], *, cwd: Path, log: Path, env: Mapping[str, str] | None = None) -> subprocess.Popen[bytes]:
    """Start ``command`` as the leader of a new process group, output into ``log``."""
    with open(log, "wb") as out:
        return subprocess.Popen(
            list(command), cwd=cwd, env=dict(env) if env is not None else None, stdout=out,
            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip


def stop_group(process: subprocess.Popen[bytes]) -> None:
    """Stop the group led by ``process`` (SIGTERM, then SIGKILL), and nothing else."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(STOP_TIMEOUT)
