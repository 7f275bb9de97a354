"""How the suite paces itself against a target: one frozen record, read by the campaign and its scenarios."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from conformance.core.faults import Fault

__all__ = ["Settings"]


@dataclass(frozen=True)
class Settings:
    """How the suite paces itself against a target."""

    concurrency: int = 16
    wait_timeout: float = 30.0
    poll_interval: float = 0.02  # the first pause between two polls; each next one 1.5 times longer, up to:
    poll_interval_max: float = 0.25
    time_scale: float = 1.0
    timed_hold_seconds: float = 3.0
    storm: int = 6  # --storm: simultaneous double-texts per race repetition
    race_repeat: int | None = None  # --race-repeat: repetitions of each race scenario (None: its own fixed number)
    race_seed: int = 1  # --race-seed: draws the staggered schedule's offsets
    faults: tuple[Fault, ...] = ()  # --faults: what the fault lane injects and heals
    race_deadline: float | None = None  # the time.monotonic() after which no race repetition starts (--race-budget)
    dedicated: bool = False  # the target serves this session alone: server-wide scenarios may run
    max_time: float | None = None  # --max-time: seconds the whole session may take
    deadline: float | None = None  # the time.monotonic() by which it must have stopped
    session: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
