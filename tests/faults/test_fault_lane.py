"""The fault lane on two replica proxies over one reference: the honest target keeps every invariant; its
mutant fails exactly the one it breaks, with the run it lost as the evidence."""

from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from conformance.requirements import Level, requirement
from conformance.scenarios import CASES
from tests.conftest import REPO, SuiteRun, run_suite
from tests.faults.replicas import start_replicas, stop_replicas
from tests.faults.targets import FAULT_TARGETS

FAULTS = {"replica-kill": ("kill", "restart"), "replica-pause": ("pause", "resume")}


def _faults_file(directory: Path, names: list[str]) -> Path:
    command = f"cd {REPO} && {sys.executable} -m tests.faults.replicas"
    path = directory / "faults.toml"
    path.write_text("".join(f'[faults.{name}]\ninject = "{command} {FAULTS[name][0]} 2 {directory}"\n'
                            f'heal = "{command} {FAULTS[name][1]} 2 {directory}"\nreplica = 2\n' for name in names))  # fmt: skip
    return path


@pytest.fixture(scope="module")
def runs(reference_url: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, SuiteRun]:
    """The fault lane through the honest replicas (two faults) and through each mutant (the kill), at once."""
    plans = {m: [FAULT_OF[m]] for m in FAULT_OF} | {"replica": list(FAULTS)}

    directories = {mutant: tmp_path_factory.mktemp(mutant) for mutant in plans}  # not from threads: it races

    def through(mutant: str) -> SuiteRun:
        directory = directories[mutant]
        try:
            urls = start_replicas(directory, reference_url, ["replica", mutant])
            return run_suite(directory / "report", *(a for url in urls for a in ("--target-url", url)),
                             "--dedicated-target", "--lane", "faults", "--faults",
                             str(_faults_file(directory, plans[mutant])))  # fmt: skip
        finally:
            if (directory / "replicas.json").exists():
                stop_replicas(directory)

    with ThreadPoolExecutor(len(plans)) as pool:
        return dict(zip(plans, pool.map(through, plans), strict=True))


def test_the_honest_replicas_keep_every_fault_invariant(runs: dict[str, SuiteRun]) -> None:
    run = runs["replica"]
    assert run.exit_code == 0, run.output[-3000:]
    outcomes = run.outcomes()
    judged = {t: o for t, o in outcomes.items() if not t.startswith("faults.server-kill:")}
    assert set(judged.values()) == {"passed"}, run.details()
    assert {o for t, o in outcomes.items() if t.startswith("faults.server-kill:")} == {"skipped"}
    assert len(outcomes) == sum(case.lane == "faults" for case in CASES)
    kill = next(s for s in run.report["scenarios"] if s["id"] == "faults.replica-kill")
    shown = [e["what"] for e in kill["events"]]
    assert any(w.startswith("fault replica-kill injected") for w in shown), shown  # the nemesis on the timeline
    assert any(w.startswith("fault replica-kill healed") for w in shown), shown
    assert any(w.startswith("creation answered nothing (indeterminate)") for w in shown), shown  # not a failure
    finals = {e["run"]: e["what"] for e in kill["events"] if e["what"].startswith("final: ")}  # every run's fate
    assert finals.pop("enqueue/during", "final: success") == "final: success", finals  # if the server accepted it
    assert finals == {"nemesis": "final: healed", "enqueue/first": "final: success", "enqueue/second": "final: success",
                      "rollback/first": "final: deleted (404)", "rollback/second": "final: success",
                      "interrupt/first": "final: interrupted", "interrupt/second": "final: success"}, finals  # fmt: skip


@pytest.mark.parametrize("mutant", [m for m in FAULT_TARGETS if m != "replica"])
def test_each_mutant_replica_fails_exactly_what_it_breaks(runs: dict[str, SuiteRun], mutant: str) -> None:
    run, fault = runs[mutant], FAULT_OF[mutant]
    breaks = FAULT_TARGETS[mutant].breaks
    failed = {t: d for t, d in run.details().items() if run.outcomes()[t] == "failed"}
    assert sorted(failed) == [f"faults.{fault}:{r}" for r in breaks], run.output[-3000:]
    assert EVIDENCE[mutant] in failed[f"faults.{fault}:{breaks[0]}"], failed
    gated = any(requirement(r).level is Level.MUST for r in breaks)
    assert run.exit_code == (1 if gated else 0), run.output[-3000:]  # a SHOULD: reported below the gate


FAULT_OF = {"replica-forgets": "replica-kill", "replica-runs-aside": "replica-pause",
            "replica-rollback-leaks": "replica-pause", "replica-thread-busy": "replica-pause"}
"""The fault each mutant replica meets: a kill loses what the replica kept in memory; a pause keeps it."""
EVIDENCE = {
    "replica-forgets": "enqueue thread: second (created 200) answers 404 after the heal, and no rollback replaced it: lost",
    "replica-runs-aside": "enqueue thread: first and second executed at once",
    "replica-rollback-leaks": "rollback thread: first was rolled back (404), but its input is in the state",
    "replica-thread-busy": "enqueue thread is still busy 30 s after the heal, its runs ended",
}
