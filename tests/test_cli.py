"""The command as a user runs it: exit codes, one-line harness errors, report.json."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys

import pytest

from conformance._cli import main
from conformance.requirements import REQUIREMENTS
from conformance.scenarios import CASES
from tests.conftest import REPO
from tests.reference import CONTRACT_FINDINGS, FINDINGS, NOT_REACHED, NOW_AND_THEN, is_the_references_verdict



def test_embedded_run_finds_what_the_reference_breaks(suite) -> None:
    run = suite()
    assert run.exit_code == 1, run.output
    assert is_the_references_verdict(run.output.strip().splitlines()[-1]), run.output[-2000:]
    summary = run.report["summary"]
    default = [case for case in CASES if case.lane in ("contract", "schema")]
    # the contract's findings every time; the schema lane's SHOULDs, and one it shows now and then
    findings = run.failed_tests()
    assert FINDINGS <= findings <= FINDINGS | NOW_AND_THEN, run.output[-3000:]
    must = sorted({t.split(":")[1] for t in findings if REQUIREMENTS[t.split(":")[1]].level.value == "MUST"})
    below = {t for t in findings if REQUIREMENTS[t.split(":")[1]].level.value != "MUST"}
    gated = {case.requirement.id for case in default if case.requirement.level.value == "MUST"}
    assert {t for t, o in run.outcomes().items() if o == "not_reached"} == NOT_REACHED, run.output[-3000:]
    assert summary == {"passed": len(default) - len(findings) - len(NOT_REACHED), "failed": len(findings),
                       "not_reached": len(NOT_REACHED), "skipped": 0,
                       "verdict": "nonconformant", "exit_code": 1, "failed_requirements": must,
                       "unjudged_requirements": [], "skipped_requirements": [], "below_gate": len(below),
                       "gated_selected": len(gated), "gated_judged": len(gated), "gated_unjudged": []}  # fmt: skip
    # pytest's summary counts what the reports count, in their words
    assert f"{len(findings) - len(below)} failed, {summary['passed']} passed" in run.output
    assert f"{len(below)} below the gate" in run.output
    details = {r["test_id"]: r["detail"] for r in run.report["results"]}
    for test_id in (t for t in CONTRACT_FINDINGS if "rollback.first-starting" in t):  # the 404 run's input, shown
        assert "+human: what's the weather in sf?" in details[test_id] or "checkpoints name first" in details[test_id]
    # the same double-text through the classic route and through run.start: the same outcome, but where the protocol
    # differs (the first run that ends by itself while run.start waits)
    outcomes = run.outcomes()
    differ = {t for t, o in outcomes.items() if ".command:" in t
              and outcomes.get(t.replace(".command:", ".create:"), o) != o}  # fmt: skip
    assert differ and all(".first-running-timed" in t for t in differ), sorted(differ)
    assert run.report["schema_version"] == 2
    assert run.report["target"]["capacity"]["at_least"] is True  # the embedded server runs 64 at once
    assert run.report["target"]["embedded"] is True and run.report["lanes"] == ["contract", "schema"]
    assert run.report["target"]["liveness"]["run_status"] == "success"
    assert "scenarios done" in run.output and "\r" not in run.output  # plain progress lines in a log
    for result in run.report["results"]:
        assert set(result) == {"test_id", "requirement", "level", "scenario", "outcome", "duration_s", "detail"}
        assert result["level"] == REQUIREMENTS[result["requirement"]].level.value


def test_unreachable_target_is_a_harness_error(suite) -> None:
    run = suite("--target-url", "http://127.0.0.1:9")
    assert run.exit_code == 2
    assert run.elapsed < 15
    assert "cannot reach http://127.0.0.1:9" in run.output
    assert "Traceback" not in run.output and "_pytest.outcomes.Exit" not in run.output  # the suite's own line
    last = run.output.strip().splitlines()[-1]
    assert last.startswith("langgraph-conformance: verdict error (exit 2): cannot reach http://127.0.0.1:9"), last
    assert run.report["summary"]["verdict"] == "error"
    assert "cannot reach" in run.report["harness_error"]


def test_missing_fixture_graph_is_a_harness_error(suite, reference_url) -> None:
    run = suite("--target-url", reference_url, "--assistant-id", "no-such-graph")
    assert run.exit_code == 2
    assert "'no-such-graph' is not deployed" in run.output
    assert run.report["summary"]["verdict"] == "error"


def test_requirements_command_lists_every_id() -> None:
    done = subprocess.run([sys.executable, "-m", "conformance", "requirements", "--json"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    assert [r["id"] for r in json.loads(done.stdout)] == list(REQUIREMENTS)


def test_fixtures_command_copies_a_deployable_project(tmp_path) -> None:
    target = tmp_path / "fixture"
    done = subprocess.run([sys.executable, "-m", "conformance", "fixtures", "fixture"], capture_output=True, text=True,
                          cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert '"conformance": "./fixture/graph.py:graph"' in done.stdout  # the line to add, where it is run
    assert "langgraph dev --n-jobs-per-worker 16" in done.stdout and "--assistant-id conformance" in done.stdout
    assert json.loads((target / "langgraph.json").read_text())["graphs"]["agent"] == "./graph.py:graph"
    assert (target / "graph.py").is_file()
    again = subprocess.run([sys.executable, "-m", "conformance", "fixtures", str(target)], capture_output=True, text=True,
                           cwd=tmp_path)  # fmt: skip
    assert again.returncode == 4 and "not empty" in again.stderr  # a usage error, before anything runs


def test_run_help_lists_the_suite_options_in_groups_and_no_secret(monkeypatch, capsys) -> None:
    monkeypatch.setenv("LANGGRAPH_CONFORMANCE_API_KEY", "sk-secret-for-help-4242")
    assert main(["run", "--help"]) == 0
    shown = capsys.readouterr().out
    for text in ("target:", "lanes:", "timing:", "gate:", "reports:", "--target-url URL", "--concurrency N",
                 "--race-repeat R", "--baseline FILE", "4 usage error", "pytest --help"):  # fmt: skip
        assert text in shown, text
    assert "sk-secret-for-help-4242" not in shown


def test_version_and_usage_errors_name_the_command(tmp_path, capsys) -> None:
    assert main(["--version"]) == 0 and capsys.readouterr().out.startswith("langgraph-conformance 0.")
    done = subprocess.run([sys.executable, "-m", "conformance", "run", "--lane", "nonsense"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode == 4
    assert "langgraph-conformance run: --lane takes one of contract, schema, sdk, race, faults, got 'nonsense'" in done.stderr
    assert "pytest.main()" not in done.stdout + done.stderr


@pytest.mark.parametrize(("argv", "said"), [
    (["--wait-timeout", "abc"], "--wait-timeout takes a number, got 'abc'"),
    (["--concurrency", "many"], "--concurrency takes a whole number, got 'many'"),
    (["--no-such-option"], "unknown option --no-such-option"),
])  # fmt: skip
def test_option_errors_pytest_finds_are_one_line_in_the_suites_words(argv: list[str], said: str, tmp_path) -> None:
    done = subprocess.run([sys.executable, "-m", "conformance", "run", *argv], cwd=tmp_path, capture_output=True, check=False,
                          text=True, timeout=60)  # fmt: skip
    assert done.returncode == 4 and done.stdout == ""
    assert [line for line in done.stderr.splitlines() if line.strip()] == \
        [f"ERROR: langgraph-conformance run: {said} (langgraph-conformance run --help lists the options)"]  # fmt: skip


def test_node_ids_name_the_suite_file_wherever_it_starts(suite, tmp_path) -> None:
    (tmp_path / "reports" / "latest").mkdir(parents=True)  # a first run's default report directory
    done = subprocess.run([sys.executable, "-m", "conformance", "run", "-k", "rollback-seed", "--report-dir",
                           str(tmp_path / "r")], cwd=tmp_path, capture_output=True, text=True, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stdout[-2000:]
    assert "configfile: suite.ini" in done.stdout and "reports/latest/test_conformance.py" not in done.stdout
    assert "warning" not in (done.stdout + done.stderr).lower()


def test_the_suite_runs_by_pyargs_inside_a_clone_without_the_test_extras() -> None:
    """The repository's pytest settings ask for nothing that ``pip install .`` leaves out (xdist, timeout)."""
    done = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:xdist", "-p", "no:timeout", "--pyargs",
                           "conformance.suite", "-k", "rollback-seed", "-q", "-p", "no:cacheprovider"],
                          cwd=REPO, capture_output=True, text=True, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "Unknown config option" not in done.stdout + done.stderr and "asyncio_default_fixture_loop_scope" not in done.stdout
    assert re.fullmatch(r"langgraph-conformance: verdict conformant \(exit 0\): (\d+) of \1 MUST requirements judged",
                        done.stdout.strip().splitlines()[-1])  # fmt: skip


