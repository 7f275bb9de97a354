"""A target that executes few runs at once: measured, scheduled within, and never judged by the suite's own waits.

Full default runs against such servers are slow (one run at a time is close to serial): ``tox -e
capacity`` runs them; these tests run the subsets that exercise each rule.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conformance.core.settings import Settings
from conformance.requirements import REQUIREMENTS, Level
from conformance.scenarios import SCENARIOS
from conformance.target.capacity import PROBE_RUNS
from conformance.target.embedded import EmbeddedServer
from conformance.target.http import Http, open_client
from conformance.target.probe import Target, TargetInfo, probe
from conformance.target.processes import stop_group
from tests.conftest import SuiteRun, run_suite, start_proxy, suite_leftovers

# Scenarios that hold runs, run two threads at once, or check that a run waits: what capacity changes.
SUBSET = "stateless or thread-status or first-held-in-agent.create or rollback-seed or chain.enqueue"


@pytest.fixture(scope="module")
def one_at_a_time() -> Iterator[str]:
    """The reference as ``langgraph dev`` serves it without --n-jobs-per-worker here: one run at a time."""
    with EmbeddedServer(jobs_per_worker=None) as server:
        yield server.url


@pytest.fixture(scope="module")
def three_at_once() -> Iterator[str]:
    with EmbeddedServer(jobs_per_worker=3) as server:
        yield server.url


def _by_outcome(run: SuiteRun, outcome: str) -> dict[str, str]:
    return {r["test_id"]: r["detail"] for r in run.report["results"] if r["outcome"] == outcome}


def test_one_run_at_a_time_is_measured_and_what_needs_two_is_skipped(one_at_a_time: str, tmp_path: Path) -> None:
    run = run_suite(tmp_path, "--target-url", one_at_a_time, "-k", SUBSET)
    assert run.exit_code == 0, run.output[-3000:]
    capacity = run.report["target"]["capacity"]
    assert (capacity["runs"], capacity["measured"], capacity["at_least"]) == (1, True, False)
    assert capacity["pickup_s"] is not None and capacity["pickup_s"] >= 0
    skipped = _by_outcome(run, "skipped")
    needs_two = {t for t in run.outcomes() if SCENARIOS[t.split(":")[0]].executing > 1}
    assert set(skipped) == needs_two and any(t.startswith("stateless.") for t in needs_two)
    assert all("executes 1 at once" in d and "--n-jobs-per-worker" in d for d in skipped.values()), skipped
    assert _by_outcome(run, "failed") == {} and _by_outcome(run, "not_reached") == {}
    # conformant for what it judged, and the verdict says what it could not judge, why and what to change
    never = {t.split(":")[1] for t in needs_two} - {t.split(":")[1] for t in run.outcomes() if t not in needs_two}
    musts = {req for req in never if REQUIREMENTS[req].level is Level.MUST}
    assert {"STATELESS-NEVER-DOUBLE-TEXTS", "DT-ENQUEUE-CHAIN-ORDER"} <= musts
    assert {u["id"] for u in run.report["summary"]["gated_unjudged"]} == musts
    verdict = run.output.rstrip().splitlines()[-1]
    selected = run.report["summary"]["gated_selected"]
    assert f"verdict conformant (exit 0): {selected - len(musts)} of {selected} MUST requirements judged" in verdict
    assert all(req in verdict for req in musts) and "--n-jobs-per-worker" in verdict, verdict
    # the HTML's first section under the badge names each, with the remedy, before anything else
    html = (tmp_path / "report.html").read_text()
    first = html.split('<h2 id="not-judged">', 1)[1].split("<h2", 1)[0]
    assert html.index('<h2 id="not-judged">') < html.index("<h2>Requirements</h2>")
    assert all(f"<b>{req}</b>" in first for req in musts) and first.count("--n-jobs-per-worker") == len(musts)
    assert suite_leftovers(one_at_a_time, run.report["session"]) == ([], [])


def test_three_at_once_runs_everything_within_it(three_at_once: str, tmp_path: Path) -> None:
    run = run_suite(tmp_path, "--target-url", three_at_once, "-k", SUBSET, "--concurrency", "16")
    assert run.exit_code == 0, run.output[-3000:]
    capacity = run.report["target"]["capacity"]
    assert (capacity["runs"], capacity["at_least"]) == (3, False)
    assert _by_outcome(run, "skipped") == {} and _by_outcome(run, "failed") == {}
    assert _by_outcome(run, "not_reached") == {}


def test_the_race_lane_needs_two_runs_at_once_but_for_the_reject_storms(one_at_a_time: str, tmp_path: Path) -> None:
    """A correct server executes one run of a reject storm: its storms run at one run at a time; the others cannot
    show two runs executing at once there, and are skipped (one schedule: what a storm needs is the same in each)."""
    run = run_suite(tmp_path, "--target-url", one_at_a_time, "--lane", "race", "--race-repeat", "1",
                    "-k", "simultaneous")  # fmt: skip
    assert run.exit_code == 0, run.output[-3000:]
    skipped, passed = _by_outcome(run, "skipped"), _by_outcome(run, "passed")
    assert set(passed) == {t for t in run.outcomes() if t.startswith("race.reject-")} and len(passed) == 2
    assert len(skipped) == 4
    assert set(skipped) | set(passed) == set(run.outcomes())
    assert all("needs 2 runs executing at once, and the target executes 1 at once" in d for d in skipped.values())
    verdict = run.output.rstrip().splitlines()[-1]
    assert verdict.startswith("langgraph-conformance: verdict conformant (exit 0): 2 of 6 MUST requirements judged (not "
                              "judged: ") and verdict.endswith(f"; {len(skipped)} skipped (4 x it needs 2 runs executing at "
                                                               "once, and the target executes 1 at once: a capability of the "
                                                               "deployment; give it ...)"), verdict  # fmt: skip


def _through(mutant: str, upstream: str, tmp_path: Path, *args: str) -> SuiteRun:
    process, url = start_proxy(upstream, mutant, tmp_path)
    try:
        return run_suite(tmp_path / "report", "--target-url", url, "--wait-timeout", "10", *args)
    finally:
        stop_group(process)


def test_an_ignored_interrupt_is_proven_on_one_run_at_a_time(one_at_a_time: str, tmp_path: Path) -> None:
    """The second run waits behind the suite's own hold: the suite, watching the first run stop, lets it go, and the
    first run's end is the evidence."""
    run = _through("interrupt-as-enqueue", one_at_a_time, tmp_path, "-k", "interrupt.first-held-in-agent.create")
    assert run.exit_code == 1, run.output[-3000:]
    failed = _by_outcome(run, "failed")
    assert set(failed) == {"interrupt.first-held-in-agent.create:DT-INTERRUPT-FIRST-INTERRUPTED",
                           "interrupt.first-held-in-agent.create:DT-INTERRUPT-KEEPS-PARTIAL"}, run.output[-3000:]  # fmt: skip
    assert all("expected status interrupted, got status success" in d for t, d in failed.items()
               if t.endswith("FIRST-INTERRUPTED"))  # fmt: skip
    events = [e["what"] for e in run.report["scenarios"][0]["events"]]
    assert "no end of its hold at agent was on record 10 s after it was stopped: the suite lets the hold go" in events


