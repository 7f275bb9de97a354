"""The embedded reference server: langgraph-api's in-memory server serving the fixtures.

Started on a free 127.0.0.1 port, in its own process group and working directory, offline;
stopped by its process-group id, which is the PID we started.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import TracebackType

import httpx

from conformance.core.errors import HarnessError
from conformance.target.fixtures import fixtures_dir
from conformance.target.processes import start_group, stop_group

__all__ = ["EmbeddedServer", "free_port"]

START_TIMEOUT = 90.0
JOBS_PER_WORKER = 64


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class EmbeddedServer:
    """``langgraph dev`` with the fixture project, as a context manager."""

    def __init__(
        self, port: int | None = None, *, jobs_per_worker: int | None = JOBS_PER_WORKER, project: Path | None = None
    ) -> None:
        """``jobs_per_worker=0`` gives a server whose runs never leave ``pending`` (a broken target, for tests);
        None serves it as ``langgraph dev`` does without the option (one run at a time, as measured).
        ``project``: the LangGraph project to serve instead of the fixture project (a test double's graph)."""
        self.port = port or free_port()
        self.jobs_per_worker = jobs_per_worker
        self.project = project
        self.url = f"http://127.0.0.1:{self.port}"
        self._workdir: Path | None = None
        self._process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> EmbeddedServer:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def log_path(self) -> Path | None:
        """The server's combined stdout and stderr."""
        return self._workdir / "server.log" if self._workdir else None

    def start(self) -> None:
        """Start the server and wait, bounded, until ``/ok`` answers."""
        self._workdir = Path(tempfile.mkdtemp(prefix="langgraph-conformance-"))
        project = self._workdir / "project"
        shutil.copytree(self.project or fixtures_dir(), project,
                        ignore=shutil.ignore_patterns("js", "__pycache__", ".langgraph_api"))  # fmt: skip
        env = {
            **os.environ,
            "LANGGRAPH_NO_VERSION_CHECK": "true",
            "LANGSMITH_TRACING": "false",
            "LANGCHAIN_TRACING_V2": "false",
        }
        command = [
            sys.executable, "-m", "langgraph_cli", "dev", "--no-browser", "--no-reload",
            "--host", "127.0.0.1", "--port", str(self.port), "--config", "langgraph.json",
            *(("--n-jobs-per-worker", str(self.jobs_per_worker)) if self.jobs_per_worker is not None else ()),
        ]  # fmt: skip
        self._process = start_group(command, cwd=project, log=self._workdir / "server.log", env=env)
        try:
            self._await_ready()
        except BaseException:  # a signal while it starts, too: __exit__ will not run, so stop it here
            self.stop()
            raise

    def _await_ready(self) -> None:
        assert self._process is not None
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise HarnessError(f"the embedded reference server exited at start-up: {self._log_tail()}")
            try:
                if httpx.get(f"{self.url}/ok", timeout=1.0, trust_env=False).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        raise HarnessError(f"the embedded reference server did not answer /ok within {START_TIMEOUT:.0f} s")

    def _log_tail(self) -> str:
        path = self.log_path
        if not path or not path.exists():
            return "(no log)"
        lines = [line for line in path.read_text(errors="replace").splitlines() if line.strip()]
        return " | ".join(lines[-3:])[-500:]

    def wait(self) -> int:
        """Block until the server process exits; its exit code."""
        assert self._process is not None, "start() first"
        return self._process.wait()

    def stop(self) -> None:
        """Stop the process group we started (and only it), then remove the working directory."""
        process, self._process = self._process, None
        if process is not None:
            stop_group(process)
        if self._workdir is not None:
            shutil.rmtree(self._workdir, ignore_errors=True)
            self._workdir = None