def test_a_printed_re_run_line_re_runs_exactly_that_scenario_as_it_ran(suite, reference_url: str) -> None:
    """Copied as printed (the target, the options that shaped the session, the scenario), it selects that scenario
    alone, with the same settings, and shows the same outcome."""
    first = suite("--target-url", reference_url, "--level", "should", "--wait-timeout", "20",
                  "-k", "rollback.first-starting.create")  # fmt: skip
    lines = {line.strip() for line in first.output.splitlines() if line.strip().startswith("re-run: ")}
    assert len(lines) == 1, lines
    argv = shlex.split(lines.pop().removeprefix("re-run: "))
    assert argv[:2] == ["langgraph-conformance", "run"] and "--wait-timeout" in argv and "--level" in argv
    again = suite(*argv[2:])
    assert {r["scenario"] for r in again.report["results"]} == {"rollback.first-starting.create"}
    assert again.report["gate"]["level"] == first.report["gate"]["level"] == "should"
    assert again.outcomes() == first.outcomes() and again.exit_code == first.exit_code == 1


def test_a_report_dir_that_cannot_be_written_is_refused_before_anything_runs(tmp_path) -> None:
    (tmp_path / "a-file").write_text("")
    done = subprocess.run([sys.executable, "-m", "conformance", "run", "--report-dir", str(tmp_path / "a-file" / "reports")],
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 4, done.stdout[-2000:] + done.stderr[-2000:]
    assert f"--report-dir {tmp_path / 'a-file' / 'reports'} cannot be written: Not a directory" in done.stderr
    assert "Traceback" not in done.stdout + done.stderr and "collected" not in done.stdout


@pytest.mark.parametrize("argv", [[], ["clean"], ["report"], ["nonsense"]])
def test_a_missing_or_unknown_command_is_a_usage_error(argv: list[str]) -> None:
    done = subprocess.run([sys.executable, "-m", "conformance", *argv], capture_output=True, text=True, timeout=60)
    assert done.returncode == 4, done.stderr
    assert "Traceback" not in done.stderr
