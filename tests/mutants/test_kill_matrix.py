"""Every breaking mutant fails exactly the requirements it breaks; every equivalent one passes."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from fnmatch import fnmatch

import pytest

from conformance.lanes.sdk.js import js_sdk_missing
from conformance.requirements import REQUIREMENTS, Level, requirement
from conformance.scenarios import CASES
from conformance.scenarios._race_model import SCHEDULES
from conformance.target.processes import stop_group
from tests.conftest import KILL_MATRIX, SuiteRun, run_suite, start_proxy
from tests.faults.targets import FAULT_TARGETS
from tests.faults.test_checks import PROVEN_ON_HISTORIES
from tests.lanes.contract.test_stopping import PROVEN_BY_DOUBLES
from tests.mutants.catalog import MUTANTS, Mutant
from tests.reference import FINDINGS, NOT_REACHED, NOW_AND_THEN

PARALLEL_RUNS = 3
# The first test's setup runs the whole matrix, 48 suite runs (8 to 9 min on two cores, beside the other
# worker): too close to the 600 s that guards every other test. Each suite run has its own bound besides.
pytestmark = pytest.mark.timeout(3000)
SERVER_WIDE_TEST = "cancel.many-by-status:CANCEL-MANY-BY-STATUS"
# The reference itself, now and then, leaves the input of a rolled-back run in the state after a rollback
# storm (docs/lanes/race.md): its own run and a mutant's may each show it or not.
REFERENCE_RACE = "RACE-ROLLBACK-ONE-SURVIVOR"
REFERENCE_RACE_TESTS = {f"race.rollback.{schedule}:{REFERENCE_RACE}" for schedule in SCHEDULES}
"""Every rollback storm: ``unheld`` shows the reference's race every time (docs/lanes/race.md), the others rarely."""
MATRIX_SCHEDULE = "simultaneous"  # every mutant's race break shows in it; the others would triple the matrix's time
REFERENCE_RACE_SIGN = ", but its input is in the state"
REFERENCE_FAILED = pytest.StashKey[dict[str, list[str]]]()


