"""The race lane: storms of simultaneous double-texts, one per strategy, judged on repeated histories."""

from __future__ import annotations

from conformance.scenarios._race_model import Storm

__all__ = ["RACES"]

RACES: tuple[Storm, ...] = (
    Storm("race.reject-idle", "simultaneous reject runs on an idle thread: one winner", "RACE-REJECT-IDLE-ONE-WINNER",
          "reject", first_in_flight=False),
    Storm("race.reject-busy", "simultaneous reject double-texts on a busy thread: all refused",
          "RACE-REJECT-BUSY-ALL-REFUSED", "reject"),
    Storm("race.enqueue", "simultaneous enqueue double-texts: run one at a time, in creation order",
          "RACE-ENQUEUE-SERIAL", "enqueue"),
    Storm("race.interrupt", "simultaneous interrupt double-texts: one survivor", "RACE-INTERRUPT-ONE-SURVIVOR",
          "interrupt"),
    Storm("race.rollback", "simultaneous rollback double-texts: one survivor, every other run deleted",
          "RACE-ROLLBACK-ONE-SURVIVOR", "rollback"),
    Storm("race.cancel-and-enqueue", "a cancel of the running run and an enqueue double-text at one instant",
          "RACE-CANCEL-AND-DOUBLE-TEXT", "enqueue", cancel_first=True),
)  # fmt: skip
