"""Shared fixtures: one embedded reference server, mutant proxies in front of it, and suite runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from conformance.target.embedded import EmbeddedServer, free_port
from conformance.target.processes import start_group, stop_group

REPO = Path(__file__).resolve().parent.parent
SUITE_RUN_TIMEOUT = 240
KILL_MATRIX = pytest.StashKey[list[str]]()
WORKERS = 2
TEST_TIMEOUT = 600  # seconds, for any one test (the kill matrix sets its own)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--kill-matrix", choices=("subset", "all"), default="subset",
                     help="the mutants the kill matrix runs: a representative subset (default), or all (tox -e kill-matrix)")


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config: pytest.Config) -> None:
    """The project's tests on two workers, one file each at a time, unless told otherwise (``-n``, ``-p no:xdist``),
    and each bounded by ``TEST_TIMEOUT`` (``--timeout``).

    Set here, not in the repository's pytest settings: those also apply to ``pytest --pyargs conformance.suite``
    started inside a clone, where pytest-xdist need not be installed. The kill matrix (one file, CPU-bound)
    runs beside the tests that mostly wait on broken targets and timeouts: half the wall time on two cores.
    """
    if config.pluginmanager.hasplugin("timeout") and config.getoption("timeout", None) is None:
        config.option.timeout = TEST_TIMEOUT
    if hasattr(config, "workerinput") or os.environ.get("PYTEST_XDIST_WORKER"):  # a worker spawns no workers
        return
    if config.pluginmanager.hasplugin("xdist") and config.getoption("numprocesses", None) is None:
        config.option.numprocesses = WORKERS
        config.option.dist = "loadfile"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    """Show the kill matrix, when the mutants ran, whatever the capture mode."""
    for line in config.stash.get(KILL_MATRIX, []):
        terminalreporter.write_line(line)


def pytest_sessionfinish(session: pytest.Session) -> None:
    """In a pytest-xdist worker: hand the kill matrix to the controller, which prints the summary."""
    if hasattr(session.config, "workeroutput") and KILL_MATRIX in session.config.stash:
        session.config.workeroutput["kill_matrix"] = session.config.stash[KILL_MATRIX]


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: object) -> None:
    """In the pytest-xdist controller: keep the kill matrix a worker handed over."""
    lines = getattr(node, "workeroutput", {}).get("kill_matrix")
    if lines:
        node.config.stash[KILL_MATRIX] = lines


@pytest.fixture(scope="session")
def reference_url() -> Iterator[str]:
    """The embedded reference server, shared by the tests that need a real server."""
    with EmbeddedServer() as server:
        yield server.url


@dataclass(frozen=True)
class SuiteRun:
    """What one ``langgraph-conformance run`` did."""

    exit_code: int
    output: str
    report: dict[str, Any]
    elapsed: float

    def failed(self) -> set[str]:
        """Requirement IDs with a failed test."""
        return {r["requirement"] for r in self.report["results"] if r["outcome"] == "failed"}

    def failed_tests(self) -> set[str]:
        """Test ids (``scenario:REQUIREMENT``) that failed."""
        return {r["test_id"] for r in self.report["results"] if r["outcome"] == "failed"}

    def failed_checks(self) -> dict[str, list[str]]:
        """Failed test id -> what its failed checks saw (``actual``), to compare two runs' failures."""
        seen: dict[str, list[str]] = {}
        for scenario in self.report.get("scenarios", []):
            for check in scenario["checks"]:
                if check["outcome"] == "failed":
                    seen.setdefault(f"{scenario['id']}:{check['requirement']}", []).append(check["actual"])
        return {test: sorted(seen.get(test, [])) for test in self.failed_tests()}

    def outcomes(self) -> dict[str, str]:
        """Test id -> outcome."""
        return {r["test_id"]: r["outcome"] for r in self.report["results"]}

    def details(self) -> dict[str, str]:
        """Test id -> the text that explains its outcome."""
        return {r["test_id"]: r["detail"] for r in self.report["results"]}


def run_suite(report_dir: Path, *args: str) -> SuiteRun:
    """Run the installed command in a clean directory, as a user would."""
    report_dir.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "conformance", "run", "--report-dir", str(report_dir), *args]
    started = time.monotonic()
    done = subprocess.run(command, cwd=report_dir, capture_output=True, text=True, timeout=SUITE_RUN_TIMEOUT)
    elapsed = time.monotonic() - started
    path = report_dir / "report.json"
    report = json.loads(path.read_text()) if path.exists() else {}
    return SuiteRun(done.returncode, done.stdout + done.stderr, report, elapsed)


def suite_leftovers(url: str, session: str) -> tuple[list[str], list[str]]:
    """The threads and hold items of the suite's session ``session`` still on the server at ``url``."""
    assert session, "the report names no session"
    with httpx.Client(base_url=url, trust_env=False, timeout=30) as http:
        threads = http.post("/threads/search", json={"metadata": {"conformance_session": session}, "limit": 1000})
        items = http.post("/store/items/search", json={"namespace_prefix": ["conformance"], "limit": 1000})
    tokens = [item["namespace"][-1] for item in items.json()["items"]]
    return [t["thread_id"] for t in threads.json()], [t for t in tokens if t.startswith(session)]


@pytest.fixture
def suite(tmp_path: Path) -> Callable[..., SuiteRun]:
    """``suite(*args)`` runs the suite with a fresh report directory."""
    counter = iter(range(1000))
    return lambda *args: run_suite(tmp_path / f"run{next(counter)}", *args)


def start_proxy(upstream: str, mutant: str, workdir: Path) -> tuple[subprocess.Popen[bytes], str]:
    """A mutant proxy on a free port in front of ``upstream``; bounded wait until it answers."""
    port = free_port()
    command = [sys.executable, "-m", "tests.mutants.proxy", "--upstream", upstream, "--mutant", mutant,
               "--port", str(port)]  # fmt: skip
    process = start_group(command, cwd=REPO, log=workdir / f"proxy-{mutant}.log")
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"proxy {mutant} exited: {(workdir / f'proxy-{mutant}.log').read_text()[-500:]}")
        try:
            httpx.get(f"{url}/ok", timeout=1, trust_env=False)
            return process, url
        except httpx.HTTPError:
            time.sleep(0.05)
    stop_group(process)
    raise RuntimeError(f"proxy {mutant} did not answer within 30 s")


@pytest.fixture(scope="session")
def proxy_url(reference_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str], str]]:
    """``proxy_url(mutant)``: the URL of a mutant proxy in front of the reference (one per mutant, session-wide)."""
    workdir = tmp_path_factory.mktemp("proxies")
    started: dict[str, tuple[subprocess.Popen[bytes], str]] = {}

    def url(mutant: str) -> str:
        if mutant not in started:
            started[mutant] = start_proxy(reference_url, mutant, workdir)
        return started[mutant][1]

    yield url
    for process, _ in started.values():
        stop_group(process)
