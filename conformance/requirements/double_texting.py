"""Double texting: a new run on a thread whose earlier run is still pending or running."""

from __future__ import annotations

from conformance.requirements._model import DOC_API, DOC_DOUBLE_TEXTING, REFERENCE, SEED, Level, Requirement

__all__ = ["DOUBLE_TEXTING"]

MUST, SHOULD = Level.MUST, Level.SHOULD

DOUBLE_TEXTING: tuple[Requirement, ...] = (
    # rollback
    Requirement("DT-ROLLBACK-FIRST-404", MUST,
                "A run rolled back by a double-text is deleted: GET of it answers 404.", SEED),
    Requirement("DT-ROLLBACK-FIRST-UNLISTED", MUST,
                "A run rolled back by a double-text is gone from the thread's runs list.", SEED),
    Requirement("DT-ROLLBACK-STATE-SECOND-ONLY", MUST,
                "After a rollback double-text the thread holds nothing of the rolled-back runs, its input "
                "included: only what came before them and the second run's messages.", SEED),
    Requirement("DT-ROLLBACK-HISTORY-CLEAN", MUST,
                "After a rollback double-text no checkpoint in the thread history names the rolled-back run.",
                DOC_DOUBLE_TEXTING),
    Requirement("DT-ROLLBACK-SECOND-SUCCEEDS", MUST,
                "The run that rolled back its predecessors runs to success.", SEED),
    # interrupt
    Requirement("DT-INTERRUPT-FIRST-INTERRUPTED", MUST,
                "A run interrupted by a double-text is kept, with status interrupted.", DOC_DOUBLE_TEXTING),
    Requirement("DT-INTERRUPT-KEEPS-PARTIAL", MUST,
                "After an interrupt double-text the thread keeps the interrupted run's input and completed "
                "steps, followed by the second run's messages.", DOC_DOUBLE_TEXTING),
    Requirement("DT-INTERRUPT-SECOND-SUCCEEDS", MUST,
                "The run that interrupted its predecessors runs to success.", DOC_DOUBLE_TEXTING),
    # enqueue
    Requirement("DT-ENQUEUE-SECOND-WAITS", MUST,
                "A run enqueued by a double-text stays pending while the first run is in flight.",
                DOC_DOUBLE_TEXTING),
    Requirement("DT-ENQUEUE-ALL-SUCCEED", MUST,
                "With enqueue, the first run and the enqueued run both run to success.", DOC_DOUBLE_TEXTING),
    Requirement("DT-ENQUEUE-IN-ORDER", MUST,
                "With enqueue, the thread holds the first conversation complete, then the second.",
                DOC_DOUBLE_TEXTING),
    Requirement("DT-ENQUEUE-CHAIN-ORDER", MUST,
                "Three or more runs enqueued on one thread run one at a time, in creation order.",
                DOC_DOUBLE_TEXTING),
    Requirement("DT-DEFAULT-IS-ENQUEUE", MUST,
                "A double-text without multitask_strategy behaves as enqueue.", DOC_DOUBLE_TEXTING),
    # reject
    Requirement("DT-REJECT-REFUSED", MUST,
                "A double-text with reject is refused: a 4xx, or through run.start an error answer (never accepted, "
                "never a 5xx).", DOC_DOUBLE_TEXTING),
    Requirement("DT-REJECT-409", SHOULD,
                "A double-text refused by reject answers HTTP 409 Conflict.", DOC_API),
    Requirement("DT-REJECT-NO-RUN", MUST,
                "A double-text refused by reject creates no run on the thread.", DOC_DOUBLE_TEXTING),
    Requirement("DT-REJECT-FIRST-CONTINUES", MUST,
                "After a reject double-text the first run goes on to success and the thread holds its "
                "conversation alone.", DOC_DOUBLE_TEXTING),
    # scope of double texting
    Requirement("DT-NOT-IN-FLIGHT-RUNS", MUST,
                "When the thread has no run pending or running (the earlier run finished), a new run starts "
                "normally whatever its strategy, and the earlier run is untouched.", DOC_DOUBLE_TEXTING),
    Requirement("DT-HUMAN-WAIT-NOT-IN-FLIGHT", SHOULD,
                "A thread waiting on a human interrupt has no run in flight: a new run starts whatever its "
                "strategy, reject included.", REFERENCE),
    Requirement("DT-PENDING-INTERRUPT-NEVER-RUNS", SHOULD,
                "A pending run interrupted by a double-text is marked interrupted and never executes.",
                REFERENCE),
    Requirement("DT-RUN-ECHOES-STRATEGY", SHOULD,
                "A run object reports the multitask_strategy it was created with.", DOC_API),
    Requirement("DT-STOPPED-RUN-STOPS", MUST,
                "A run that an interrupt or rollback double-text stopped executes nothing more: the node it was in "
                "ends without completing, and no node of it begins after the double-text was answered.",
                DOC_DOUBLE_TEXTING),
    Requirement("RUN-CREATE-NO-SERVER-ERROR", SHOULD,
                "A run created on a thread whose earlier run is in flight is never answered with a 5xx, whatever "
                "its strategy and endpoint (the document gives run creation no 5xx).", DOC_API),
    Requirement("DT-STRATEGY-PROMPT", SHOULD,
                "A double-text sent while the first run is executing takes effect without waiting for that run to "
                "end: a run that ends by itself while the double-text is outstanding was not waited for (the run "
                "creation routes answer at once with the run created).", DOC_API),
    Requirement("DT-REJECT-PROMPT", SHOULD,
                "A reject double-text sent while the first run is executing is answered while that run is still in "
                "flight, not once it has ended (the run creation routes answer a refusal at once).", DOC_API),
    Requirement("DT-REPLACEMENT-DOUBLE-TEXT", MUST,
                "A double-text that arrives while the previous double-text's run is still running applies "
                "its strategy to that run too.", DOC_DOUBLE_TEXTING),
)  # fmt: skip
