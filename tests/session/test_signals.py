"""SIGTERM, SIGINT and SIGHUP, sent to a real ``langgraph-conformance run`` process: a prompt exit, a report, no trace."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import suite_leftovers

STOP_BOUND = 15.0  # seconds from the signal to the exit


def _start(report_dir: Path, *args: str) -> tuple[subprocess.Popen[bytes], Path]:
    report_dir.mkdir(parents=True, exist_ok=True)
    log = report_dir / "output.log"
    with open(log, "wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "conformance", "run", "--report-dir", str(report_dir), *args],
                                   cwd=report_dir, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)  # fmt: skip
    return process, log


def _await(condition: object, what: str, process: subprocess.Popen[bytes], log: Path, bound: float = 90) -> None:
    deadline = time.monotonic() + bound
    while not condition():  # type: ignore[operator]
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"never saw {what}:\n{log.read_text()[-2000:]}")
        time.sleep(0.05)


def _stop(process: subprocess.Popen[bytes], sig: signal.Signals) -> tuple[int, float]:
    sent = time.monotonic()
    process.send_signal(sig)
    try:
        return process.wait(STOP_BOUND + 5), time.monotonic() - sent
    except subprocess.TimeoutExpired:
        process.kill()
        raise


def _scenario_threads(url: str) -> bool:
    """Whether the server holds threads of a running scenario (the campaign has begun)."""
    found = httpx.post(f"{url}/threads/search", json={"metadata": {"conformance_suite": "langgraph-conformance"}},
                       trust_env=False, timeout=10).json()  # fmt: skip
    return any("conformance_scenario" in (t.get("metadata") or {}) for t in found)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_mid_run_cleans_the_target_and_writes_a_report(
    sig: signal.Signals, reference_url: str, tmp_path: Path
) -> None:
    process, log = _start(tmp_path, "--target-url", reference_url)
    _await(lambda: _scenario_threads(reference_url), "a scenario's thread on the target", process, log)
    code, took = _stop(process, sig)
    output = log.read_text()
    assert code == 3, output[-2000:]
    assert took < STOP_BOUND
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["summary"]["verdict"] == "interrupted" and report["harness_error"] == f"interrupted by {sig.name}"
    assert report["summary"]["not_reached"] > 0
    assert "Traceback" not in output
    assert suite_leftovers(reference_url, report["session"]) == ([], [])


def test_sigint_stops_the_embedded_server_too(tmp_path: Path) -> None:
    process, log = _start(tmp_path)
    _await(lambda: "scenarios done" in log.read_text(), "the first progress line", process, log)
    code, took = _stop(process, signal.SIGINT)
    assert code == 3, log.read_text()[-2000:]
    assert took < STOP_BOUND
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["harness_error"] == "interrupted by SIGINT"
    with pytest.raises(httpx.TransportError):
        httpx.get(f"{report['target']['url']}/ok", trust_env=False, timeout=2)
