"""Double texting: a new run on a thread whose earlier run is still in flight."""

from __future__ import annotations

from conformance.requirements._model import DOC_DOUBLE_TEXTING, SEED, Level, Requirement

__all__ = ["DOUBLE_TEXTING"]

DOUBLE_TEXTING: tuple[Requirement, ...] = (
    Requirement(
        "DT-ROLLBACK-DELETES-FIRST",
        Level.MUST,
        "A run rolled back by a double-text is deleted (GET answers 404, the runs list omits it) "
        "and the thread then holds the second run's messages only.",
        SEED,
    ),
    Requirement(
        "DT-INTERRUPT-KEEPS-FIRST",
        Level.MUST,
        "A run interrupted by a double-text is kept with status interrupted, its partial output "
        "stays in the thread, and the second run continues from it to success.",
        DOC_DOUBLE_TEXTING,
    ),
    Requirement(
        "DT-ENQUEUE-RUNS-IN-ORDER",
        Level.MUST,
        "A run enqueued by a double-text waits for the first run and then runs: both succeed and "
        "the thread holds the first conversation, then the second.",
        DOC_DOUBLE_TEXTING,
    ),
    Requirement(
        "DT-REJECT-CHANGES-NOTHING",
        Level.MUST,
        "A double-text with reject is refused with a 4xx and creates no run; the first run goes on "
        "to success and the thread holds its conversation alone.",
        DOC_DOUBLE_TEXTING,
    ),
    Requirement(
        "DT-REJECT-409",
        Level.SHOULD,
        "A double-text refused by reject answers HTTP 409 Conflict.",
        DOC_DOUBLE_TEXTING,
    ),
)
