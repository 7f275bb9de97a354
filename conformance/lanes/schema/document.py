"""The contract document of the schema lane: the reference's OpenAPI, read from the installed ``langgraph-api``.

Never a copy in this repository, never the target's own document (a server must not grade
itself). The reference answers a few things its document does not describe; those are the
practical contract, so each is written down here as an amendment, with what the reference
does, and applied before any answer is judged.
"""

from __future__ import annotations

import copy
import functools
import json
from dataclasses import dataclass
from importlib import metadata
from typing import Any

import schemathesis
from schemathesis.schemas import BaseSchema

from conformance.core.errors import HarnessError

__all__ = ["AMENDMENTS", "Amendment", "reference_document", "reference_schema"]

_PACKAGE = "langgraph-api"


@dataclass(frozen=True)
class Amendment:
    """A property of a component schema that the reference answers as null, though the document says otherwise."""

    schema: str
    property: str
    reason: str


AMENDMENTS: tuple[Amendment, ...] = (
    Amendment("Thread", "values", "a thread no run has touched answers values: null"),
    Amendment("ThreadState", "parent_checkpoint", "the first checkpoint of a thread answers parent_checkpoint: null"),
)


@functools.cache
def reference_document() -> dict[str, Any]:
    """The reference's OpenAPI document as its package ships it (no amendment)."""
    try:
        files = metadata.files(_PACKAGE) or []
        shipped = next(f for f in files if f.name == "openapi.json")
        return json.loads(shipped.locate().read_text())
    except (metadata.PackageNotFoundError, StopIteration, OSError, ValueError) as exc:
        raise HarnessError(f"cannot read the OpenAPI document of the installed {_PACKAGE}: {exc}") from None


@functools.cache
def reference_schema() -> BaseSchema:
    """The document with its amendments, loaded by schemathesis (requests generated from it, answers judged by it)."""
    document = copy.deepcopy(reference_document())
    schemas = document["components"]["schemas"]
    for amendment in AMENDMENTS:
        prop = schemas[amendment.schema]["properties"]
        prop[amendment.property] = {"anyOf": [prop[amendment.property], {"type": "null"}]}
    return schemathesis.openapi.from_dict(document)