@pytest.fixture(scope="module")
def kill_matrix(
    reference_url: str, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[dict[str, SuiteRun]]:
    """The suite run once through each mutant proxy, a few at a time."""
    workdir = tmp_path_factory.mktemp("mutants")

    def through(mutant: Mutant) -> SuiteRun:
        process, url = start_proxy(reference_url, mutant.name, workdir)
        try:
            dedicated = ("--dedicated-target",) if mutant.dedicated else ()
            select = ("-k", mutant.select) if mutant.select else ()
            return run_suite(workdir / mutant.name, "--target-url", url, *dedicated, *_lanes(mutant.lanes), *select)
        finally:
            stop_group(process)

    # the reference's own findings, in every lane a mutant runs (tests/reference.py): a mutant keeps them
    chosen = selected(request.config)
    lanes = sorted({lane for m in chosen.values() for lane in m.lanes})
    reference = run_suite(workdir / "reference", "--target-url", reference_url, *_lanes(lanes))
    assert reference.report, reference.output[-2000:]
    request.config.stash[REFERENCE_FAILED] = {t: c for t, c in reference.failed_checks().items()
                                              if t not in NOW_AND_THEN and (t not in REFERENCE_RACE_TESTS
                                                                            or not only_the_reference_race(reference))}  # fmt: skip

    shared = sorted((m for m in chosen.values() if not m.dedicated), key=lambda m: not m.slow)  # long runs first
    with ThreadPoolExecutor(PARALLEL_RUNS) as pool:
        done = dict(zip((m.name for m in shared), pool.map(through, shared), strict=True))
    done |= {m.name: through(m) for m in chosen.values() if m.dedicated}  # alone: they cancel server-wide
    runs = {name: done[name] for name in chosen}
    lines = [f"kill matrix ({len(runs)} mutants: kind, exit code, suite wall time, failed requirements)",
             f"  the reference itself, lanes {', '.join(lanes)}: fails {', '.join(sorted(reference.failed())) or '-'}"]
    for name, run in runs.items():
        failed = ", ".join(sorted(run.failed())) or "-"
        lines.append(f"  {name:<32} {MUTANTS[name].kind:<10} exit {run.exit_code}  {run.elapsed:5.1f}s  {failed}")
    request.config.stash[KILL_MATRIX] = lines  # printed in the terminal summary (tests/conftest.py)
    yield runs


def _lanes(lanes: Iterable[str]) -> list[str]:
    """``--lane`` for each; the race lane with one schedule, two repetitions (every mutant's race breaks show in
    each)."""
    lanes = list(lanes)
    race = ["--race-repeat", "2", "--race-schedule", MATRIX_SCHEDULE] if "race" in lanes else []
    return [arg for lane in lanes for arg in ("--lane", lane)] + race


SUBSET = (
    # the rollback how-to's contract, each way it can be broken in the state, the history and the runs list
    "rollback-keeps-input", "rollback-history-kept", "rollback-run-still-listed",
    # the other strategies (interrupt-marks-error through the SDK and race lanes too)
    "reject-as-500", "enqueue-lifo", "default-is-reject", "interrupt-marks-error",
    # premises, observers and the failing endpoint
    "after-seconds-ignored", "pending-shown-running", "stream-creation-500", "list-shows-two-running",
    "runs-found-through-any-thread", "thread-idle-while-second-runs",
    # joins, cancels, the lifecycle, the schema and race lanes
    "join-deleted-as-success", "cancel-rollback-as-interrupt", "state-drops-tool-message", "validation-as-500",
    "reject-stale-read",
    # what blinds the suite, and what changes nothing
    "after-seconds-refused", "history-empty", "thread-wait-500", "extra-fields", "other-error-format",
    "late-stream-headers",
    # the thread-centric protocol: a strategy lost on the way, a refusal turned into a success
    "run-start-drops-strategy", "run-start-refusal-as-success", "event-seq-renumbered", "lifecycle-end-after-next",
)  # fmt: skip
"""The mutants of the project's default test run: every kind, lane and area once (``--kill-matrix all``: every one)."""


def selected(config: pytest.Config) -> dict[str, Mutant]:
    """The mutants ``--kill-matrix`` selects."""
    return dict(MUTANTS) if config.getoption("kill_matrix") == "all" else {name: MUTANTS[name] for name in SUBSET}


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "mutant" in metafunc.fixturenames:
        chosen = selected(metafunc.config)
        metafunc.parametrize("mutant", list(chosen.values()), ids=list(chosen))


def test_mutant_gets_its_verdict(mutant: Mutant, kill_matrix: dict[str, SuiteRun], request: pytest.FixtureRequest) -> None:
    """What the mutant changes against the reference's own result is exactly what it breaks, and what it blinds.

    The reference fails a few SHOULDs of the schema lane itself (docs/lanes/schema.md: its findings); a mutant
    must keep failing those, and break its ``breaks`` besides: in tests the reference passes, or
    in tests it fails with fewer violations (each such check counts them: "k of n requests").
    A test it blinds (a capability or a read it refuses) ends not reached, naming the cause: never
    passed, never failed.
    """
    run = kill_matrix[mutant.name]
    assert run.report, run.output[-2000:]
    outcomes, details = run.outcomes(), run.details()
    blinded = {t for t in outcomes if any(fnmatch(t, pattern) for pattern in mutant.blinds)}
    assert bool(blinded) == bool(mutant.blinds), mutant.blinds
    js_missing = js_sdk_missing()
    wrong = {t: (outcomes[t], details[t][:300]) for t in blinded  # the reference's own unreached keep their cause
             if (outcomes[t] != "not_reached" or (mutant.blind_cause not in details[t] and t not in NOT_REACHED))
             and not (t.startswith("sdk.js.") and js_missing and details[t] == js_missing)}  # fmt: skip
    assert not wrong, f"blinded tests that are not 'not reached' with the cause {mutant.blind_cause!r}: {wrong}"
    unreached = {t: details[t][:300] for t, o in outcomes.items()
                 if o == "not_reached" and t not in blinded and t not in NOT_REACHED}  # the reference's own: kept
    assert not unreached, f"not reached beyond what the mutant blinds: {unreached}\n{run.output[-2000:]}"
    reference = {t: c for t, c in request.config.stash[REFERENCE_FAILED].items()
                 if _lane_of(t) in mutant.lanes and t not in blinded and t in outcomes}  # fmt: skip
    failed = {t: c for t, c in run.failed_checks().items() if t not in NOW_AND_THEN}  # the reference's, now and then
    assert set(reference) <= set(failed), run.output[-4000:]
    newly = {t.split(":")[1] for t, checks in failed.items() if reference.get(t) != checks}
    assert set(mutant.breaks) <= newly, run.output[-4000:]
    extra = newly - set(mutant.breaks)
    excused = extra == {REFERENCE_RACE} and only_the_reference_race(run)  # now and then: not the mutant's doing
    if excused:
        extra = set()
    differs = {t: (reference.get(t, "passed"), checks) for t, checks in failed.items()
               if t.split(":")[1] in extra and reference.get(t) != checks}  # fmt: skip
    assert not extra, f"newly failed (test: reference's checks, mutant's): {differs}\n{run.output[-4000:]}"
    breaks_must = any(requirement(r).level is Level.MUST for r in mutant.breaks)
    # the reference's own MUST findings the mutant keeps make its session nonconformant whatever else
    keeps_must = any(requirement(t.split(":")[1]).level is Level.MUST for t in reference)
    expected_exit = 1 if breaks_must or keeps_must else mutant.exit_code if mutant.exit_code is not None else 0
    if excused:  # the reference's own race is a MUST proven failed: the session is nonconformant whatever else
        expected_exit = 1
    assert run.exit_code == expected_exit, run.output[-2000:]
    skipped = {r["test_id"]: r["detail"] for r in run.report["results"] if r["outcome"] == "skipped"}
    if "sdk" in mutant.lanes and js_missing:  # without Node or the JS SDK its scenarios say so
        skipped = {t: d for t, d in skipped.items() if not (t.startswith("sdk.js.") and d == js_missing)}
    if mutant.dedicated or "contract" not in mutant.lanes:  # nothing skipped: the server-wide scenario ran too
        assert skipped == {}
    else:  # a shared server: the server-wide scenario is skipped, and says why
        wide = [SERVER_WIDE_TEST] if SERVER_WIDE_TEST in outcomes else []  # a mutant's -k may leave it out
        assert list(skipped) == wide and all("--dedicated-target" in skipped[t] for t in wide)


def failed_but_the_reference_race(run: SuiteRun) -> set[str]:
    """The run's failed tests, less the rollback storms where they show the reference's known race and nothing
    else."""
    return run.failed_tests() - (REFERENCE_RACE_TESTS if only_the_reference_race(run) else set())


def only_the_reference_race(run: SuiteRun) -> bool:
    """Whether every violating repetition of the run's rollback storms shows the reference's known race and
    nothing else: a rolled-back run's input left before the survivor's conversation."""
    storms = [s for s in run.report.get("scenarios", []) if f"{s['id']}:{REFERENCE_RACE}" in REFERENCE_RACE_TESTS]
    violating = [h["violations"] for s in storms for h in s.get("repetitions", []) if h["violations"]]
    return bool(violating) and all(
        any(REFERENCE_RACE_SIGN in v for v in found)
        and all(REFERENCE_RACE_SIGN in v or v.startswith("the state holds ") for v in found)
        for found in violating
    )


def _lane_of(test_id: str) -> str:
    """The lane of a test, by its id."""
    return next(case.lane for case in CASES if case.id == test_id)


def test_catalog_covers_enough_behaviours() -> None:
    breaking = [m for m in MUTANTS.values() if m.breaks]
    assert len(breaking) >= 15 and sum(m.kind == "equivalent" for m in MUTANTS.values()) >= 5
    assert sum(bool(m.blinds) for m in MUTANTS.values()) >= 5
    for mutant in breaking:
        assert all(requirement(r) for r in mutant.breaks)  # KeyError names an unknown ID
        assert len(set(mutant.breaks)) == len(mutant.breaks), mutant.name


def test_every_requirement_is_broken_by_some_mutant() -> None:
    """Each requirement's check is proven able to fail: some breaking mutant must fail it."""
    broken = set().union(*(m.breaks for m in (MUTANTS | FAULT_TARGETS).values()))  # the fault lane's: tests/faults
    broken |= PROVEN_ON_HISTORIES  # fault invariants proven on hand-made histories only, as yet (tests/faults)
    broken |= PROVEN_BY_DOUBLES  # a graph that does not stop (tests/lanes/contract/test_stopping.py)
    broken |= {test.split(":")[1] for test in FINDINGS}  # the reference itself fails these (tests/reference.py)
    assert sorted(set(REQUIREMENTS) - broken) == []
