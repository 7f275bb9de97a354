"""``langgraph-conformance serve`` starts the reference server and stops it, by PID, on SIGTERM."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time

import httpx

from conformance.target.embedded import free_port


def test_serve_answers_and_stops_its_server_on_sigterm(tmp_path) -> None:
    port = free_port()
    log = tmp_path / "serve.log"
    with open(log, "w") as out:
        serve = subprocess.Popen([sys.executable, "-m", "conformance", "serve", "--port", str(port)],
                                 stdout=out, stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
    try:
        deadline = time.monotonic() + 90
        while f"127.0.0.1:{port}" not in log.read_text():
            assert serve.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
        assert httpx.get(f"http://127.0.0.1:{port}/ok", trust_env=False).status_code == 200
        workdir = re.search(r"log: (\S+)/server.log", log.read_text()).group(1)
        serve.send_signal(signal.SIGTERM)
        assert serve.wait(30) == 0
        try:
            httpx.get(f"http://127.0.0.1:{port}/ok", trust_env=False, timeout=2)
            raise AssertionError("the reference server still answers after serve stopped")
        except httpx.TransportError:
            pass
        assert not os.path.exists(workdir)
    finally:
        if serve.poll() is None:
            os.killpg(serve.pid, signal.SIGKILL)
