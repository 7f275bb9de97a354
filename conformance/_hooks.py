"""State of one pytest session of the suite: options, the campaign, and every test's outcome."""

from __future__ import annotations

import asyncio
import os
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest

from conformance.core.errors import HarnessError, Stopped
from conformance.core.faults import load_faults
from conformance.core.results import HARNESS_ERROR, NOT_REACHED, NOT_RUN
from conformance.core.settings import Settings
from conformance.reports import RunRecord, TestRecord, build_report, write_reports
from conformance.requirements import REQUIREMENTS
from conformance.scenarios import DEFAULT_LANES, LANES, AnyScenario, Case
from conformance.scenarios._race_model import SCHEDULES
from conformance.session.campaign import Campaign, Progress, run_campaign
from conformance.session.coverage import coverage_line, reason, shorten, unjudged
from conformance.session.gate import LEVELS, Decision, Gate, decide, load_baseline
from conformance.session.signals import StopSignals
from conformance.target.embedded import EmbeddedServer
from conformance.target.probe import Target, parse_headers

__all__ = ["ConformanceSession", "Options", "verdict_line"]


@dataclass(frozen=True)
class Options:
    """The plugin's command-line options, read once."""

    target_urls: tuple[str, ...]
    api_key: str | None
    headers: tuple[str, ...]
    assistant_id: str
    report_dir: Path | None
    concurrency: int
    wait_timeout: float
    time_scale: float
    dedicated_target: bool
    max_time: float
    lanes: tuple[str, ...]
    storm: int
    race_repeat: int | None
    race_schedules: tuple[str, ...]
    race_seed: int
    race_budget: float | None
    faults: Path | None
    level: str
    baseline: Path | None
    strict_baseline: bool

    @classmethod
    def from_config(cls, config: pytest.Config) -> Options:
        """Read the options of the ``langgraph-conformance`` group; a bad value is a usage error (exit 4)."""
        for name, flag, allowed in _CHOICES:
            values = config.getoption(name)
            for value in values if isinstance(values, list) else [values] if values is not None else []:
                if value not in allowed:
                    raise pytest.UsageError(f"langgraph-conformance run: {flag} takes one of {', '.join(allowed)}, "
                                            f"got {value!r}")  # fmt: skip
        for name, flag, least, strict in _BOUNDS:
            value = config.getoption(name)
            if value is None:  # not given, and no default: nothing to bound
                continue
            if not (value > least if strict else value >= least):  # NaN fails both
                raise pytest.UsageError(f"langgraph-conformance run: {flag} must be {'more than' if strict else 'at least'} "
                                        f"{least:g}, got {value:g}")  # fmt: skip
        report_dir, baseline = config.getoption("conformance_report_dir"), config.getoption("conformance_baseline")
        unwritable = _unwritable(Path(report_dir)) if report_dir else None
        if unwritable:
            raise pytest.UsageError(f"langgraph-conformance run: --report-dir {report_dir} cannot be written: {unwritable}")
        if "faults" in (config.getoption("conformance_lanes") or ()) and not config.getoption("conformance_faults"):
            raise pytest.UsageError("langgraph-conformance run: --lane faults needs --faults FILE (docs/lanes/faults.md)")
        return cls(
            target_urls=_target_urls(config.getoption("conformance_target_urls")),
            api_key=config.getoption("conformance_api_key"),
            headers=tuple(config.getoption("conformance_headers") or ()),
            assistant_id=config.getoption("conformance_assistant_id"),
            report_dir=Path(report_dir) if report_dir else None,
            concurrency=config.getoption("conformance_concurrency"),
            wait_timeout=config.getoption("conformance_wait_timeout"),
            time_scale=config.getoption("conformance_time_scale"),
            dedicated_target=config.getoption("conformance_dedicated_target"),
            max_time=config.getoption("conformance_max_time"),
            storm=config.getoption("conformance_storm"),
            race_repeat=config.getoption("conformance_race_repeat"),
            race_schedules=tuple(dict.fromkeys(config.getoption("conformance_race_schedules") or SCHEDULES)),
            race_seed=config.getoption("conformance_race_seed"),
            race_budget=config.getoption("conformance_race_budget"),
            faults=Path(config.getoption("conformance_faults")) if config.getoption("conformance_faults") else None,
            lanes=tuple(dict.fromkeys(config.getoption("conformance_lanes") or DEFAULT_LANES)),
            level=config.getoption("conformance_level"),
            baseline=Path(baseline) if baseline else None,
            strict_baseline=config.getoption("conformance_strict_baseline"),
        )


    def rerun_flags(self) -> str:
        """The options that shaped this session beyond its target and selection, as a re-run line repeats them;
        a credential by its environment variable or as a ``"$NAME"`` placeholder, never its value."""
        defaults = Settings()
        flags = [f"--assistant-id {self.assistant_id}" if self.assistant_id != "agent" else "",
                 f"--level {self.level}" if self.level != "must" else "",
                 f"--wait-timeout {self.wait_timeout:g}" if self.wait_timeout != defaults.wait_timeout else "",
                 f"--time-scale {self.time_scale:g}" if self.time_scale != defaults.time_scale else "",
                 "--dedicated-target" if self.dedicated_target else "",
                 f"--baseline {self.baseline}" if self.baseline else "",
                 "--strict-baseline" if self.strict_baseline else "",
                 '--api-key "$LANGGRAPH_CONFORMANCE_API_KEY"' if self.api_key else "",
                 *(f'--header {h.partition("=")[0]}="${_env_name(h)}"' for h in self.headers)]  # fmt: skip
        return " ".join(flag for flag in flags if flag)


