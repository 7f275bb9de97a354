"""``report diff``, an upgrade gate over two reports, and ``report baseline``: each exit code on the reports it
is for, and the checked-in server reports compared as a deployer would."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from conformance._cli import main
from conformance.reports import diff_reports, render_baseline, render_diff
from conformance.session.gate import load_baseline
from tests.conftest import REPO

SERVERS = REPO / "reports" / "servers"


def _report(name: str) -> dict[str, Any]:
    return json.loads((SERVERS / name / "report.json").read_text())


def _with(report: dict[str, Any], requirement: str, outcome: str, detail: str = "") -> dict[str, Any]:
    """``report`` with ``requirement`` now ending ``outcome``: its first test so, its others passed where it fails
    (a requirement is judged on its tests)."""
    changed = copy.deepcopy(report)
    next(r for r in changed["requirements"] if r["id"] == requirement)["outcome"] = outcome
    tests = [t for t in changed["results"] if t["requirement"] == requirement]
    tests[0]["outcome"], tests[0]["detail"] = outcome, detail or tests[0]["detail"]
    for test in tests[1:]:
        test["outcome"] = "passed" if outcome == "failed" else outcome
    return changed


def test_a_report_against_itself_changes_nothing() -> None:
    report = _report("orcakit")
    diff = diff_reports(report, report)
    assert diff.exit_code == 0 and "No change." in render_diff(report, report, diff)


def test_a_gated_requirement_that_passed_and_now_fails_is_a_regression_with_its_evidence() -> None:
    old = _report("orcakit")
    new = _with(old, "DT-ROLLBACK-FIRST-404", "failed", "DT-ROLLBACK-FIRST-404 [MUST ...] failed in scenario s:\n"
                                                         "GET first answers 404: expected HTTP 404, got HTTP 200")  # fmt: skip
    diff = diff_reports(old, new)
    assert diff.exit_code == 1 and len(diff.regressions) == 1
    assert diff.regressions[0].startswith("DT-ROLLBACK-FIRST-404 (MUST): passed -> failed in ")
    assert diff.regressions[0].endswith("GET first answers 404: expected HTTP 404, got HTTP 200")
    assert diff_reports(new, old).exit_code == 0 and diff_reports(new, old).fixed  # the other way: fixed


def test_what_the_gate_cannot_say_is_exit_2_and_a_shift_below_the_gate_or_in_a_race_decides_nothing() -> None:
    old = _report("orcakit")
    assert diff_reports(old, _with(old, "DT-ROLLBACK-FIRST-404", "not_reached")).exit_code == 2
    assert diff_reports(old, _with(old, "DT-REJECT-409", "failed")).exit_code == 0  # SHOULD, below the gate
    assert diff_reports(old, _with(old, "RACE-REJECT-BUSY-ALL-REFUSED", "failed")).probabilistic
    assert diff_reports(old, _with(old, "RACE-REJECT-BUSY-ALL-REFUSED", "failed")).exit_code == 0
    errored = copy.deepcopy(old)
    errored["summary"]["verdict"] = "error"
    assert diff_reports(old, errored).exit_code == 2
    other_fixture = copy.deepcopy(old)
    other_fixture["target"]["fixture"]["version"] = 1
    assert diff_reports(old, other_fixture).exit_code == 2 and "other fixtures" in diff_reports(old, other_fixture).incomparable


def test_a_failure_in_a_test_of_the_new_report_only_is_no_regression() -> None:
    """A scenario the suite added fails: a change of the suite, not of the server (exit 0)."""
    old = _report("orcakit")
    new = copy.deepcopy(old)
    added = copy.deepcopy(next(t for t in new["results"] if t["requirement"] == "DT-REJECT-REFUSED"))
    added.update(test_id="reject.somewhere-new.command:DT-REJECT-REFUSED", outcome="failed")
    new["results"].append(added)
    next(r for r in new["requirements"] if r["id"] == "DT-REJECT-REFUSED")["outcome"] = "failed"
    diff = diff_reports(old, new)
    assert diff.exit_code == 0 and not diff.regressions, diff
    assert "reject.somewhere-new.command:DT-REJECT-REFUSED: in the new report only" in diff.suite


def test_a_requirement_in_one_report_only_is_a_change_of_the_suite() -> None:
    old = _report("orcakit")
    new = copy.deepcopy(old)
    new["requirements"] = [r for r in new["requirements"] if r["id"] != "RUN-SCOPED-TO-THREAD"]
    new["results"] = [t for t in new["results"] if t["requirement"] != "RUN-SCOPED-TO-THREAD"]
    diff = diff_reports(old, new)
    assert diff.exit_code == 0 and any(line.startswith("RUN-SCOPED-TO-THREAD: judged in the old report only")
                                       for line in diff.suite)  # fmt: skip


def test_the_js_servers_two_releases_compared_from_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """2.0.0 to 1.5.1 (npm's latest): interrupted runs end interrupted, nothing that passed fails; what 1.5.1 fails in
    the thread-centric protocol 2.0.0 does not serve is judged now, never a regression."""
    out = tmp_path / "diff.md"
    code = main(["report", "diff", str(SERVERS / "js" / "report.json"), str(SERVERS / "js-1.5" / "report.json"), "--out", str(out)])
    shown = capsys.readouterr().out
    assert code == 0 and shown == out.read_text()
    # the classic routes' interrupt is fixed (through run.start, which 2.0.0 did not serve, 1.5.1 ignores it: judged
    # now, no regression)
    assert "- interrupt.first-held-in-agent.create:DT-INTERRUPT-FIRST-INTERRUPTED: failed -> passed" in shown
    assert "Regressions" not in shown and "(in a test the old report did not judge)" in shown


def test_a_baseline_from_a_report_excuses_exactly_its_failures(tmp_path: Path) -> None:
    report = _report("orcakit")
    path = tmp_path / "baseline.toml"
    path.write_text(render_baseline(report))
    failed = {r["id"] for r in report["requirements"] if r["outcome"] == "failed"}
    baseline = load_baseline(path)
    assert set(baseline) == failed and all(reason.startswith("failed in ") for reason in baseline.values())
    assert main(["report", "baseline", str(SERVERS / "orcakit" / "report.json"), "--out", str(path)]) == 0
    assert set(load_baseline(path)) == failed
