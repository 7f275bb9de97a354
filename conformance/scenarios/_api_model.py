"""The vocabulary of the schema lane: invalid requests written by hand, and requests generated from the document.

A ``Refusal`` is one request a client plausibly gets wrong, with the code the document gives
its refusal. A ``Generated`` operation is sent ``examples`` valid and ``examples`` invalid
requests that schemathesis draws from the document, with a fixed seed. Path templates name
the scenario's own resources: ``{thread}`` its thread, ``{run}`` a finished run on it,
``{unknown}`` a fresh UUID no server knows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from conformance.scenarios._model import Lane, Sdk

__all__ = ["ApiScenario", "Generated", "Refusal"]


@dataclass(frozen=True)
class Refusal:
    """An invalid request; ``documented``: the code the document gives its refusal (None: any answer but a 5xx)."""

    id: str
    method: str
    path: str
    body: Any = None
    raw: bytes | None = None
    params: dict[str, str] = field(default_factory=dict)
    documented: int | None = 422
    names: tuple[str, ...] = ()
    """Words of which the refusal's body should contain one (case-insensitive)."""

    def __str__(self) -> str:
        answer = f"refused with {self.documented}" if self.documented else "answered without a 5xx"
        return f"{self.id}: {self.method} {self.path} is {answer}"


@dataclass(frozen=True)
class Generated:
    """One operation of the document, as it names it, and how its answers are judged."""

    method: str
    path: str
    run_objects: bool = False
    """Its answers carry run objects: each must hold the Run's required fields."""
    bodies: bool = True
    """Its answers' bodies are judged against the document."""
    valid: bool = True
    """Valid requests are generated too (an operation that would wait on a run gets invalid ones only)."""

    def __str__(self) -> str:
        kinds = "valid and invalid" if self.valid else "invalid"
        return f"{self.method} {self.path}: {kinds} requests generated from the document"


@dataclass(frozen=True)
class ApiScenario:
    """Requests on a fresh thread of the scenario's own (and a finished run on it), judged by requirement."""

    id: str
    title: str
    refusals: tuple[Refusal, ...] = ()
    generated: tuple[Generated, ...] = ()
    requirement_ids: tuple[str, ...] = ()
    lane: Lane = "schema"
    create_thread: bool = True
    server_wide: bool = False

    @property
    def steps(self) -> tuple[Refusal | Generated, ...]:
        """What it sends, in order."""
        return (*self.refusals, *self.generated)

    @property
    def sdks(self) -> set[Sdk]:
        return set()

    @property
    def holds(self) -> bool:
        """Whether it holds runs in a node and waits to see them held."""
        return False

    @property
    def executing(self) -> int:
        """Runs the target must execute at once: the scenario's runs are on its own thread, one at a time."""
        return 1
