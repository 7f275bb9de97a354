"""The gate: evidence first, then what could not be judged; levels, baseline and exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from conformance.core.errors import HarnessError
from conformance.core.results import NOT_REACHED
from conformance.session.coverage import Unjudged, coverage_line, shorten, unjudged
from conformance.session.gate import EXIT_CODES, USAGE_ERROR, Gate, decide, load_baseline

MUST, SHOULD = "DT-REJECT-REFUSED", "DT-REJECT-409"
OTHER_MUST = "DT-ROLLBACK-FIRST-404"


def verdict(*pairs: tuple[str, str], harness_error: bool = False, gate: Gate = Gate()) -> str:
    return decide(pairs, harness_error=harness_error, gate=gate).verdict


def test_all_passed_is_conformant() -> None:
    assert verdict((MUST, "passed"), (SHOULD, "passed")) == "conformant"


def test_must_failure_fails_should_failure_only_at_level_should() -> None:
    assert verdict((MUST, "failed"), (SHOULD, "passed")) == "nonconformant"
    assert verdict((MUST, "passed"), (SHOULD, "failed")) == "conformant"
    assert verdict((MUST, "passed"), (SHOULD, "failed"), gate=Gate(level="should")) == "nonconformant"


@pytest.mark.parametrize("other", ["not_reached", "skipped", "passed", "failed"])
@pytest.mark.parametrize("harness_error", [False, True])
def test_a_proven_gated_failure_decides_whatever_else_happened(other: str, harness_error: bool) -> None:
    decision = decide([(MUST, "failed"), (MUST, other), (OTHER_MUST, other)], harness_error=harness_error)
    assert decision.verdict == "nonconformant" and MUST in decision.failed


def test_a_lane_whose_every_check_failed_is_nonconformant() -> None:
    assert verdict((MUST, "failed"), (OTHER_MUST, "failed")) == "nonconformant"


def test_not_reached_in_some_scenarios_is_no_evidence_either_way() -> None:
    assert verdict((MUST, "passed"), (MUST, "not_reached"), (OTHER_MUST, "passed")) == "conformant"


def test_a_gated_requirement_no_scenario_reached_is_an_error_with_its_name() -> None:
    decision = decide([(MUST, "not_reached"), (OTHER_MUST, "passed")], harness_error=False)
    assert (decision.verdict, decision.unjudged) == ("error", (MUST,))
    # below the gate level, unjudged is only reported
    assert verdict((MUST, "passed"), (SHOULD, "not_reached")) == "conformant"
    assert verdict((MUST, "passed"), (SHOULD, "not_reached"), gate=Gate(level="should")) == "error"


def test_skipped_everywhere_is_left_out_and_named() -> None:
    decision = decide([(MUST, "skipped"), (OTHER_MUST, "passed")], harness_error=False)
    assert (decision.verdict, decision.skipped) == ("conformant", (MUST,))
    assert verdict((MUST, "skipped"), (MUST, "not_reached"), (OTHER_MUST, "passed")) == "error"


def test_harness_errors_and_nothing_verified_are_errors() -> None:
    assert verdict((MUST, "passed"), harness_error=True) == "error"
    assert verdict((MUST, "skipped")) == "error"
    assert verdict() == "error"
    assert verdict((MUST, "not_reached")) == "error"


def test_baseline_excuses_listed_failures_and_reports_stale_entries() -> None:
    gate = Gate(baseline={MUST: "known bug"})
    decision = decide([(MUST, "failed"), (SHOULD, "passed")], harness_error=False, gate=gate)
    assert (decision.verdict, decision.excused, decision.stale) == ("conformant", (MUST,), ())
    decision = decide([(MUST, "passed")], harness_error=False, gate=gate)
    assert (decision.verdict, decision.stale) == ("conformant", (MUST,))
    strict = Gate(baseline={MUST: "known bug"}, strict_baseline=True)
    assert decide([(MUST, "passed")], harness_error=False, gate=strict).verdict == "nonconformant"


def test_baseline_file(tmp_path: Path) -> None:
    good = tmp_path / "good.toml"
    good.write_text(f'[expected_failures]\n{MUST} = "we answer 422"\n')
    assert load_baseline(good) == {MUST: "we answer 422"}
    bad = tmp_path / "bad.toml"
    bad.write_text('[expected_failures]\nNO-SUCH-ID = "x"\n')
    with pytest.raises(HarnessError, match="NO-SUCH-ID"):
        load_baseline(bad)


def test_exit_codes() -> None:
    assert EXIT_CODES == {"conformant": 0, "nonconformant": 1, "error": 2, "interrupted": 3}
    assert USAGE_ERROR == 4 and USAGE_ERROR not in EXIT_CODES.values()


def test_an_interrupted_session_is_never_judged() -> None:
    assert verdict((MUST, "passed"), harness_error=True) == "error"
    assert decide([(MUST, "passed")], harness_error=True, interrupted=True).verdict == "interrupted"
    assert decide([(MUST, "failed")], harness_error=False, interrupted=True).verdict == "interrupted"


def test_a_verdict_says_what_it_covered_and_why_the_rest_was_not_judged() -> None:
    decision = decide([(MUST, "skipped"), (OTHER_MUST, "passed"), (SHOULD, "failed")], harness_error=False)
    assert (decision.verdict, decision.gated, decision.judged) == ("conformant", (MUST, OTHER_MUST), (OTHER_MUST,))
    assert coverage_line(len(decision.judged), len(decision.gated), "must") == "1 of 2 MUST requirements judged"
    tests = [(MUST, "skipped", "it needs 2 runs executing at once (probed: 1): give it more workers (--n-jobs-per-worker N)"),
             (MUST, "skipped", "it needs 2 runs executing at once (probed: 1): give it more workers (--n-jobs-per-worker N)"),
             (OTHER_MUST, "passed", ""), (SHOULD, "failed", "a finding")]  # fmt: skip
    assert unjudged(decision, tests) == [Unjudged(MUST, "skipped", tests[0][2], 2)]
    should = decide([(MUST, "passed"), (SHOULD, "not_reached")], harness_error=False, gate=Gate(level="should"))
    assert [u.outcome for u in unjudged(should, [(SHOULD, "not_reached", f"{NOT_REACHED}a refused step")])] == ["not_reached"]
    assert unjudged(should, [(SHOULD, "not_reached", f"{NOT_REACHED}a refused step")])[0].cause == "a refused step"


def test_a_cause_is_shortened_at_a_word_keeping_its_remedy() -> None:
    cause = "it needs 2 runs at once, and the target executes 1 (probed: 1 of 16 held in 3.2 s): give it workers (--n-jobs 2)"
    assert shorten(cause, 90) == "it needs 2 runs at once, and the target executes 1: give it workers (--n-jobs 2)"
    assert shorten("word " * 40, 30) == "word word word word word word ..."
    assert shorten("short", 30) == "short"