def test_a_wait_alone_on_one_run_at_a_time_is_judged_by_a_control_run(one_at_a_time: str, tmp_path: Path) -> None:
    """Nothing else runs beside the scenario: a control run shows the target was working, so the hang is a failure."""
    run = _through("cancel-wait-hangs", one_at_a_time, tmp_path, "-k", "cancel.interrupt.wait")
    assert run.exit_code == 1, run.output[-3000:]
    assert _by_outcome(run, "not_reached") == {}
    failed = _by_outcome(run, "failed")
    assert {t.split(":")[1] for t in failed} == {"CANCEL-ACCEPTED", "CANCEL-INTERRUPT-KEEPS-RUN", "CANCEL-STOPS-RUN",
                                                 "CANCEL-INTERRUPT-KEEPS-PARTIAL", "CANCEL-WAIT-SETTLES"}  # fmt: skip
    assert all("a control run started when the wait ran out finished in" in d for d in failed.values()), failed
    assert suite_leftovers(one_at_a_time, run.report["session"]) == ([], [])


# --- without a store the graph and the suite share: timed holds, runs seen executing by their statuses and states ---


async def _probe(url: str) -> tuple[TargetInfo, str]:
    """The probe against ``url`` with the default settings, and its session."""
    settings = Settings()
    async with open_client(url, {}, settings.wait_timeout) as client:
        return await probe(Http(client, []), Target(url), settings), settings.session


