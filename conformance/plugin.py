"""The pytest plugin (entry point ``pytest11``): options, the target and campaign fixtures, and hooks.

Run the suite with ``pytest --pyargs conformance.suite [--target-url URL]``, or with the
``langgraph-conformance run`` command, which does the same and writes a report.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Generator, Iterator
from contextlib import nullcontext
from pathlib import Path

import pytest

from conformance._hooks import ConformanceSession, Options, verdict_line
from conformance.core.errors import HarnessError
from conformance.core.outcomes import BELOW_GATE
from conformance.core.results import HARNESS_ERROR, NOT_RUN
from conformance.scenarios import Case
from conformance.session.campaign import Campaign, Progress
from conformance.session.gate import EXIT_CODES, Decision, Gate
from conformance.session.progress import ProgressLine
from conformance.target.probe import Target

__all__ = ["FINDING", "conformance_campaign", "conformance_gate", "conformance_rerun_flags", "conformance_target"]

SESSION = pytest.StashKey[ConformanceSession]()
FINDING = pytest.StashKey[str]()
"""The whole message of a failure below the gate (its test ends as an expected failure)."""
_FINISHED = pytest.StashKey[tuple[Decision, Path | None]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("langgraph-conformance", "LangGraph Agent Server conformance")
    group.addoption("--target-url", dest="conformance_target_urls", action="append", default=None, metavar="URL",
                    help="deployment to test (env LANGGRAPH_CONFORMANCE_URL); repeat it for each API replica of one "
                         "deployment; none: an embedded reference server")
    group.addoption("--api-key", dest="conformance_api_key", default=os.environ.get("LANGGRAPH_CONFORMANCE_API_KEY"), metavar="KEY",
                    help="sent as x-api-key (env LANGGRAPH_CONFORMANCE_API_KEY); never written to reports")
    group.addoption("--header", dest="conformance_headers", action="append", metavar="NAME=VALUE",
                    help="extra request header, repeatable; values are redacted from reports")
    group.addoption("--assistant-id", dest="conformance_assistant_id", default="agent", metavar="ID",
                    help="assistant or graph id of the deployed fixture graph (default: agent)")
    group.addoption("--report-dir", dest="conformance_report_dir", default=None, metavar="DIR",
                    help="write report.json, report.md, report.html and junit.xml into this directory (langgraph-conformance "
                         "run: default reports/latest)")
    group.addoption("--concurrency", dest="conformance_concurrency", type=int, default=16, metavar="N",
                    help="at most N scenarios at once (default: 16); the runs executing at once stay within what the "
                         "probe measures the target executes")
    group.addoption("--wait-timeout", dest="conformance_wait_timeout", type=float, default=30.0, metavar="S",
                    help="seconds any single wait on the target may take (default: 30)")
    group.addoption("--time-scale", dest="conformance_time_scale", type=float, default=1.0, metavar="F",
                    help="multiplies the fixture's timed holds (servers without a store; default: 1)")
    group.addoption("--dedicated-target", dest="conformance_dedicated_target", action="store_true",
                    help="the target serves this run alone: also check what acts on every run of the server "
                         "(POST /runs/cancel by status); the embedded server always is")
    group.addoption("--max-time", dest="conformance_max_time", type=float, default=600.0, metavar="S",
                    help="bound on the whole session: when reached, the report is written with what finished and "
                         "the rest not reached (default: 600)")
    group.addoption("--lane", dest="conformance_lanes", action="append", metavar="LANE",
                    help="what to run, repeatable: contract (the double-texting contract), schema (the API's shape "
                         "and bad input), sdk (the how-to through the Python and JS SDKs), race (storms of "
                         "double-texts), faults (double-texts through the faults of --faults); default: contract and schema")
    group.addoption("--storm", dest="conformance_storm", type=int, default=6, metavar="N",
                    help="race lane: simultaneous double-texts per repetition (default: 6)")
    group.addoption("--race-repeat", dest="conformance_race_repeat", type=int, default=None, metavar="R",
                    help="race lane: repetitions of each race scenario, each on a fresh thread (default: fixed per "
                         "schedule, sized to find the reference's rollback race: docs/lanes/race.md)")
    group.addoption("--race-schedule", dest="conformance_race_schedules", action="append", metavar="SCHEDULE",
                    help="race lane, repeatable: simultaneous, staggered (seeded offsets over the queue pick-up "
                         "time), unheld (every run busy about a second in its node); default: all three")
    group.addoption("--race-seed", dest="conformance_race_seed", type=int, default=1, metavar="N",
                    help="race lane: the seed of the staggered schedule's offsets (default: 1)")
    group.addoption("--race-budget", dest="conformance_race_budget", type=float, default=None, metavar="S",
                    help="race lane: no repetition starts S seconds after the session began; the report says "
                         "'underpowered' where this cut repetitions (default: none)")
    group.addoption("--faults", dest="conformance_faults", default=None, metavar="FILE",
                    help="fault lane: a TOML file of named faults ([faults.replica-kill], replica-pause, "
                         "server-kill), each an inject and a heal command (docs/lanes/faults.md)")
    group.addoption("--level", dest="conformance_level", default="must", metavar="must|should",
                    help="failures at this level or above fail the run (default: must)")
    group.addoption("--baseline", dest="conformance_baseline", default=None, metavar="FILE",
                    help='TOML [expected_failures] ID = "reason": listed failures do not fail the run')
    group.addoption("--strict-baseline", dest="conformance_strict_baseline", action="store_true",
                    help="fail the run when a baseline entry passes (stale)")  # fmt: skip


def pytest_configure(config: pytest.Config) -> None:
    config.stash[SESSION] = ConformanceSession(Options.from_config(config))
    if any("conformance.suite" in arg or "conformance/suite" in arg for arg in config.args):
        config.stash[SESSION].signals.install()  # a signal from here on still writes a report


@pytest.fixture(scope="session")
def conformance_target(request: pytest.FixtureRequest) -> Iterator[Target]:
    """The target under test; the embedded reference server when no URL is given."""
    session = request.config.stash[SESSION]
    try:
        with session.target() as target:
            yield target
    except HarnessError as exc:
        pytest.exit(session.harness_failed(exc), returncode=EXIT_CODES["error"])


@pytest.fixture(scope="session")
def conformance_gate(request: pytest.FixtureRequest, conformance_target: Target) -> Gate:
    """What fails the run (read once the target, and with it the baseline, is set up)."""
    return request.config.stash[SESSION].gate


@pytest.fixture(scope="session")
def conformance_rerun_flags(request: pytest.FixtureRequest) -> str:
    """The options a re-run line repeats (``Options.rerun_flags``)."""
    return request.config.stash[SESSION].options.rerun_flags()


@pytest.fixture(scope="session")
def conformance_campaign(request: pytest.FixtureRequest, conformance_target: Target) -> Campaign:
    """Every selected scenario, run once and concurrently before the first test reads its result."""
    session = request.config.stash[SESSION]
    cases = [item.callspec.params["case"] for item in request.session.items if _case(item)]
    scenarios = list({case.scenario.id: case.scenario for case in cases}.values())
    try:
        campaign = session.run(conformance_target, scenarios, _progress_line(request.config))
    except HarnessError as exc:
        pytest.exit(session.harness_failed(exc), returncode=EXIT_CODES["error"])
    if campaign.stopped is not None:
        _say(request.config, f"langgraph-conformance: stopped early: {campaign.stopped.reason}")
    return campaign


def _write_through(config: pytest.Config) -> tuple[Callable[[str], None] | None, bool]:
    """A writer to the terminal that output capture does not swallow, and whether that is a TTY."""
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    capture = config.pluginmanager.get_plugin("capturemanager")
    if reporter is None:
        return None, False

    def write(text: str) -> None:
        with capture.global_and_fixture_disabled() if capture is not None else nullcontext():
            reporter.write(text, flush=True)

    return write, bool(reporter.isatty)


def _progress_line(config: pytest.Config) -> Progress | None:
    """The progress line, unless ``-q`` asked for quiet."""
    write, tty = _write_through(config)
    return ProgressLine(write, tty=tty) if write is not None and config.get_verbosity() >= 0 else None


def _say(config: pytest.Config, line: str) -> None:
    write, _ = _write_through(config)
    if write is not None:
        write(line + "\n")


def _case(item: pytest.Item) -> Case | None:
    params = getattr(item, "callspec", None)
    case = params.params.get("case") if params else None
    return case if isinstance(case, Case) else None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Keep the selected lanes' tests only (and of the race lane, the selected schedules')."""
    options = config.stash[SESSION].options
    kept, dropped = [], []
    for item in items:
        case = _case(item)
        unselected = case is not None and (case.lane not in options.lanes or
                                           getattr(case.scenario, "schedule", None) not in (None, *options.race_schedules))  # fmt: skip
        (dropped if unselected else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


def _unrun(item: pytest.Item, case: Case | None) -> str | None:
    """The detail of a test whose scenario the session's stop left unrun, else None."""
    campaign = item.config.stash[SESSION].record.campaign
    if case is None or campaign is None or campaign.stopped is None:
        return None
    result = campaign.results.get(case.scenario.id)
    error = result.error if result is not None else None
    return f"{HARNESS_ERROR}{error}" if error and error.startswith(NOT_RUN) else None


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> bool | None:
    """A test whose scenario the session's stop left unrun is recorded, not run: one line says how many."""
    case = _case(item)
    unrun = _unrun(item, case)
    if case is None or unrun is None:
        return None
    session = item.config.stash[SESSION]
    session.add(case, "not_reached", unrun)
    report = pytest.TestReport(item.nodeid, item.location, {}, "skipped", None, "setup")
    report.not_run = True  # type: ignore[attr-defined]
    item.ihook.pytest_runtest_logreport(report=report)  # counted by pytest as the reports count it, no line
    return True


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    case = _case(item)
    if case is None:
        return report
    session = item.config.stash[SESSION]
    unrun = _unrun(item, case) if report.when == "setup" and report.failed else None
    if unrun is not None:
        session.add(case, "not_reached", unrun)  # the first test: the stop came in its set-up
        report.not_run = True  # type: ignore[attr-defined]
    elif report.when == "setup" and report.failed:
        session.add(case, "not_reached", report.longreprtext)
    elif report.when == "setup" and report.skipped:
        reason = str(report.longrepr[2]) if isinstance(report.longrepr, tuple) else ""
        session.add(case, "skipped", reason.removeprefix("Skipped: "))
    elif report.when == "call" and hasattr(report, "wasxfail"):  # a failure below the gate: still a failure
        session.add(case, "failed", item.stash.get(FINDING, str(report.wasxfail)))
        report.below_gate = True  # type: ignore[attr-defined]
    elif report.when == "call":
        session.add(case, "passed" if report.passed else "failed", "" if report.passed else report.longreprtext)
    return report


def pytest_report_teststatus(report: pytest.TestReport, config: pytest.Config) -> tuple[str, str, tuple[str, dict[str, bool]]] | None:
    """pytest counts a failure below the gate (its expected failure) as the reports do, ``below the gate``, and a
    test whose scenario the session's stop left unrun as ``not run``."""
    if getattr(report, "below_gate", False):
        return BELOW_GATE, "x", (BELOW_GATE.upper(), {"yellow": True})
    if getattr(report, "not_run", False):  # a scenario the session's stop left unrun: one line says how many
        return NOT_RUN, "", ""
    return None


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    _own_stop_line(session.config)
    state = session.config.stash[SESSION]
    if not state.active:
        return
    decision, path = state.finish()
    session.config.stash[_FINISHED] = (decision, path)
    session.exitstatus = decision.exit_code



_EXIT_PREFIX = "_pytest.outcomes.Exit: "


def _own_stop_line(config: pytest.Config) -> None:
    """pytest shows the message a session stopped with as ``! _pytest.outcomes.Exit: <message> !``: the
    suite's messages carry their own name, so that prefix goes (where pytest keeps that line as today)."""
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    crash = getattr(getattr(reporter, "_keyboardinterrupt_memo", None), "reprcrash", None)
    if crash is not None and isinstance(crash.message, str) and crash.message.startswith(_EXIT_PREFIX):
        crash.message = crash.message.removeprefix(_EXIT_PREFIX)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    finished = config.stash.get(_FINISHED, None)
    if finished is None:
        return
    decision, path = finished
    if decision.excused:
        terminalreporter.write_line(f"langgraph-conformance: failing as the baseline expects: {', '.join(decision.excused)}")
    if decision.stale:
        terminalreporter.write_line(f"langgraph-conformance: stale baseline entries (now passing): {', '.join(decision.stale)}")
    session = config.stash[SESSION]
    below = sorted({t.requirement for t in session.record.tests
                    if t.outcome == "failed" and not session.gate.gates(t.requirement, t.level)})  # fmt: skip
    if below:
        terminalreporter.write_line(f"langgraph-conformance: failed {BELOW_GATE} (findings the verdict does not count): "
                                    f"{', '.join(below)}", yellow=True)  # fmt: skip
    if session.not_run:
        reason = session.record.campaign.stopped.reason if session.record.campaign and session.record.campaign.stopped else ""
        terminalreporter.write_line(f"langgraph-conformance: {session.not_run} tests not run: {reason}", yellow=True)
    if path:
        terminalreporter.write_line(f"langgraph-conformance: reports written to {path.parent}/")


_COLOURS = {"conformant": "green", "nonconformant": "red", "error": "yellow", "interrupted": "yellow"}


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    """The verdict, last of all (after pytest's own counts), coloured on a terminal; then the signals go back."""
    session = config.stash.get(SESSION, None)
    if session is not None:
        session.signals.uninstall()
    finished = config.stash.get(_FINISHED, None)
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if finished is None or reporter is None:
        return
    decision, _ = finished
    session = config.stash[SESSION]
    record = session.record
    line = f"langgraph-conformance: {verdict_line(decision, record.tests, session.gate, record.harness_error or session.unwritten)}"
    reporter.write_line(line, **{_COLOURS[decision.verdict]: True, "bold": True})
