"""A target that executes few runs at once: measured, scheduled within, and never judged by the suite's own waits.

Full default runs against such servers are slow (one run at a time is close to serial): ``tox -e
capacity`` runs them; these tests run the subsets that exercise each rule.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from conformance.scenarios import SCENARIOS
from conformance.target.embedded import EmbeddedServer
from conformance.target.processes import stop_group
from tests.conftest import SuiteRun, run_suite, start_proxy, suite_leftovers

# Scenarios that hold runs, run two threads at once, or check that a run waits: what capacity changes.
SUBSET = "stateless or thread-status or first-held-in-agent.create or rollback-seed or chain.enqueue"


@pytest.fixture(scope="module")
def one_at_a_time() -> Iterator[str]:
    """The reference as ``langgraph dev`` serves it without --n-jobs-per-worker here: one run at a time."""
    with EmbeddedServer(jobs_per_worker=1) as server:
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
    assert suite_leftovers(one_at_a_time, run.report["session"]) == ([], [])


def test_three_at_once_runs_everything_within_it(three_at_once: str, tmp_path: Path) -> None:
    run = run_suite(tmp_path, "--target-url", three_at_once, "-k", SUBSET, "--concurrency", "16")
    assert run.exit_code == 0, run.output[-3000:]
    capacity = run.report["target"]["capacity"]
    assert (capacity["runs"], capacity["at_least"]) == (3, False)
    assert _by_outcome(run, "skipped") == {} and _by_outcome(run, "failed") == {}
    assert _by_outcome(run, "not_reached") == {}


def test_the_race_lane_needs_two_runs_at_once(one_at_a_time: str, tmp_path: Path) -> None:
    run = run_suite(tmp_path, "--target-url", one_at_a_time, "--lane", "race", "--race-repeat", "1")
    assert run.exit_code == 2, run.output[-3000:]  # nothing could be judged: error, never nonconformant
    skipped = _by_outcome(run, "skipped")
    assert set(skipped) == set(run.outcomes()) and all("needs 2 runs executing at once" in d for d in skipped.values())
    assert f"verdict error (exit 2): {len(skipped)} skipped (" in run.output


def _through(mutant: str, upstream: str, tmp_path: Path, *args: str) -> SuiteRun:
    process, url = start_proxy(upstream, mutant, tmp_path)
    try:
        return run_suite(tmp_path / "report", "--target-url", url, "--wait-timeout", "10", *args)
    finally:
        stop_group(process)


def test_an_ignored_interrupt_is_proven_on_one_run_at_a_time(one_at_a_time: str, tmp_path: Path) -> None:
    """The second run waits behind the suite's own hold: the suite lets it go, and the first run's end is the evidence."""
    run = _through("interrupt-as-enqueue", one_at_a_time, tmp_path, "-k", "interrupt.first-held-in-agent.create")
    assert run.exit_code == 1, run.output[-3000:]
    failed = _by_outcome(run, "failed")
    assert set(failed) == {"interrupt.first-held-in-agent.create:DT-INTERRUPT-FIRST-INTERRUPTED",
                           "interrupt.first-held-in-agent.create:DT-INTERRUPT-KEEPS-PARTIAL"}, run.output[-3000:]  # fmt: skip
    assert all("expected status interrupted, got status success" in d for t, d in failed.items()
               if t.endswith("FIRST-INTERRUPTED"))  # fmt: skip
    events = [e["what"] for e in run.report["scenarios"][0]["events"]]
    assert any(e.startswith("hold let go by the suite: second had not moved") for e in events), events


def test_a_wait_alone_on_one_run_at_a_time_is_judged_by_a_control_run(one_at_a_time: str, tmp_path: Path) -> None:
    """Nothing else runs beside the scenario: a control run shows the target was working, so the hang is a failure."""
    run = _through("cancel-wait-hangs", one_at_a_time, tmp_path, "-k", "cancel.interrupt.wait")
    assert run.exit_code == 1, run.output[-3000:]
    assert _by_outcome(run, "not_reached") == {}
    failed = _by_outcome(run, "failed")
    assert {t.split(":")[1] for t in failed} == {"CANCEL-ACCEPTED", "CANCEL-INTERRUPT-KEEPS-RUN",
                                                 "CANCEL-INTERRUPT-KEEPS-PARTIAL", "CANCEL-WAIT-SETTLES"}  # fmt: skip
    assert all("a control run started when the wait ran out finished in" in d for d in failed.values()), failed
    assert suite_leftovers(one_at_a_time, run.report["session"]) == ([], [])
