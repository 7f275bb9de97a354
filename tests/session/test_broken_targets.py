"""Broken targets reach a written harness error (exit 2) quickly, and keep nothing of the suite on them."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from conformance.target.embedded import EmbeddedServer, free_port
from conformance.target.processes import start_group, stop_group
from tests.conftest import run_suite, suite_leftovers
from tests.mutants.resetting import ResettingForwarder

WAIT = "5"  # --wait-timeout of the fault runs: a hung request times out after WAIT + 5 s
PROMPT = 90  # seconds: a broken target ends the session well before a hang (the default --max-time is 600 s),
# whatever the machine's load: three stalled waits and the probe take about 40 s on a busy machine


@pytest.fixture(scope="module")
def workerless_url() -> Iterator[str]:
    """The reference server with no worker: runs are accepted and stay pending for ever."""
    with EmbeddedServer(jobs_per_worker=0) as server:
        yield server.url


def test_runs_that_stay_pending_stop_the_suite_in_a_minute(workerless_url: str, tmp_path: Path) -> None:
    run = run_suite(tmp_path, "--target-url", workerless_url)  # the default --wait-timeout, as a user runs it
    assert run.exit_code == 2, run.output[-2000:]
    assert run.elapsed < 60
    assert "runs stay pending" in run.output and "is a worker" in run.output
    assert "Traceback" not in run.output
    assert run.report["harness_error"].startswith("runs stay pending")
    probe = run.report["target"]["probe_exchanges"]
    assert any(" GET /threads/" in line and "/runs/" in line for line in probe)  # the last poll
    assert any("/cancel?action=interrupt -> 2" in line for line in probe)  # the pending run is cancelled
    assert suite_leftovers(workerless_url, run.report["session"]) == ([], [])


@pytest.mark.parametrize(
    ("fault", "says"),
    [
        ("state-500", "fails on GET /threads/<thread>/state (HTTP 500)"),
        ("graph-fails", "a plain run of the fixture graph ended in error"),
        ("hang-after-probe", "the target made no progress"),
        ("runs-stop-after-probe", "the target made no progress"),
        ("503-after-probe", "requests in a row with HTTP 5xx or not at all"),
    ],
)
def test_broken_target_gets_a_harness_error(
    fault: str, says: str, proxy_url: Callable[[str], str], reference_url: str, tmp_path: Path
) -> None:
    run = run_suite(tmp_path, "--target-url", proxy_url(fault), "--wait-timeout", WAIT)
    assert run.exit_code == 2, run.output[-2000:]
    assert says in run.report["harness_error"] and says in run.output
    assert run.elapsed < PROMPT
    assert run.report["summary"]["failed"] == 0  # no verdict from a broken target
    assert "Traceback" not in run.output
    assert suite_leftovers(reference_url, run.report["session"]) == ([], [])


def test_connection_resets_mid_session(reference_url: str, tmp_path: Path) -> None:
    with ResettingForwarder(reference_url) as url:
        run = run_suite(tmp_path, "--target-url", url, "--wait-timeout", WAIT)
    assert run.exit_code == 2, run.output[-2000:]
    assert "in a row with HTTP 5xx or not at all" in run.report["harness_error"]
    assert "the target stopped answering" in run.output
    assert run.report["summary"]["failed"] == 0 and run.elapsed < PROMPT
    assert suite_leftovers(reference_url, run.report["session"]) == ([], [])


def test_max_time_bounds_the_session_and_quiet_hides_progress(reference_url: str, tmp_path: Path) -> None:
    # the probe takes 4-8 s (more on a busy machine); one scenario at a time, the 15 controls and the 18 watched
    # double-texts run before the seed (conformance.session.campaign._order), at least a second each: the bound
    # falls among them whatever the load, and the seed (the session's first test, the one whose set-up runs the
    # campaign) is never run; none of them is a finding of the reference (tests/reference.py)
    run = run_suite(tmp_path, "--target-url", reference_url, "--max-time", "25", "-q", "--concurrency", "1",
                    "-k", "rollback-seed or first-finished or first-held or first-pending-behind")  # fmt: skip
    assert run.exit_code == 2, run.output[-2000:]
    assert "--max-time 25 s" in run.report["harness_error"]
    assert run.report["summary"]["not_reached"] > 0 and run.elapsed < 25 + PROMPT
    assert "scenarios done" not in run.output
    # the scenarios that never started are one line, not one ERROR each; they are all in the report
    not_run = [r for r in run.report["results"] if "no verdict: not run:" in r["detail"]]
    shown = [line for line in run.output.splitlines() if any(r["test_id"] in line for r in not_run)]
    assert not_run and not shown, shown[:5]
    assert "rollback-seed" in {r["scenario"] for r in not_run}
    assert f"langgraph-conformance: {len(not_run)} tests not run: the session reached --max-time 25 s" in run.output
    assert f"{len(not_run)} not run" in run.output.strip().splitlines()[-2]  # pytest's own count, in the same words
    last = run.output.strip().splitlines()[-1]
    assert last.startswith("langgraph-conformance: verdict error (exit 2): the session reached --max-time 25 s "
                           "before every scenario finished: raise --max-time (") and f"{len(not_run)} not run" in last
    assert suite_leftovers(reference_url, run.report["session"]) == ([], [])


def test_clean_deletes_only_what_the_suite_left(reference_url: str, tmp_path: Path) -> None:
    with httpx.Client(base_url=reference_url, trust_env=False) as http:
        def thread(metadata: dict[str, str]) -> str:
            return http.post("/threads", json={"metadata": metadata}).json()["thread_id"]

        def item(namespace: list[str]) -> None:
            http.put("/store/items", json={"namespace": namespace, "key": "arrived", "value": {}})

        suite = {"conformance_suite": "langgraph-conformance"}
        first = thread({**suite, "conformance_session": "aaaaaaaaaaaa", "conformance_scenario": "x"})
        second = thread({**suite, "conformance_session": "bbbbbbbbbbbb", "conformance_scenario": "y"})
        theirs = [thread({"owner": "someone else"}), thread({"conformance_session": "aaaaaaaaaaaa"})]
        item(["conformance", "aaaaaaaaaaaa-0123456789ab"])
        item(["conformance", "bbbbbbbbbbbb-0123456789ab"])
        item(["conformance", "not-the-suites"])
        item(["elsewhere", "aaaaaaaaaaaa-0123456789ab"])

        one = run_clean(reference_url, "--session", "aaaaaaaaaaaa")
        assert f"deleted thread {first} (x)" in one and second not in one
        assert "deleted store item conformance.aaaaaaaaaaaa-0123456789ab/arrived" in one
        assert "bbbbbbbbbbbb" not in one
        rest = run_clean(reference_url)
        assert f"deleted thread {second} (y)" in rest and "conformance.bbbbbbbbbbbb-0123456789ab" in rest
        for survivor in theirs:
            assert http.get(f"/threads/{survivor}").status_code == 200
            http.delete(f"/threads/{survivor}")
        kept = http.post("/store/items/search", json={"namespace_prefix": []}).json()["items"]
        assert {tuple(i["namespace"]) for i in kept} >= {("conformance", "not-the-suites"),
                                                          ("elsewhere", "aaaaaaaaaaaa-0123456789ab")}  # fmt: skip
        for i in kept:
            http.request("DELETE", "/store/items", json={"namespace": i["namespace"], "key": i["key"]})


def run_clean(url: str, *args: str) -> str:
    """``langgraph-conformance clean``'s output; it must succeed."""
    done = subprocess.run([sys.executable, "-m", "conformance", "clean", "--target-url", url, *args],
                          capture_output=True, text=True, timeout=60, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_server_that_is_not_an_agent_server_is_named_as_such(tmp_path: Path) -> None:
    """A plain static HTTP server: /info and /assistants/search both miss, so it is no Agent Server at all."""
    port = free_port()
    process = start_group([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "-d", str(tmp_path)],
                          cwd=tmp_path, log=tmp_path / "http.log")  # fmt: skip
    try:
        _await_answer(f"http://127.0.0.1:{port}/")
        run = run_suite(tmp_path / "r", "--target-url", f"http://127.0.0.1:{port}")
    finally:
        stop_group(process)
    assert run.exit_code == 2, run.output[-2000:]
    assert f"http://127.0.0.1:{port} does not serve the Agent Server API: GET /info answered HTTP 404" in run.output
    assert "is --target-url the server's base URL?" in run.report["harness_error"]


def _await_answer(url: str) -> None:
    """Bounded: until ``url`` answers at all."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(url, timeout=1, trust_env=False)
            return
        except httpx.HTTPError:
            time.sleep(0.05)
    raise AssertionError(f"{url} never answered")
