"""The double-texting contract under simultaneous double-texts: a multitask strategy is a lock.

Each is judged on recorded histories (every request and answer, every status seen, and the
fixture graph's own records of when each run entered and left a node), repeated on fresh
threads: a violation in any repetition fails the requirement, and the report says in how many.
"""

from __future__ import annotations

from conformance.requirements._model import DOC_DOUBLE_TEXTING, SEED, Level, Requirement

__all__ = ["RACES"]

MUST = Level.MUST

RACES: tuple[Requirement, ...] = (
    Requirement("RACE-REJECT-IDLE-ONE-WINNER", MUST,
                "Of simultaneous runs with reject on an idle thread, exactly one is created and every other is "
                "refused with a 4xx; the thread holds exactly one conversation.", DOC_DOUBLE_TEXTING),
    Requirement("RACE-REJECT-BUSY-ALL-REFUSED", MUST,
                "Simultaneous reject double-texts while a run is in flight are all refused with a 4xx, and the "
                "first run finishes alone.", DOC_DOUBLE_TEXTING),
    Requirement("RACE-ENQUEUE-SERIAL", MUST,
                "Simultaneous enqueue double-texts all succeed, never two runs of the thread execute at once, "
                "and the thread holds each conversation complete, in the order the runs were created.",
                DOC_DOUBLE_TEXTING),
    Requirement("RACE-INTERRUPT-ONE-SURVIVOR", MUST,
                "Of simultaneous interrupt double-texts, exactly one run ends success and every other is "
                "interrupted, never two execute at once, and the state holds nothing of a run that never "
                "started.", DOC_DOUBLE_TEXTING),
    Requirement("RACE-ROLLBACK-ONE-SURVIVOR", MUST,
                "Of simultaneous rollback double-texts, exactly one run survives and succeeds; every other "
                "answers 404 and is unlisted, and the thread holds the survivor's conversation only.", SEED),
    Requirement("RACE-CANCEL-AND-DOUBLE-TEXT", MUST,
                "A cancel of the running run and an enqueue double-text sent at the same instant: the first run "
                "ends interrupted, the second runs after it to success, never both executing.",
                DOC_DOUBLE_TEXTING),
)  # fmt: skip
