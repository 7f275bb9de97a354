"""How a scenario execution of any lane ends: what stopped it early, and its bounded clean-up."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager

from conformance.core.errors import Deviation, HarnessError, NotReached, TimedOut
from conformance.core.results import CUT_SHORT, ScenarioResult

__all__ = ["CLEANUP_TIMEOUT", "bounded_clean_up", "ended_early"]

CLEANUP_TIMEOUT = 10.0  # at most, for a scenario's final look and clean-up: a stopped session exits promptly


@contextmanager
def ended_early(result: ScenarioResult, shown: Callable[[str], str]) -> Iterator[None]:
    """Record why the block ended early: the campaign's stop (no verdict), a deviation (a failure), a
    situation not reached, a wait that ran out (a failure only where the target had room: ``conformance.core.room``),
    a harness error, or a suite defect (a harness error too, never a verdict). ``shown`` redacts the text."""
    try:
        yield
    except asyncio.CancelledError:
        task = asyncio.current_task()
        if task is not None:  # take back the campaign's cancellation: the clean-up's own timeouts must work
            task.uncancel()
        result.error = CUT_SHORT
    except Deviation as exc:
        result.deviation = shown(str(exc))
    except NotReached as exc:
        result.not_reached = shown(str(exc))
    except TimedOut as exc:
        if exc.room:
            result.deviation = shown(f"{exc}, although the target had room: {exc.why}")
        else:
            result.not_reached = shown(f"{exc}; no verdict: {exc.why}")
    except HarnessError as exc:
        result.error = shown(str(exc))
    except Exception as exc:
        result.error = shown(f"suite defect: {type(exc).__name__}: {exc}")


async def bounded_clean_up(result: ScenarioResult, clean_up: Awaitable[None], bound: float) -> None:
    """Await ``clean_up`` for ``bound`` seconds at most; a slower target leaves a note among the leftovers."""
    try:
        async with asyncio.timeout(bound):
            await clean_up
    except TimeoutError:
        result.leftovers.append(f"clean-up stopped after {bound:g} s: the target is too slow")
