"""What repetitions rule out, and the staggered schedule's seeded offsets."""

from __future__ import annotations

from conformance.lanes.race.power import Power, repetitions_for, rules_out
from conformance.lanes.race.runner import offsets
from conformance.scenarios._race_model import SCHEDULES
from conformance.scenarios.races import RACES, REPETITIONS


def test_no_violation_in_r_repetitions_rules_out_a_rate() -> None:
    assert [rules_out(r) for r in (1, 3, 5, 10, 40)] == [1, 1, 2, 3, 13]
    assert Power(40, 40, 0).statement() == ("no violation in 40 repetitions: a violation occurring in 1 of 13 "
                                            "repetitions or more would have been seen with 95% probability")  # fmt: skip
    assert "a violation occurring in 63% of repetitions or more" in Power(3, 3, 0).statement()
    for rate in (0.9, 0.5, 0.2, 0.05):  # the repetitions sized for a rate do find it with 95 %
        assert 1 - (1 - rate) ** repetitions_for(rate) >= 0.95 > 1 - (1 - rate) ** (repetitions_for(rate) - 1)


def test_a_budget_that_cut_repetitions_says_underpowered() -> None:
    assert Power(2, 3, 0).statement().startswith("underpowered: --race-budget let 2 of 3 repetitions run; no violation")
    assert Power(3, 3, 1).statement() == "violated in 1 of 3 repetitions" and not Power(3, 3, 1).underpowered


def test_one_seed_one_schedule() -> None:
    names = [f"dt{k}" for k in range(1, 7)]
    first = offsets(1, "race.rollback.staggered", 1, names, 0.5)
    assert first == offsets(1, "race.rollback.staggered", 1, names, 0.5)
    assert first != offsets(2, "race.rollback.staggered", 1, names, 0.5)
    assert first != offsets(1, "race.rollback.staggered", 2, names, 0.5)
    assert all(0 <= at < 0.5 for at in first.values()) and len(set(first.values())) == len(names)


def test_one_scenario_per_requirement_and_schedule() -> None:
    ids = {(storm.requirement, storm.schedule): storm.id for storm in RACES}
    assert len(ids) == len(RACES) == 6 * len(SCHEDULES)
    assert all(scenario.endswith(f".{schedule}") for (_, schedule), scenario in ids.items())
    # the reference's unheld rollback race shows in 10 of 10 (docs/lanes/race.md): 3 find it with 95 %
    assert REPETITIONS["unheld"] >= repetitions_for(0.74)
