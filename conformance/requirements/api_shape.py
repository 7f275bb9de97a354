"""The API's shape and what a server does with input it must refuse, judged against the reference's OpenAPI.

The document is the one the pinned ``langgraph-api`` ships, read from the installed package,
with the amendments the reference itself needs (``conformance/lanes/schema/document.py`` lists each
and why): the reference's own behaviour is the practical contract.
"""

from __future__ import annotations

from conformance.requirements._model import DOC_API, Level, Requirement

__all__ = ["API_SHAPE"]

MUST, SHOULD = Level.MUST, Level.SHOULD

API_SHAPE: tuple[Requirement, ...] = (
    Requirement("API-NO-SERVER-ERROR", MUST,
                "No request of the suite's hand-written set, valid or invalid, is answered with a 5xx.", DOC_API),
    Requirement("API-REFUSED-4XX", MUST,
                "An invalid request a client plausibly sends (a misspelt multitask_strategy, a wrong type, no "
                "assistant_id, malformed JSON, an unknown thread, assistant or run) is refused with a 4xx.",
                DOC_API),
    Requirement("API-REFUSED-DOCUMENTED-CODE", SHOULD,
                "Such a refusal answers the code the document gives it: 422 for invalid input, 404 for an "
                "unknown thread, assistant or run.", DOC_API),
    Requirement("API-REFUSAL-NAMES-PROBLEM", SHOULD,
                "Such a refusal's body names the problem: the field or value at fault, or the kind of resource "
                "not found.", DOC_API),
    Requirement("API-GENERATED-NO-SERVER-ERROR", SHOULD,
                "Requests generated from the document, valid and invalid, are never answered with a 5xx (the "
                "document gives no 5xx for these operations).", DOC_API),
    Requirement("API-RUN-REQUIRED-FIELDS", MUST,
                "Every run object the server answers carries each field the document marks required for a Run, "
                "with its declared type.", DOC_API),
    Requirement("API-BODIES-MATCH-DOCUMENT", SHOULD,
                "Run, thread, thread-state and error bodies match the document's schemas for the answered "
                "status.", DOC_API),
)  # fmt: skip