def _unwritable(directory: Path) -> str | None:
    """Why the reports cannot be written into ``directory`` (made where missing), or None: found before anything runs."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        probe = directory / ".langgraph-conformance-write-check"
        probe.write_text("")
        probe.unlink()
    except OSError as exc:
        return exc.strerror or type(exc).__name__
    return None


def _env_name(header: str) -> str:
    """The placeholder a re-run line gives a header's value: its name, upper case, ``-`` as ``_``."""
    return header.partition("=")[0].upper().replace("-", "_")


_CHOICES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("conformance_lanes", "--lane", LANES),
    ("conformance_level", "--level", tuple(LEVELS)),
    ("conformance_race_schedules", "--race-schedule", SCHEDULES),
)
_BOUNDS: tuple[tuple[str, str, float, bool], ...] = (
    ("conformance_concurrency", "--concurrency", 1, False),
    ("conformance_wait_timeout", "--wait-timeout", 0, True),
    ("conformance_max_time", "--max-time", 0, True),
    ("conformance_time_scale", "--time-scale", 0, True),
    ("conformance_storm", "--storm", 2, False),
    ("conformance_race_repeat", "--race-repeat", 1, False),
    ("conformance_race_budget", "--race-budget", 0, True),
)
"""Each numeric option's bound: ``(dest, flag, bound, strictly above it)``."""


def _target_urls(given: list[str] | None) -> tuple[str, ...]:
    """The URLs given, else ``$LANGGRAPH_CONFORMANCE_URL`` (a URL given replaces it: it never adds a replica)."""
    urls = given or [os.environ.get("LANGGRAPH_CONFORMANCE_URL") or ""]
    return tuple(dict.fromkeys(u.rstrip("/") for u in urls if u))


