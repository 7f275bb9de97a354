"""Whether a wait that ran out is evidence: the one rule, read by the monitor for the breaker and the checks.

A wait on the target that times out is a violation only where the contract promises the
event and the target had room to make it happen. The inputs are named: the capacity the
probe measured (runs the target executes at once), how many runs the session had admitted
to execute when the wait ran out, and whether any other run reached a hold or finished
while it waited. Without progress elsewhere the target did nothing at all (a stall, for the
breaker); with more runs executing than it can run, the wait may only have queued.

Where nothing else was there to progress (one scenario at a time, on a target that executes one
run at a time), "no progress elsewhere" tells nothing: a control run decides after the fact (a
plain run on a thread of its own, started when the wait ran out). If it finishes, the target was
working and had room; if not, the target stalled, and the wait is no verdict.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Room", "after_control", "alone", "had_room"]


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


def alone(room: Room) -> bool:
    """Whether the only reason for no room is that no other run progressed, within capacity."""
    return not room.progressed and room.executing <= room.capacity


def after_control(finished: bool, seconds: float) -> tuple[bool, str]:
    """The rule's answer once a control run was tried: room where it finished."""
    if finished:
        return True, (f"no other run was there to progress, but a control run started when the wait ran out "
                      f"finished in {seconds:.1f} s: the target was working")  # fmt: skip
    return False, "no other run progressed, and a control run started when the wait ran out did not finish either"
