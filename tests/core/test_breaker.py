"""The breaker's two rules, on made-up timings: silence while scenarios wait, and failed replies in a row."""

from __future__ import annotations

from conformance.core.breaker import FAILED_REPLIES_TO_TRIP, STALLS_TO_TRIP, Breaker


def test_waits_that_time_out_in_silence_trip_it() -> None:
    breaker = Breaker()
    breaker.progressed(at=1.0)
    for n in range(STALLS_TO_TRIP):
        assert breaker.tripped is None
        breaker.timed_out(f"s{n}", "second to reach its hold", progressed=False, queued=True)
    assert breaker.tripped is not None and "no progress" in breaker.tripped
    assert breaker.stalls == [f"s{n}" for n in range(STALLS_TO_TRIP)]
    breaker.progressed(at=9.0)  # once tripped, the evidence stays
    assert len(breaker.stalls) == STALLS_TO_TRIP


def test_a_wait_that_times_out_while_others_progress_is_a_verdict_not_a_stall() -> None:
    breaker = Breaker()
    for n in range(10):
        breaker.progressed(at=5.0 + n)  # other runs finish while the join below waits
        breaker.timed_out(f"s{n}", "second to finish (join)", progressed=True, queued=True)
    assert breaker.tripped is None and breaker.stalls == []


def test_progress_between_stalls_resets_the_count() -> None:
    breaker = Breaker()
    for n in range(3 * STALLS_TO_TRIP):
        breaker.timed_out(f"s{n}", "x", progressed=False, queued=True)
        if n % (STALLS_TO_TRIP - 1) == STALLS_TO_TRIP - 2:
            breaker.progressed(at=n + 0.5)
    assert breaker.tripped is None


def test_one_scenario_stalls_once_however_many_of_its_waits_time_out() -> None:
    breaker = Breaker()
    for _ in range(STALLS_TO_TRIP):
        breaker.timed_out("same", "an answer to GET /threads/<thread>/runs/<run>", progressed=False, queued=True)
    assert breaker.tripped is None and breaker.stalls == ["same"]


def test_nothing_left_to_start_nothing_to_save() -> None:
    breaker = Breaker()
    for n in range(STALLS_TO_TRIP + 2):
        breaker.timed_out(f"s{n}", "x", progressed=False, queued=False)
    assert breaker.tripped is None


def test_failed_replies_in_a_row_trip_it_and_one_answer_resets() -> None:
    breaker = Breaker()
    for _ in range(FAILED_REPLIES_TO_TRIP - 1):
        breaker.replied(503)
    breaker.replied(200)
    for _ in range(FAILED_REPLIES_TO_TRIP - 1):
        breaker.replied(None)
    assert breaker.tripped is None
    breaker.replied(500)
    assert breaker.tripped is not None and "5xx or not at all" in breaker.tripped