@dataclass
class ConformanceSession:
    """Everything the plugin keeps between hooks."""

    options: Options
    record: RunRecord = field(default_factory=lambda: RunRecord(None, None))
    gate: Gate = field(default_factory=Gate)
    signals: StopSignals = field(default_factory=StopSignals)
    started: float = field(default_factory=time.monotonic)
    unwritten: str = ""
    """Why the reports could not be written at the end (then the verdict is ``error``)."""

    @contextmanager
    def target(self) -> Iterator[Target]:
        """The target under test: the given URL, or an embedded reference server (signals handled from here)."""
        options = self.options
        self.record.lanes = options.lanes
        baseline = load_baseline(options.baseline) if options.baseline else {}
        self.gate = Gate(options.level, baseline, options.strict_baseline)
        headers = parse_headers(list(options.headers), options.api_key)
        self.signals.install()  # already, when pytest was started for the suite
        if options.target_urls:
            first, *others = options.target_urls
            self.record.target = Target(first, headers, options.assistant_id, replicas=tuple(others))
            yield self.record.target
            return
        with EmbeddedServer() as server:
            self.record.target = Target(server.url, headers, options.assistant_id, embedded=True)
            yield self.record.target

    def run(self, target: Target, scenarios: Sequence[AnyScenario], on_progress: Progress | None = None) -> Campaign:
        """Run the selected scenarios once, concurrently; a stop during the probe raises ``Stopped``."""
        options = self.options
        settings = Settings(concurrency=options.concurrency, wait_timeout=options.wait_timeout,
                            time_scale=options.time_scale, dedicated=options.dedicated_target or target.embedded,
                            max_time=options.max_time, deadline=self.started + options.max_time,
                            storm=options.storm, race_repeat=options.race_repeat, race_seed=options.race_seed,
                            race_deadline=None if options.race_budget is None else self.started + options.race_budget,
                            faults=load_faults(options.faults) if options.faults and "faults" in options.lanes else ())  # fmt: skip
        self.record.session = settings.session
        campaign = asyncio.run(run_campaign(target, scenarios, settings, probe_trace=self.record.probe_trace,
                                            on_progress=on_progress, signals=self.signals,
                                            gates=lambda req: self.gate.gates(req, REQUIREMENTS[req].level.value)))  # fmt: skip
        self.record.campaign = campaign
        if campaign.stopped is not None:
            self.harness_failed(campaign.stopped)
        return campaign

    def harness_failed(self, exc: HarnessError) -> str:
        """Record a harness error (or the stop of an interrupted session); the one line to print."""
        target = self.record.target
        message = target.redact(str(exc)) if target else str(exc)
        self.record.harness_error = message
        self.record.interrupted = isinstance(exc, Stopped) and exc.interrupted
        return f"langgraph-conformance: {message}"

    def interrupted_outside_campaign(self) -> None:
        """A signal arrived while no campaign ran (start-up, or reading results): say so in the report."""
        if self.signals.received and not self.record.interrupted:
            self.harness_failed(Stopped(f"interrupted by {self.signals.received}", interrupted=True))

    def add(self, case: Case, outcome: str, detail: str) -> None:
        """Record one test's outcome (``outcome`` as the report names it)."""
        result = self.record.campaign.results.get(case.scenario.id) if self.record.campaign else None
        self.record.tests.append(
            TestRecord(
                test_id=case.id,
                requirement=case.requirement.id,
                level=case.requirement.level.value,
                scenario=case.scenario.id,
                outcome=outcome,  # type: ignore[arg-type]
                duration_s=round(result.duration_s, 3) if result else 0.0,
                detail=detail,
            )
        )

    @property
    def not_run(self) -> int:
        """Tests whose scenario never started before the session stopped."""
        return sum(_never_ran(t) for t in self.record.tests)

    @property
    def active(self) -> bool:
        """Whether any conformance test ran (or tried to), or a signal stopped the session."""
        return bool(self.record.tests or self.record.harness_error or self.signals.received)

    def finish(self) -> tuple[Decision, Path | None]:
        """Decide the verdict and write the reports, if a directory was given."""
        self.interrupted_outside_campaign()
        self.record.duration_s = time.monotonic() - self.started
        decision = decide(((t.requirement, t.outcome) for t in self.record.tests),
                          harness_error=self.record.harness_error is not None, gate=self.gate,
                          interrupted=self.record.interrupted)  # fmt: skip
        path = None
        if self.options.report_dir is not None:
            try:
                path = write_reports(build_report(self.record, decision, self.gate), self.options.report_dir)
            except OSError as exc:  # never a verdict: the suite could not say what it found
                self.unwritten = f"the reports could not be written to {self.options.report_dir}: {exc.strerror or exc}"
                decision = replace(decision, verdict="error")
        return decision, path