@pytest.mark.parametrize("store_less", ["store-hidden", "store-hidden-never-running"])
async def test_without_a_store_the_runs_executing_at_once_are_measured(
    store_less: str, proxy_url: Callable[[str], str], reference_url: str
) -> None:  # fmt: skip
    """The reference executes 64 at once: all the probe's runs are seen executing at the same time, also where a
    run never shows ``running`` (its input in the thread's state then shows it executing)."""
    info, session = await _probe(proxy_url(store_less))
    assert (info.store, info.holds) == (False, "state")
    assert info.capacity is not None, info
    capacity = info.capacity
    assert (capacity.runs, capacity.at_least, capacity.measured) == (PROBE_RUNS, True, True), capacity.note
    assert capacity.note.startswith(f"at least {PROBE_RUNS} at once (probed without a store: ")
    assert capacity.pickup_s is not None and capacity.pickup_s > 0
    assert suite_leftovers(reference_url, session) == ([], [])


def test_without_a_store_one_run_at_a_time_is_measured_and_a_reject_storm_runs(one_at_a_time: str,
                                                                              tmp_path: Path) -> None:  # fmt: skip
    """``langgraph dev``'s default behind a proxy that hides its store: capacity 1, measured; a storm that needs two
    runs at once is skipped naming it, a reject storm runs."""
    process, url = start_proxy(one_at_a_time, "store-hidden", tmp_path)
    try:
        run = run_suite(tmp_path / "report", "--target-url", url, "--lane", "race", "--race-repeat", "1",
                        "-k", "race.reject-busy.simultaneous or race.enqueue.simultaneous")  # fmt: skip
    finally:
        stop_group(process)
    assert run.exit_code == 0, run.output[-3000:]
    capacity = run.report["target"]["capacity"]
    assert (capacity["runs"], capacity["at_least"], capacity["measured"]) == (1, False, True), capacity
    assert capacity["note"].startswith("1 at once (probed without a store: ")
    assert run.outcomes() == {"race.reject-busy.simultaneous:RACE-REJECT-BUSY-ALL-REFUSED": "passed",
                              "race.enqueue.simultaneous:RACE-ENQUEUE-SERIAL": "skipped"}, run.output[-3000:]  # fmt: skip
    skipped = _by_outcome(run, "skipped")["race.enqueue.simultaneous:RACE-ENQUEUE-SERIAL"]
    assert "needs 2 runs executing at once, and the target executes 1 at once (probed without a store" in skipped
    assert suite_leftovers(one_at_a_time, run.report["session"]) == ([], [])


def test_without_a_store_an_enqueue_storm_executed_one_after_another_may_outlast_the_wait_timeout(
        three_at_once: str, tmp_path: Path) -> None:  # fmt: skip
    """Runs with the fixture's timed holds (3 s), enqueued on one thread, take 3 s each, one after another: a correct
    server needs longer than --wait-timeout to settle the storm, and is not failed for it."""
    process, url = start_proxy(three_at_once, "store-hidden", tmp_path)
    try:
        run = run_suite(tmp_path / "report", "--target-url", url, "--lane", "race", "--race-repeat", "1",
                        "--wait-timeout", "10", "-k", "race.enqueue.simultaneous")  # fmt: skip
    finally:
        stop_group(process)
    assert run.outcomes() == {"race.enqueue.simultaneous:RACE-ENQUEUE-SERIAL": "passed"}, run.output[-3000:]
    assert run.report["scenarios"][0]["duration_s"] > 10


def test_without_a_store_two_runs_of_a_thread_at_once_fail_one_at_a_time(proxy_url: Callable[[str], str]) -> None:
    """A store-less server whose runs list shows a queued run running beside the first: measured, the enqueue
    scenarios run, and one reply is the evidence; nothing else changes."""
    run = run_suite(Path(tempfile.mkdtemp()), "--target-url", proxy_url("store-hidden-overlap"), "--lane", "contract",
                    "-k", "enqueue.first-held-in-agent.create or thread-status.two-runs-in-flight")  # fmt: skip
    assert run.exit_code == 1, run.output[-3000:]
    assert run.report["target"]["capacity"]["measured"] is True
    failed = _by_outcome(run, "failed")
    assert set(failed) == {"enqueue.first-held-in-agent.create:THREAD-ONE-RUN-AT-A-TIME",
                           "thread-status.two-runs-in-flight:THREAD-ONE-RUN-AT-A-TIME"}, run.output[-3000:]  # fmt: skip
    assert all("2 running in one reply: first, second" in d for d in failed.values()), failed
    assert _by_outcome(run, "skipped") == {} and _by_outcome(run, "not_reached") == {}
