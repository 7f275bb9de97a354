"""The progress line: redrawn on a terminal, plain lines in a log, naming the slowest wait."""

from __future__ import annotations

from conformance.core.monitor import Monitor, Snapshot, Wait
from conformance.core.results import NOT_RUN, CheckResult, ScenarioResult
from conformance.session.progress import PLAIN_EVERY, SLOW_WAIT, ProgressLine, describe


def _at(elapsed: float, done: int = 3, slowest_s: float = 0.0) -> Snapshot:
    wait = Wait("rollback-seed", "second to reach its hold", progress=True, started=0.0) if slowest_s else None
    return Snapshot(total=10, done=done, failing=1, errors=0, elapsed=elapsed, slowest=wait, slowest_s=slowest_s)


def test_describe_names_counts_and_the_slowest_wait() -> None:
    assert describe(_at(4.2)) == "langgraph-conformance: 3/10 scenarios done, 1 failed, 0 errors (4 s)"
    assert describe(_at(4.2, slowest_s=SLOW_WAIT - 0.1)).endswith("(4 s)")
    assert describe(_at(12, slowest_s=7.4)).endswith("; slowest wait 7 s: rollback-seed: second to reach its hold")


def test_plain_lines_in_a_log_never_carriage_returns() -> None:
    written: list[str] = []
    line = ProgressLine(written.append, tty=False)
    for second in range(1, 26):
        line(_at(float(second)), False)
    line(_at(25.5, done=10), True)
    assert [w.strip().split("(")[-1] for w in written] == ["1 s)", f"{1 + PLAIN_EVERY:.0f} s)",
                                                            f"{1 + 2 * PLAIN_EVERY:.0f} s)", "26 s)"]  # fmt: skip
    assert not any("\r" in w for w in written) and all(w.endswith("\n") for w in written)


def test_a_terminal_line_is_redrawn_in_place() -> None:
    written: list[str] = []
    line = ProgressLine(written.append, tty=True)
    line(_at(1.0), False)
    line(_at(2.0), False)
    line(_at(3.0, done=10), True)
    assert all("\r" in w for w in written) and written[-1].endswith("\n")
    assert not written[1].endswith("\n")


def test_failures_below_the_gate_and_unrun_scenarios_are_counted_as_the_reports_count_them() -> None:
    """A SHOULD failure under ``--level must`` is not "failing"; scenarios a stop left unrun are not "done"."""
    monitor = Monitor(3, gates=lambda requirement: requirement == MUST)
    judged = ScenarioResult("s1", checks=[_check(MUST), _check(SHOULD), _check(SHOULD, "passed")])
    for result in (judged, ScenarioResult("s2", checks=[_check(SHOULD)]), ScenarioResult("s3", error=f"{NOT_RUN}: stop")):
        monitor.scenario_finished(result)
    snapshot = monitor.snapshot()
    assert (snapshot.done, snapshot.failing, snapshot.below, snapshot.not_run) == (2, 1, 2, 1)
    assert describe(snapshot).startswith("langgraph-conformance: 2/3 scenarios done, 1 failed, 2 below the gate, "
                                         "0 errors, 1 not run (")  # fmt: skip


MUST, SHOULD = "DT-REJECT-REFUSED", "DT-REJECT-409"


def _check(requirement: str, outcome: str = "failed") -> CheckResult:
    return CheckResult(requirement, "a check", outcome, "x", "y")  # type: ignore[arg-type]
