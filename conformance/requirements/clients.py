"""The double-texting contract as a reader of the how-to meets it: through the official SDKs.

A server can answer every request right and still break a client that reads its answers in
another shape. These requirements are checked through ``langgraph-sdk`` (Python) and
``@langchain/langgraph-sdk`` (JS), each scenario once per SDK.
"""

from __future__ import annotations

from conformance.requirements._model import DOC_DOUBLE_TEXTING, SDK_DOCS, SEED, Level, Requirement

__all__ = ["CLIENTS"]

MUST = Level.MUST

CLIENTS: tuple[Requirement, ...] = (
    Requirement("SDK-ROLLBACK-GET-RAISES-404", MUST,
                "Through an official SDK, runs.get of a run rolled back by a double-text raises an HTTP error "
                "with status 404, as the how-to shows.", SEED),
    Requirement("SDK-ROLLBACK-STATE-SECOND-ONLY", MUST,
                "Through an official SDK, the thread state after a rollback holds the second run's four "
                "messages only.", SEED),
    Requirement("SDK-ROLLBACK-JOIN-NOT-SUCCESS", MUST,
                "Through an official SDK, runs.join of a rolled-back run never presents the deleted run as a "
                "successful result: it raises an HTTP error, or returns a value that carries the error.",
                SDK_DOCS),
    Requirement("SDK-INTERRUPT-FIRST-INTERRUPTED", MUST,
                "Through an official SDK, runs.get of a run interrupted by a double-text returns it with status "
                "interrupted, and the second run's runs.join returns after it succeeded.", DOC_DOUBLE_TEXTING),
    Requirement("SDK-INTERRUPT-STATE-KEEPS-PARTIAL", MUST,
                "Through an official SDK, the thread state after an interrupt holds the first run's partial "
                "output, then the second run's conversation.", DOC_DOUBLE_TEXTING),
    Requirement("SDK-ENQUEUE-IN-ORDER", MUST,
                "Through an official SDK, an enqueued double-text and the run before it both succeed, and the "
                "thread state holds their conversations in that order.", DOC_DOUBLE_TEXTING),
    Requirement("SDK-REJECT-RAISES", MUST,
                "Through an official SDK, runs.create with reject while a run is in flight raises an HTTP error "
                "with a 4xx status, and the thread then holds the first run's conversation only.",
                DOC_DOUBLE_TEXTING),
)  # fmt: skip
