"""A mutant whose race only a staggered storm shows: the proof that the race lane's schedules find more.

``reject-lagging-read``: a thread's busy flag is cached for 0.4 s after a reject run is created on
it; after that, reads go to a replica 1.5 s behind. Rejects that arrive together (``simultaneous``)
all meet the cache, which is right; a reject that arrives 0.4 to 1.5 s after the winner meets the
lagging replica, which says idle, and gets in.
"""

from __future__ import annotations

import time

from tests.mutants.catalog import Exchange, Mutant

__all__ = ["SCHEDULE_MUTANTS"]

CACHED_S, LAG_S = 0.4, 1.5


def _reject_on_lagging_read(x: Exchange) -> None:
    if not (x.creates_run() and isinstance(x.body, dict) and x.body.get("multitask_strategy") == "reject"):
        return
    winners: dict[str, float] = x.memory.setdefault("winners", {})
    won = winners.get(x.thread())
    if won is None:
        winners[x.thread()] = time.monotonic()
    elif CACHED_S < time.monotonic() - won < LAG_S:  # the lagging replica has not seen the winner: "idle"
        x.body["multitask_strategy"] = "enqueue"


SCHEDULE_MUTANTS: dict[str, Mutant] = {
    "reject-lagging-read": Mutant("reject-lagging-read", ("RACE-REJECT-IDLE-ONE-WINNER",),
                                  on_request=_reject_on_lagging_read, lanes=("race",),
                                  note="a busy flag cached 0.4 s, then read from a replica 1.5 s behind"),
}  # fmt: skip
