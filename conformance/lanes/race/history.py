"""What one repetition of a storm recorded: each run's answer and statuses, the state, and the graph's records."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["History", "Record", "RunSeen"]


@dataclass(frozen=True)
class Record:
    """One entry to or exit from a node, as the fixture graph wrote it (server time)."""

    run: str
    node: str
    event: str
    at: float


@dataclass
class RunSeen:
    """One run of the repetition: its question, the answer to its creation, and every status the suite saw."""

    name: str
    ask: str
    created: int | None = None  # HTTP status of its creation (None: not sent, or no answer)
    run_id: str | None = None
    created_at: str | None = None
    statuses: list[tuple[float, str]] = field(default_factory=list)  # (seconds into the repetition, status)
    final: str | None = None  # its status at the end, or "deleted (404)"
    listed: bool = False

    def saw(self, at: float, status: str) -> None:
        if not self.statuses or self.statuses[-1][1] != status:
            self.statuses.append((round(at, 3), status))


@dataclass
class History:
    """One repetition, on a thread of its own."""

    index: int
    started_wall: float = 0.0  # time.time() when the repetition began: maps the graph's records onto the timeline
    runs: dict[str, RunSeen] = field(default_factory=dict)
    answers: dict[str, int | None] = field(default_factory=dict)  # request label -> HTTP status
    state: list[str] = field(default_factory=list)
    records: list[Record] | None = None  # None: the target has no store (weaker evidence: polled statuses)
    offsets: dict[str, float] = field(default_factory=dict)
    """``staggered``: each request's seconds after the gate, as the seed drew them."""
    checkpointed: list[str] | None = None
    """The runs the thread's history names as writers of a checkpoint (None: the history cannot tell)."""
    violations: list[str] = field(default_factory=list)
    exchanges: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)
