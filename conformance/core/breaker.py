"""The circuit breaker: stop a session early once the target has stopped making progress.

Two signs, each decided from measurements (docs/robustness.md):

- **Silence.** A wait that times out while no run anywhere in the session reached a hold or
  finished is a *stall*: the target did nothing for a whole ``--wait-timeout``. After
  ``STALLS_TO_TRIP`` stalls with no progress between them, and while scenarios are still
  queued, the breaker trips. A wait that times out while other runs progress is a verdict on
  that scenario (a run that never finishes), never a stall.
- **Failed replies.** ``FAILED_REPLIES_TO_TRIP`` replies in a row that are 5xx or never came.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["FAILED_REPLIES_TO_TRIP", "STALLS_TO_TRIP", "Breaker"]

STALLS_TO_TRIP = 3
FAILED_REPLIES_TO_TRIP = 20


@dataclass
class Breaker:
    """Judges the target's progress from what the scenarios saw; ``tripped`` says why it stopped."""

    last_progress: float = float("-inf")
    stalls: list[str] = field(default_factory=list)  # scenario ids whose wait stalled since the last progress
    failed_replies: int = 0
    tripped: str | None = None

    def progressed(self, at: float) -> None:
        """A run reached a hold or finished at ``at`` (once tripped, the stalls that tripped it stay)."""
        if self.tripped is not None:
            return
        self.last_progress = max(self.last_progress, at)
        self.stalls.clear()

    def timed_out(self, scenario: str, what: str, *, progressed: bool, queued: bool) -> None:
        """A wait of ``scenario`` timed out; ``progressed``: another run moved meanwhile (``conformance.core.room``);
        ``queued``: scenarios wait to start."""
        if progressed or scenario in self.stalls:
            return  # something progressed while it waited (a verdict), or this scenario's stall is counted
        self.stalls.append(scenario)
        if len(self.stalls) >= STALLS_TO_TRIP and queued and self.tripped is None:
            self.tripped = (f"the target made no progress: waits of {len(self.stalls)} scenarios timed out while no run reached "
                            f"a hold or finished (last: {what})")  # fmt: skip

    def replied(self, status: int | None) -> None:
        """A reply arrived (``status``), or none did (``None``)."""
        if status is not None and status < 500:
            self.failed_replies = 0
            return
        self.failed_replies += 1
        if self.failed_replies >= FAILED_REPLIES_TO_TRIP and self.tripped is None:
            self.tripped = f"the target answered {self.failed_replies} requests in a row with HTTP 5xx or not at all"
