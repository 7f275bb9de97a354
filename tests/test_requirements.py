"""The requirement catalog: IDs are pinned, unique and well formed."""

from __future__ import annotations

import re

import pytest

from conformance.core.index import unique_by_id
from conformance.requirements import REQUIREMENTS, Level, requirement
from conformance.requirements._model import REFERENCE

# Renaming or dropping an ID breaks every baseline and report that names it: change this
# list only on purpose.
PINNED = {
    "DT-ROLLBACK-FIRST-404",
    "DT-ROLLBACK-FIRST-UNLISTED",
    "DT-ROLLBACK-STATE-SECOND-ONLY",
    "DT-ROLLBACK-HISTORY-CLEAN",
    "DT-ROLLBACK-SECOND-SUCCEEDS",
    "DT-INTERRUPT-FIRST-INTERRUPTED",
    "DT-INTERRUPT-KEEPS-PARTIAL",
    "DT-INTERRUPT-SECOND-SUCCEEDS",
    "DT-ENQUEUE-SECOND-WAITS",
    "DT-ENQUEUE-ALL-SUCCEED",
    "DT-ENQUEUE-IN-ORDER",
    "DT-ENQUEUE-CHAIN-ORDER",
    "DT-DEFAULT-IS-ENQUEUE",
    "DT-REJECT-REFUSED",
    "DT-REJECT-409",
    "DT-REJECT-NO-RUN",
    "DT-REJECT-FIRST-CONTINUES",
    "DT-NOT-IN-FLIGHT-RUNS",
    "DT-HUMAN-WAIT-NOT-IN-FLIGHT",
    "DT-PENDING-INTERRUPT-NEVER-RUNS",
    "DT-RUN-ECHOES-STRATEGY",
    "DT-REPLACEMENT-DOUBLE-TEXT",
    "DT-STOPPED-RUN-STOPS",
    "RUN-CREATE-NO-SERVER-ERROR",
    "CANCEL-INTERRUPT-KEEPS-RUN",
    "CANCEL-INTERRUPT-KEEPS-PARTIAL",
    "CANCEL-ROLLBACK-DELETES-RUN",
    "CANCEL-ROLLBACK-CLEARS-STATE",
    "CANCEL-ACCEPTED",
    "CANCEL-WAIT-SETTLES",
    "CANCEL-STOPS-RUN",
    "CANCEL-FINISHED-REFUSED",
    "CANCEL-MANY-BY-IDS",
    "CANCEL-MANY-BY-STATUS",
    "JOIN-DELETED-NOT-SUCCESS",
    "JOIN-STREAM-DELETED-NOT-SUCCESS",
    "JOIN-INTERRUPTED-RETURNS",
    "JOIN-STREAM-INTERRUPTED-ENDS",
    "THREAD-BUSY-WHILE-IN-FLIGHT",
    "THREAD-IDLE-AFTER-SUCCESS",
    "THREAD-INTERRUPTED-WAITING-HUMAN",
    "THREAD-ERROR-AFTER-FAILURE",
    "RUN-ERROR-AFTER-FAILURE",
    "STATE-UPDATE-IN-FLIGHT-REFUSED",
    "STATE-UPDATE-IN-FLIGHT-409",
    "STATELESS-NEVER-DOUBLE-TEXTS",
    "RUN-IF-NOT-EXISTS-CREATES",
    "HISTORY-LIMIT-DOCUMENTED",
    "THREAD-ONE-RUN-AT-A-TIME",
    "RUN-AFTER-SECONDS-DELAYS",
    "RUN-SCOPED-TO-THREAD",
    "THREAD-DELETE-STOPS-RUNS",
    "SDK-ROLLBACK-GET-RAISES-404",
    "SDK-ROLLBACK-STATE-SECOND-ONLY",
    "SDK-ROLLBACK-JOIN-NOT-SUCCESS",
    "SDK-INTERRUPT-FIRST-INTERRUPTED",
    "SDK-INTERRUPT-STATE-KEEPS-PARTIAL",
    "SDK-ENQUEUE-IN-ORDER",
    "SDK-REJECT-RAISES",
    "API-NO-SERVER-ERROR",
    "API-REFUSED-4XX",
    "API-REFUSED-DOCUMENTED-CODE",
    "API-REFUSAL-NAMES-PROBLEM",
    "API-GENERATED-NO-SERVER-ERROR",
    "API-RUN-REQUIRED-FIELDS",
    "API-BODIES-MATCH-DOCUMENT",
    "RACE-REJECT-IDLE-ONE-WINNER",
    "RACE-REJECT-BUSY-ALL-REFUSED",
    "RACE-ENQUEUE-SERIAL",
    "RACE-INTERRUPT-ONE-SURVIVOR",
    "RACE-ROLLBACK-ONE-SURVIVOR",
    "RACE-CANCEL-AND-DOUBLE-TEXT",
    "FAULT-NO-RUN-LOST",
    "FAULT-ONE-AT-A-TIME",
    "FAULT-ROLLBACK-CLEAN",
    "FAULT-NODE-ONCE",
    "FAULT-THREAD-SETTLES",
    "DT-STRATEGY-PROMPT",
    "DT-REJECT-PROMPT",
    "CMD-ANSWER-ENVELOPE",
    "CMD-UNKNOWN-METHOD",
    "CMD-RUN-START-RESOLVES",
    "CMD-REFUSAL-TYPED",
    "EVT-RUN-LIFECYCLE",
    "EVT-REJECT-SILENT",
    "EVT-ROLLBACK-TERMINAL",
    "EVT-SEQ-STABLE",
    "EVT-SINCE-RESUMES",
}


def test_ids_are_pinned() -> None:
    assert set(REQUIREMENTS) == PINNED


def test_catalog_is_large_enough_to_matter() -> None:
    assert len(REQUIREMENTS) >= 40


@pytest.mark.parametrize("req", list(REQUIREMENTS.values()), ids=list(REQUIREMENTS))
def test_requirement_is_well_formed(req) -> None:
    assert re.fullmatch(r"[A-Z]+(-[A-Z0-9]+)+", req.id)
    assert isinstance(req.level, Level)
    assert req.statement.endswith(".") and req.source


def test_duplicate_ids_are_refused() -> None:
    first = next(iter(REQUIREMENTS.values()))
    with pytest.raises(ValueError, match=f"duplicate requirement ID {first.id}"):
        unique_by_id("requirement", [first], [first])


def test_unknown_id_is_named() -> None:
    with pytest.raises(KeyError, match="NO-SUCH-ID"):
        requirement("NO-SUCH-ID")


def test_reference_behaviour_is_never_a_must() -> None:
    """Where only the reference shows a behaviour, the docs are silent: at most SHOULD."""
    assert [r.id for r in REQUIREMENTS.values() if r.source == REFERENCE and r.level is Level.MUST] == []
