"""The requirement catalog: IDs are pinned, unique and well formed."""

from __future__ import annotations

import re

import pytest

from conformance._index import unique_by_id
from conformance.requirements import REQUIREMENTS, Level, requirement

# Renaming or dropping an ID breaks every baseline and report that names it: change this
# list only on purpose.
PINNED = {
    "DT-ROLLBACK-DELETES-FIRST",
    "DT-INTERRUPT-KEEPS-FIRST",
    "DT-ENQUEUE-RUNS-IN-ORDER",
    "DT-REJECT-CHANGES-NOTHING",
    "DT-REJECT-409",
}


def test_ids_are_pinned() -> None:
    assert set(REQUIREMENTS) == PINNED


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
