"""A campaign: the probe, then every selected scenario concurrently, until all are done or it is stopped.

A campaign stops early for three reasons: the breaker trips (the target stopped making
progress), the session reaches ``--max-time``, or a signal arrives. Then no further scenario
starts, the ones in flight are cancelled and clean up after themselves, and every scenario
that did not finish carries the reason as a harness error.
"""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AsyncExitStack, asynccontextmanager, nullcontext
from dataclasses import dataclass

import httpx

from conformance.core.errors import Deviation, HarnessError, NotReached, Stopped, TimedOut
from conformance.core.exchange import Exchange
from conformance.core.monitor import Monitor, Snapshot
from conformance.core.results import CUT_SHORT, NOT_RUN, ScenarioResult
from conformance.core.settings import Settings
from conformance.lanes.contract.runner import ScenarioRun, required_paths
from conformance.lanes.faults.runner import FaultRun
from conformance.lanes.race.runner import RaceRun
from conformance.lanes.schema.runner import ApiRun
from conformance.lanes.sdk.js import js_sdk_missing
from conformance.lanes.sdk.steps import call_sdk
from conformance.scenarios import AnyScenario
from conformance.scenarios._api_model import ApiScenario
from conformance.scenarios._fault_model import Nemesis
from conformance.scenarios._model import Scenario
from conformance.scenarios._race_model import Storm
from conformance.session.endpoints import blame_endpoints
from conformance.session.signals import StopSignals
from conformance.target.capacity import assumed_one
from conformance.target.http import Http, Pool, open_client
from conformance.target.probe import SUITE_TAG, Target, TargetInfo, probe
from conformance.target.replicas import check_shared_state

__all__ = ["Campaign", "run_campaign"]

PROGRESS_INTERVAL = 1.0
NOT_DEDICATED = ("it cancels runs by status on the whole server, so it runs only where the suite is alone: "
                 "on the embedded server, or with --dedicated-target")  # fmt: skip

Progress = Callable[[Snapshot, bool], None]


@dataclass
class Campaign:
    """All scenario results of one session, what the probe learned, and why it stopped early (if it did)."""

    info: TargetInfo
    results: dict[str, ScenarioResult]
    stopped: Stopped | None = None


class _Schedule:
    """The probe's and the scenarios' tasks, and the one way to stop them all."""

    def __init__(self, monitor: Monitor) -> None:
        self.monitor = monitor
        self.tasks: dict[str, asyncio.Task[ScenarioResult]] = {}
        self.runs: dict[str, ScenarioRun | ApiRun | RaceRun] = {}
        self.probing: asyncio.Task[TargetInfo] | None = None
        self.stopped: Stopped | None = None

    def stop(self, reason: str, *, interrupted: bool = False) -> None:
        """Start no further scenario; cancel those in flight (their clean-up runs, bounded)."""
        if self.stopped is not None:
            return
        self.stopped = Stopped(reason, interrupted=interrupted)
        # Soon, not now: the breaker may trip inside a scenario's task, and a task that cancels itself
        # and then returns without awaiting again ends cancelled, losing its result.
        asyncio.get_running_loop().call_soon(self._cancel_in_flight)

    def _cancel_in_flight(self) -> None:
        if self.probing is not None:
            self.probing.cancel()
        for scenario, task in self.tasks.items():
            run = self.runs.get(scenario)
            if run is None or not run.cleaning:
                task.cancel()


async def run_campaign(
    target: Target,
    scenarios: Sequence[AnyScenario],
    settings: Settings,
    *,
    probe_trace: list[Exchange],
    on_progress: Progress | None = None,
    signals: StopSignals | None = None,
    gates: Callable[[str], bool] = lambda requirement: True,
) -> Campaign:
    """Probe the target once, then run ``scenarios`` concurrently, each on its own thread.

    ``signals`` stop the campaign while it runs; ``on_progress(snapshot, final)`` is called
    every second and once at the end, counting as failing the scenarios where a requirement ``gates`` counts
    failed. A stop during the probe raises ``Stopped``.
    """
    loop = asyncio.get_running_loop()
    schedule = _Schedule(Monitor(len(scenarios), gates=gates))
    schedule.monitor.on_trip = schedule.stop
    if settings.deadline is not None:
        reason = f"the session reached --max-time {settings.max_time:g} s before every scenario finished: raise --max-time"
        loop.call_at(loop.time() + settings.deadline - time.monotonic(), schedule.stop, reason)
    interrupt = functools.partial(schedule.stop, interrupted=True)
    routed = signals.routed(lambda reason: loop.call_soon_threadsafe(interrupt, reason)) if signals else nullcontext()
    ticker = asyncio.create_task(_tick(schedule.monitor, on_progress)) if on_progress else None
    try:
        with routed:
            campaign = await _probe_and_run(target, scenarios, settings, schedule, probe_trace)
    finally:
        if ticker is not None:
            ticker.cancel()
    if on_progress is not None:
        on_progress(schedule.monitor.snapshot(), True)
    return campaign


