"""Joining runs: waiting for a run's end, plain or as a stream."""

from __future__ import annotations

from conformance.requirements._model import DOC_API, REFERENCE, Level, Requirement

__all__ = ["JOINING"]

MUST, SHOULD = Level.MUST, Level.SHOULD

JOINING: tuple[Requirement, ...] = (
    Requirement("JOIN-DELETED-NOT-SUCCESS", MUST,
                "Joining a rolled-back run never looks like success: it answers 404 or a body that reports "
                "the error.", DOC_API),
    Requirement("JOIN-STREAM-DELETED-NOT-SUCCESS", MUST,
                "Joining the stream of a rolled-back run never looks like success: it answers 404 or an "
                "error event.", DOC_API),
    Requirement("JOIN-INTERRUPTED-RETURNS", SHOULD,
                "Joining an interrupted run answers 200 at once.", REFERENCE),
    Requirement("JOIN-STREAM-INTERRUPTED-ENDS", SHOULD,
                "Joining the stream of an interrupted run answers 200 and ends.", REFERENCE),
)  # fmt: skip
