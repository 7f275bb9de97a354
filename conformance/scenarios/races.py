"""The race lane: storms of double-texts, one per strategy and schedule, judged on repeated histories.

Each storm runs under each schedule (``conformance.scenarios._race_model``); its id ends with
the schedule's name. The repetitions of each are fixed here, so that every target gets the same
amount of testing on any machine; they are sized in docs/lanes/race.md from the rates at which
the reference's own rollback-storm race shows.
"""

from __future__ import annotations

from dataclasses import replace

from conformance.scenarios._race_model import SCHEDULES, Schedule, Storm

__all__ = ["RACES"]

_STORMS: tuple[Storm, ...] = (
    Storm("race.reject-idle", "reject runs on an idle thread: one winner", "RACE-REJECT-IDLE-ONE-WINNER",
          "reject", first_in_flight=False, at_once=1),
    Storm("race.reject-busy", "reject double-texts on a busy thread: all refused",
          "RACE-REJECT-BUSY-ALL-REFUSED", "reject", at_once=1),
    Storm("race.enqueue", "enqueue double-texts: run one at a time, in creation order",
          "RACE-ENQUEUE-SERIAL", "enqueue"),
    Storm("race.interrupt", "interrupt double-texts: one survivor", "RACE-INTERRUPT-ONE-SURVIVOR",
          "interrupt"),
    Storm("race.rollback", "rollback double-texts: one survivor, every other run deleted",
          "RACE-ROLLBACK-ONE-SURVIVOR", "rollback"),
    Storm("race.cancel-and-enqueue", "a cancel of the running run and an enqueue double-text",
          "RACE-CANCEL-AND-DOUBLE-TEXT", "enqueue", cancel_first=True),
)  # fmt: skip

REPETITIONS: dict[Schedule, int] = {"simultaneous": 3, "staggered": 4, "unheld": 3}
"""Per schedule: enough to find a violation as frequent as the reference's rollback race with 95 % (docs)."""

RACES: tuple[Storm, ...] = tuple(
    replace(storm, id=f"{storm.id}.{schedule}", title=f"{storm.title} ({schedule})", schedule=schedule,
            repetitions=REPETITIONS[schedule])
    for storm in _STORMS for schedule in SCHEDULES
)  # fmt: skip