async def _probe_and_run(
    target: Target, scenarios: Sequence[AnyScenario], settings: Settings, schedule: _Schedule,
    probe_trace: list[Exchange],
) -> Campaign:  # fmt: skip
    async with AsyncExitStack() as clients:
        pool = tuple([await clients.enter_async_context(open_client(url, target.headers, settings.wait_timeout + 5))
                      for url in target.urls])  # fmt: skip
        return await _probe_then_run(pool, target, scenarios, settings, schedule, probe_trace)


async def _probe_then_run(
    pool: tuple[httpx.AsyncClient, ...], target: Target, scenarios: Sequence[AnyScenario], settings: Settings,
    schedule: _Schedule, probe_trace: list[Exchange],
) -> Campaign:  # fmt: skip
    schedule.probing = asyncio.create_task(_probe(pool, target, settings, schedule.monitor, probe_trace))
    try:
        info = await schedule.probing
    except asyncio.CancelledError:
        if schedule.stopped is None:
            raise
        raise schedule.stopped from None
    except HarnessError:
        raise
    except (Deviation, NotReached, TimedOut) as exc:  # never a verdict: the probe only learns whether it can test
        raise HarnessError(f"the probe could not finish: {target.redact(str(exc))}") from None
    except Exception as exc:  # a defect of the suite is a harness error too, in one line
        raise HarnessError(f"suite defect in the probe: {type(exc).__name__}: {target.redact(str(exc))}") from None
    schedule.probing = None
    results = {r.scenario: r for r in await _run_all(pool, target, info, settings, scenarios, schedule)}
    blame_endpoints([s for s in scenarios if isinstance(s, Scenario)], results)
    return Campaign(info, results, schedule.stopped)


async def _probe(
    pool: tuple[httpx.AsyncClient, ...], target: Target, settings: Settings, monitor: Monitor, trace: list[Exchange]
) -> TargetInfo:
    """The probe, on the first replica; then, given several, a check that they share state."""
    info = await probe(Http(pool[0], trace, monitor, "probe"), target, settings)
    tags = {"conformance_suite": SUITE_TAG, "conformance_session": settings.session}
    await check_shared_state(Http(pool, trace, monitor, "probe"), target, tags)
    return info


async def _run_all(
    client: Pool, target: Target, info: TargetInfo, settings: Settings, scenarios: Sequence[AnyScenario],
    schedule: _Schedule,
) -> list[ScenarioResult]:  # fmt: skip
    capacity = info.capacity or assumed_one("not probed")
    monitor = schedule.monitor
    # never more runs executing than the probe saw executing at once: a wait that runs out is then judged
    # within what is proven (conformance.core.room), also where the target may execute more ("at least")
    monitor.capacity = capacity.runs
    admission = _Admission(settings.concurrency, monitor)
    monitor.queued = sum(not s.server_wide for s in scenarios)  # the breaker trips only while these wait

    async def one(scenario: AnyScenario) -> ScenarioResult:
        skipped = _cannot_run(scenario, info, settings)
        if skipped:
            if not scenario.server_wide:
                monitor.scenario_started()
            result = ScenarioResult(scenario.id, skipped=skipped)
        else:
            try:
                async with admission.admit(scenario.executing):
                    if schedule.stopped is not None:
                        raise asyncio.CancelledError
                    if not scenario.server_wide:
                        monitor.scenario_started()
                    run = _runner_of(scenario)(client, target, info, settings, scenario, monitor)  # type: ignore[arg-type]
                    schedule.runs[scenario.id] = run
                    result = await run.execute()
            except asyncio.CancelledError:  # stopped while it waited for its turn
                if schedule.stopped is None:
                    raise
                result = ScenarioResult(scenario.id, error=NOT_RUN)
        monitor.scenario_finished(result)
        return result

    controls = {s.control for s in scenarios if isinstance(s, Scenario) and s.control}
    for scenario in sorted(scenarios, key=lambda s: _order(s, controls)):
        if not scenario.server_wide:
            schedule.tasks[scenario.id] = asyncio.create_task(one(scenario))
    results = list(await asyncio.gather(*schedule.tasks.values()))
    for scenario in (s for s in scenarios if s.server_wide):  # alone, once the others have cleaned up
        schedule.tasks[scenario.id] = asyncio.create_task(one(scenario))
        results.append(await schedule.tasks[scenario.id])
    if schedule.stopped is not None:
        _explain_stop(results, schedule)
    return results


