"""The gate: levels, baseline and exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from conformance._errors import HarnessError
from conformance._gate import EXIT_CODES, Gate, decide, load_baseline

MUST, SHOULD = "DT-REJECT-REFUSED", "DT-REJECT-409"


def test_all_passed_is_conformant() -> None:
    assert decide([(MUST, "passed"), (SHOULD, "passed")], harness_error=False).verdict == "conformant"


def test_must_failure_fails_should_failure_only_at_level_should() -> None:
    assert decide([(MUST, "failed"), (SHOULD, "passed")], harness_error=False).verdict == "nonconformant"
    assert decide([(MUST, "passed"), (SHOULD, "failed")], harness_error=False).verdict == "conformant"
    assert decide([(MUST, "passed"), (SHOULD, "failed")], harness_error=False,
                  gate=Gate(level="should")).verdict == "nonconformant"  # fmt: skip


def test_harness_errors_and_nothing_verified_are_errors() -> None:
    assert decide([(MUST, "passed")], harness_error=True).verdict == "error"
    assert decide([(MUST, "passed"), (SHOULD, "error")], harness_error=False).verdict == "error"
    assert decide([(MUST, "skipped")], harness_error=False).verdict == "error"
    assert decide([], harness_error=False).verdict == "error"


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


def test_an_interrupted_session_is_never_judged() -> None:
    assert decide([(MUST, "passed")], harness_error=True, interrupted=True).verdict == "interrupted"
    assert decide([(MUST, "failed")], harness_error=False, interrupted=True).verdict == "interrupted"