def verdict_line(decision: Decision, tests: Sequence[TestRecord], gate: Gate, harness_error: str | None = None) -> str:
    """``verdict error (exit 2): ...``: the verdict, what decided it (the harness error that stopped the session
    first), how many gated requirements it judged and why each other one was not, and how much was not
    reached or skipped and why (the part with more tests first)."""
    parts = []
    if harness_error:
        counts = Counter("not run" if _never_ran(t) else t.outcome.replace("_", " ") for t in tests)
        shown = ", ".join(f"{n} {outcome}" for outcome, n in sorted(counts.items(), key=lambda c: -c[1]))
        parts.append(f"{harness_error}" + (f" ({shown})" if shown else ""))
    if decision.failed:
        parts.append(f"failed with evidence: {', '.join(f'{req} in {_where(tests, req)}' for req in decision.failed)}")
    if decision.gated:  # none where the session stopped before its tests
        parts.append(coverage_line(len(decision.judged), len(decision.gated), gate.level) + _not_judged(decision, tests))
    # what the harness error left unreached is counted with it, above
    unreached = [t for t in tests if t.outcome == "not_reached" and not _reason(t).startswith(HARNESS_ERROR)]
    skipped = [t for t in tests if t.outcome == "skipped"]
    tallies = [(len(unreached), "tests not reached", unreached, 3), (len(skipped), "skipped", skipped, 2)]
    for n, words, which, top in sorted((t for t in tallies if t[0]), key=lambda t: -t[0]):
        causes = Counter(shorten(reason(t.detail)) for t in which)
        shown = "; ".join(f"{k} x {cause}" for cause, k in causes.most_common(top))
        parts.append(f"{n} {words} ({shown}{'; ...' if len(causes) > top else ''})")
    return f"verdict {decision.verdict} (exit {decision.exit_code}): " + "; ".join(parts)


def _not_judged(decision: Decision, tests: Sequence[TestRecord], named: int = 8) -> str:
    """`` (not judged: A, B (skipped: cause); C (not reached: cause))``: the first ``named``, by their tests; those
    a harness error left unjudged are counted with it, before."""
    missing = [u for u in unjudged(decision, ((t.requirement, t.outcome, t.detail) for t in tests))
               if not u.cause.startswith(HARNESS_ERROR)]  # fmt: skip
    if not missing:
        return ""
    by_cause: dict[tuple[str, str], list[str]] = {}
    for u in missing[:named]:
        by_cause.setdefault((u.outcome.replace("_", " "), shorten(u.cause, 200)), []).append(u.requirement)
    groups = "; ".join(f"{', '.join(reqs)} ({outcome}: {cause})" for (outcome, cause), reqs in by_cause.items())
    more = f"; {len(missing) - named} more in report.md" if len(missing) > named else ""
    return f" (not judged: {groups}{more})"


def _where(tests: Sequence[TestRecord], requirement: str) -> str:
    """The scenarios where ``requirement`` failed, those that differ in their last part alone as one ``a.b.*``."""
    scenarios = sorted({t.scenario for t in tests if t.requirement == requirement and t.outcome == "failed"})
    stems = Counter(s.rpartition(".")[0] for s in scenarios)
    shown = list(dict.fromkeys(f"{s.rpartition('.')[0]}.*" if stems[s.rpartition(".")[0]] > 1 else s for s in scenarios))
    return ", ".join(shown[:3]) + (f" and {len(shown) - 3} more" if len(shown) > 3 else "")


def _reason(test: TestRecord) -> str:
    """A test's detail without the words pytest's report put before it."""
    return test.detail.removeprefix(NOT_REACHED)


def _never_ran(test: TestRecord) -> bool:
    """Whether the test's scenario never started before the session stopped."""
    return _reason(test).startswith(f"{HARNESS_ERROR}{NOT_RUN}")
