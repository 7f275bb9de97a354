"""The multitask contract through faults: a replica or the server killed, or paused, while runs are in flight.

The contract does not stop at a crash: a strategy is a lock, a rolled-back run leaves nothing.
What the docs leave open (whether a node may run again after a crash) is an observation.
"""

from __future__ import annotations

from conformance.requirements._model import (
    DOC_API,
    DOC_DOUBLE_TEXTING,
    DOC_TASK_QUEUE,
    SEED,
    Level,
    Requirement,
)

__all__ = ["FAULTS"]

FAULTS: tuple[Requirement, ...] = (
    Requirement("FAULT-NO-RUN-LOST", Level.SHOULD,
                "Every run whose creation was accepted reaches a terminal status, or answers 404 after a rollback "
                "replaced it, within --wait-timeout after the fault is healed.", DOC_TASK_QUEUE),
    Requirement("FAULT-ONE-AT-A-TIME", Level.MUST,
                "Across a fault, never two runs of one thread execute at once.", DOC_DOUBLE_TEXTING),
    Requirement("FAULT-ROLLBACK-CLEAN", Level.MUST,
                "Across a fault, a rolled-back run leaves nothing of itself in the thread's state.", SEED),
    Requirement("FAULT-NODE-ONCE", Level.INFO,
                "No run completes the same node at the same step twice (the docs do not say whether a run "
                "resumed after a crash may repeat one).", DOC_TASK_QUEUE),
    Requirement("FAULT-THREAD-SETTLES", Level.SHOULD,
                "Once the fault is healed and a thread's runs have ended, the thread is no longer busy.", DOC_API),
)  # fmt: skip
