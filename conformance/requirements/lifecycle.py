"""The run and thread lifecycle around double texting: statuses, state updates, stateless runs."""

from __future__ import annotations

from conformance.requirements._model import DOC_API, DOC_DOUBLE_TEXTING, DOC_HUMAN, REFERENCE, Level, Requirement

__all__ = ["LIFECYCLE"]

MUST, SHOULD = Level.MUST, Level.SHOULD

LIFECYCLE: tuple[Requirement, ...] = (
    Requirement("THREAD-BUSY-WHILE-IN-FLIGHT", SHOULD,
                "A thread reports status busy while one of its runs is pending or running.", DOC_API),
    Requirement("THREAD-IDLE-AFTER-SUCCESS", MUST,
                "A thread reports status idle once its last run has succeeded.", DOC_API),
    Requirement("THREAD-INTERRUPTED-WAITING-HUMAN", SHOULD,
                "A thread waiting on a human interrupt reports status interrupted.", DOC_HUMAN),
    Requirement("THREAD-ERROR-AFTER-FAILURE", SHOULD,
                "A thread whose last run failed reports status error.", DOC_API),
    Requirement("RUN-ERROR-AFTER-FAILURE", MUST,
                "A run whose graph raises ends with status error.", DOC_API),
    Requirement("STATE-UPDATE-IN-FLIGHT-REFUSED", SHOULD,
                "Updating the thread state while a run is in flight is refused with a 4xx, and the run goes "
                "on unharmed.", REFERENCE),
    Requirement("STATE-UPDATE-IN-FLIGHT-409", SHOULD,
                "Updating the thread state while a run is in flight answers HTTP 409.", REFERENCE),
    Requirement("STATELESS-NEVER-DOUBLE-TEXTS", MUST,
                "A stateless run succeeds on a thread of its own, whatever its strategy, while a thread run "
                "is in flight; the thread run is untouched.", DOC_API),
    Requirement("RUN-IF-NOT-EXISTS-CREATES", MUST,
                "A run created with if_not_exists=create on an unknown thread id creates that thread and "
                "runs to success, whatever its strategy.", DOC_API),
    Requirement("THREAD-ONE-RUN-AT-A-TIME", MUST,
                "A thread executes one run at a time: no reply shows two of its runs running, and a run waiting "
                "behind another begins no node while that one runs.", DOC_DOUBLE_TEXTING),
    Requirement("RUN-AFTER-SECONDS-DELAYS", MUST,
                "A run created with after_seconds stays pending, and begins no node, until that many seconds have "
                "passed.", DOC_API),
    Requirement("RUN-SCOPED-TO-THREAD", MUST,
                "A run is reached only through its own thread: GET, join and cancel of it through another thread's "
                "id answer 404 and leave it as it was, and another thread's runs list does not hold it.", DOC_API),
    Requirement("THREAD-DELETE-STOPS-RUNS", SHOULD,
                "Deleting a thread stops the run executing on it: the node it was in ends without completing, and "
                "no node of it begins after the delete was answered.", DOC_API),
    Requirement("HISTORY-LIMIT-DOCUMENTED", SHOULD,
                "POST /threads/{thread_id}/history accepts every limit its document allows, up to 1000.", DOC_API),
)  # fmt: skip
