"""Replica proxies the fault lane's tests kill, pause and restart: by the PID recorded for each, never by name.

``python -m tests.faults.replicas ACTION K DIR``: ACTION is kill (SIGKILL to the replica's process group),
restart (start it again on its port), pause (SIGSTOP), resume (SIGCONT). ``DIR/replicas.json`` is written
by ``start_replicas``.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from pathlib import Path

import httpx

from conformance.target.embedded import free_port
from conformance.target.processes import start_group

__all__ = ["start_replicas", "stop_replicas"]

REPO = Path(__file__).resolve().parents[2]
READY_TIMEOUT = 30.0


def _spec(directory: Path) -> dict[str, dict[str, object]]:
    return json.loads((directory / "replicas.json").read_text())


def _start(directory: Path, key: str, upstream: str, mutant: str, port: int) -> int:
    command = [sys.executable, "-m", "tests.mutants.proxy", "--upstream", upstream, "--mutant", mutant,
               "--port", str(port)]  # fmt: skip
    process = start_group(command, cwd=REPO, log=directory / f"replica-{key}.log")
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/ok", timeout=1, trust_env=False)
            return process.pid
        except httpx.HTTPError:
            time.sleep(0.05)
    raise SystemExit(f"replica {key} did not answer on port {port} within {READY_TIMEOUT:g} s")


def start_replicas(directory: Path, upstream: str, mutants: list[str]) -> list[str]:
    """One proxy per mutant name (``replica``: honest), each its own process group; their URLs."""
    spec = {}
    for k, mutant in enumerate(mutants, 1):
        port = free_port()
        spec[str(k)] = {"port": port, "mutant": mutant, "upstream": upstream,
                        "pid": _start(directory, str(k), upstream, mutant, port)}  # fmt: skip
    (directory / "replicas.json").write_text(json.dumps(spec))
    return [f"http://127.0.0.1:{spec[k]['port']}" for k in spec]


def stop_replicas(directory: Path) -> None:
    """Every replica recorded, by its process group."""
    for replica in _spec(directory).values():
        _signal(int(replica["pid"]), signal.SIGKILL)


def _signal(pgid: int, sig: signal.Signals) -> None:
    try:
        os.killpg(pgid, sig)
    except ProcessLookupError:
        pass


def main(action: str, key: str, directory: Path) -> None:
    spec = _spec(directory)
    replica = spec[key]
    pid = int(replica["pid"])  # type: ignore[call-overload]
    if action == "kill":
        _signal(pid, signal.SIGKILL)
    elif action == "pause":
        _signal(pid, signal.SIGSTOP)
    elif action == "resume":
        _signal(pid, signal.SIGCONT)
    elif action == "restart":
        _signal(pid, signal.SIGKILL)
        replica["pid"] = _start(directory, key, str(replica["upstream"]), str(replica["mutant"]), int(replica["port"]))  # type: ignore[call-overload]
        (directory / "replicas.json").write_text(json.dumps(spec))
    else:
        raise SystemExit(f"unknown action {action!r}")
    print(f"replica {key}: {action}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], Path(sys.argv[3]))
