"""Watching a run that a step stopped (an interrupt or rollback double-text, a cancel, a deleted thread): whether
its hold ends without completing, and what it writes once its hold ended. ``StayedStopped`` judges what was seen."""

from __future__ import annotations

import time

from conformance.core.errors import NotReached
from conformance.lanes.state import RunHandle, ScenarioState
from conformance.scenarios.transcripts import asked

__all__ = ["SETTLE_MIN", "watch_stop"]

SETTLE_MIN = 2.0
"""At least this long, what a stopped run writes once its hold ended is watched for (``_what_follows``)."""


async def watch_stop(state: ScenarioState, run: RunHandle, *, release: bool) -> None:
    """``WatchStop``: wait for the graph's record that ``run``'s hold ended, still holding it; where none comes
    within ``--wait-timeout`` (or with ``release``), let the hold go and wait for that record then. What was
    seen is noted on the run for ``StayedStopped``; a wait that runs out here is no verdict by itself."""
    run.stopped_at = time.time()
    if not run.token or not state.records:
        run.watch = "the target has no store the graph and the suite share: the run's records are unseen"
        return
    place, bound = run.start.hold_at, state.settings.wait_timeout

    async def ended() -> bool:
        return any(r.get("node") == place and r.get("event") == "exit" for r in await state.run_records(run.name))

    try:
        if not release:
            if await state.until(ended, f"the end of {run.name}'s hold at {place} (it was stopped)", bound):
                state.event(run.name, f"its hold at {place} ended while the suite held it")
                return
            run.watch = f"no end of its hold at {place} was on record {bound:g} s after it was stopped"
            state.event(run.name, f"{run.watch}: the suite lets the hold go")
        await state.release(run)
        if not await state.until(ended, f"the end of {run.name}'s hold at {place} (let go)", bound):
            run.watch += f"{'; ' if run.watch else ''}no end of its hold on record {bound:g} s after it was let go"
            return
        await _what_follows(state, run)
    except NotReached as exc:
        run.watch = str(exc)


async def _what_follows(state: ScenarioState, run: RunHandle) -> None:
    """Once the hold of a stopped run ended, watch the thread until the run's question is in its state (a run held
    at ``start`` writes it only then, where the server lets it go on), within the settle window: twice the queue
    pick-up the probe measured, at least ``SETTLE_MIN``. The server shows no end of a stopped run's work: a write
    later than that is not seen, and the report says how long was watched."""
    capacity = state.info.capacity
    settle = max(SETTLE_MIN, 2 * (capacity.pickup_s or 0.0) if capacity else 0.0)
    question = asked(run.start.ask)[0]

    async def written() -> bool:
        return question in await state.thread_messages()

    try:
        if not await state.until(written, f"what {run.name} writes once its hold ended", settle):
            state.event(run.name, f"nothing of it in the state {settle:g} s after its hold ended")
    except NotReached:  # no state to write into (a deleted thread): nothing to watch
        return
