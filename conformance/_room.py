"""Whether a wait that ran out is evidence: the one rule, read by the monitor for the breaker and the checks.

A wait on the target that times out is a violation only where the contract promises the
event and the target had room to make it happen. The inputs are named: the capacity the
probe measured (runs the target executes at once), how many runs the session had admitted
to execute when the wait ran out, and whether any other run reached a hold or finished
while it waited. Without progress elsewhere the target did nothing at all (a stall, for the
breaker); with more runs executing than it can run, the wait may only have queued.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Room", "had_room"]


@dataclass(frozen=True)
class Room:
    """What the session knew when a wait ran out."""

    capacity: int
    """Runs the target executes at once, as probed (1 where it cannot show holds)."""
    executing: int
    """Runs the session had admitted to execute at once (each running scenario's declared count)."""
    progressed: bool
    """Whether another run reached a hold or finished while this wait went on."""


def had_room(room: Room) -> tuple[bool, str]:
    """Whether the target had room to end the wait, and the words that say why (or why not)."""
    if not room.progressed:
        return False, "no run of the session reached a hold or finished meanwhile: the target made no progress"
    if room.executing > room.capacity:
        return False, (f"the session had {room.executing} runs executing, more than the {room.capacity} the "
                       "target executes at once")  # fmt: skip
    return True, (f"other runs progressed meanwhile, and the session had {room.executing} of the "
                  f"{room.capacity} runs the target executes at once")  # fmt: skip