def _order(scenario: AnyScenario, controls: set[str]) -> int:
    """Controls first (a session cut short must still tell a failing endpoint from a failing strategy:
    ``conformance.session.endpoints``), then what may wait a whole ``--wait-timeout`` (the wait overlaps the rest),
    then the rest, in their order."""
    if scenario.id in controls:
        return 0
    return 1 if isinstance(scenario, Scenario) and scenario.may_wait_long else 2


class _Admission:
    """Scenarios in flight: at most ``--concurrency`` at once, and no more runs executing than the target can."""

    def __init__(self, concurrency: int, monitor: Monitor) -> None:
        self.concurrency = concurrency
        self.monitor = monitor
        self.running = 0
        self.changed = asyncio.Condition()

    @asynccontextmanager
    async def admit(self, executing: int) -> AsyncIterator[None]:
        """Wait until the scenario fits, then hold its place (and its runs) until it ends."""
        async with self.changed:
            await self.changed.wait_for(lambda: self.running < self.concurrency and (
                self.monitor.executing == 0 or self.monitor.executing + executing <= self.monitor.capacity))
            self.running += 1
            self.monitor.executing += executing
        try:
            yield
        finally:
            async with self.changed:
                self.running -= 1
                self.monitor.executing -= executing
                self.changed.notify_all()


def _runner_of(scenario: AnyScenario) -> Callable[..., ScenarioRun | ApiRun | RaceRun | FaultRun]:
    """What executes a scenario of this kind (a scripted one makes its SDK calls through the SDK lane)."""
    if isinstance(scenario, ApiScenario):
        return ApiRun
    if isinstance(scenario, Nemesis):
        return FaultRun
    return RaceRun if isinstance(scenario, Storm) else functools.partial(ScenarioRun, sdk=call_sdk)


def _cannot_run(scenario: AnyScenario, info: TargetInfo, settings: Settings) -> str | None:
    """Why ``scenario`` cannot run here (the reason it is skipped with), or None."""
    needed: set[str] = set()
    if isinstance(scenario, ApiScenario):
        needed = {g.path for g in scenario.generated}
    elif isinstance(scenario, Scenario):
        needed = required_paths(scenario)
    missing = sorted(needed - info.paths) if info.paths is not None else []
    if missing:
        return f"the target's OpenAPI spec has no {', '.join(missing)}"
    if isinstance(scenario, Nemesis) and not any(f.name == scenario.fault for f in settings.faults):
        return f"--faults names no {scenario.fault!r} fault"
    if scenario.server_wide and not settings.dedicated:
        return NOT_DEDICATED
    if info.holds is None and scenario.holds:
        return ("it holds a run in a node, and the target shows no held run: no store the graph shares, and the "
                "thread's state shows nothing while a run is in flight (durability 'exit'?): give the graph a store, "
                "or checkpoint during runs (durability 'async' or 'sync')")  # fmt: skip
    if isinstance(scenario, Scenario) and scenario.commands and info.commands_note:
        return info.commands_note
    if isinstance(scenario, Scenario) and scenario.sockets and info.socket_note:
        return info.socket_note
    if isinstance(scenario, Scenario) and scenario.starts_held and info.start_note:
        return f"it holds a run while its graph is being built, and {info.start_note}"
    capacity = info.capacity
    if capacity is not None and not capacity.admits(scenario.executing):
        if not capacity.measured:
            return (f"it needs {scenario.executing} runs executing at once, and the target's capacity could not be "
                    f"measured: {capacity.note}; the probe counts held runs through the store the graph shares, "
                    "else runs it sees running (or whose input is in the state while they run): give the deployment "
                    "a store the suite can read, or checkpoint during runs")  # fmt: skip
        return (f"it needs {scenario.executing} runs executing at once, and the target executes {capacity.note}: "
                "a capability of the deployment; give it more workers (langgraph dev: --n-jobs-per-worker N)")  # fmt: skip
    if "js" in scenario.sdks:
        return js_sdk_missing()
    return None


def _explain_stop(results: list[ScenarioResult], schedule: _Schedule) -> None:
    """Each scenario the stop cut short, and each whose wait stalled the breaker, carries the reason as an error."""
    assert schedule.stopped is not None
    reason = schedule.stopped.reason
    breaker = schedule.monitor.breaker
    stalled = set(breaker.stalls) if breaker.tripped == reason else set()
    for result in results:
        if result.error in (NOT_RUN, CUT_SHORT):
            result.error = f"{result.error}: {reason}"
        elif result.scenario in stalled and not result.error:
            result.error = f"{reason}; here: {result.deviation}"


async def _tick(monitor: Monitor, on_progress: Progress) -> None:
    while True:
        await asyncio.sleep(PROGRESS_INTERVAL)
        on_progress(monitor.snapshot(), False)
