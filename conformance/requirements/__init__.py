"""The contract as data: every requirement the suite checks, by stable ID.

Each area of the contract is one module holding a tuple of ``Requirement`` records; the
registry below joins them and refuses duplicate IDs at import.
"""

from __future__ import annotations

from conformance.core.index import unique_by_id
from conformance.requirements._model import Level, Requirement
from conformance.requirements.api_shape import API_SHAPE
from conformance.requirements.cancellation import CANCELLATION
from conformance.requirements.clients import CLIENTS
from conformance.requirements.double_texting import DOUBLE_TEXTING
from conformance.requirements.faults import FAULTS
from conformance.requirements.joining import JOINING
from conformance.requirements.lifecycle import LIFECYCLE
from conformance.requirements.races import RACES
from conformance.requirements.thread_protocol import THREAD_PROTOCOL

__all__ = ["REQUIREMENTS", "Level", "Requirement", "requirement"]

REQUIREMENTS: dict[str, Requirement] = unique_by_id("requirement", DOUBLE_TEXTING, CANCELLATION, JOINING, LIFECYCLE, CLIENTS, API_SHAPE, RACES, FAULTS,
                                                   THREAD_PROTOCOL)


def requirement(req_id: str) -> Requirement:
    """The requirement with this ID (``KeyError`` names unknown IDs)."""
    try:
        return REQUIREMENTS[req_id]
    except KeyError:
        raise KeyError(f"unknown requirement ID {req_id!r}") from None
