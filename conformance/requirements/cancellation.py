"""Cancelling runs: one run with an action, or many in one request."""

from __future__ import annotations

from conformance.requirements._model import DOC_API, REFERENCE, Level, Requirement

__all__ = ["CANCELLATION"]

MUST, SHOULD = Level.MUST, Level.SHOULD

CANCELLATION: tuple[Requirement, ...] = (
    Requirement("CANCEL-INTERRUPT-KEEPS-RUN", MUST,
                "Cancelling with action=interrupt keeps the run, with status interrupted.", DOC_API),
    Requirement("CANCEL-INTERRUPT-KEEPS-PARTIAL", MUST,
                "Cancelling with action=interrupt keeps the run's input and completed steps in the thread.",
                DOC_API),
    Requirement("CANCEL-ROLLBACK-DELETES-RUN", MUST,
                "Cancelling with action=rollback deletes the run: GET of it answers 404.", DOC_API),
    Requirement("CANCEL-ROLLBACK-CLEARS-STATE", MUST,
                "Cancelling with action=rollback removes the run's input and steps from the thread.", DOC_API),
    Requirement("CANCEL-ACCEPTED", MUST,
                "Cancelling a pending or running run answers 2xx.", DOC_API),
    Requirement("CANCEL-STOPS-RUN", MUST,
                "A cancelled run executes nothing more: the node it was in ends without completing, and no node "
                "of it begins after the cancel was answered (without wait: once the run shows it settled).", DOC_API),
    Requirement("CANCEL-WAIT-SETTLES", SHOULD,
                "With wait=1 the cancel answers only once the run is settled (interrupted, or deleted).",
                REFERENCE),
    Requirement("CANCEL-FINISHED-REFUSED", MUST,
                "Cancelling a run that already finished answers a 4xx and leaves it as it was.", DOC_API),
    Requirement("CANCEL-MANY-BY-IDS", MUST,
                "POST /runs/cancel with a thread and run ids cancels each of those runs.", DOC_API),
    Requirement("CANCEL-MANY-BY-STATUS", MUST,
                "POST /runs/cancel with a status cancels the runs in that status, and no run in another.", DOC_API),
)  # fmt: skip
