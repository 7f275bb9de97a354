"""The verdict and exit-code policy."""

from __future__ import annotations

from conformance._verdict import EXIT_CODES, GATE_LEVELS, verdict
from conformance.requirements import Level

MUST, SHOULD = Level.MUST, Level.SHOULD


def test_all_passed_is_conformant() -> None:
    assert verdict([("passed", MUST), ("passed", SHOULD)], harness_error=False) == "conformant"


def test_must_failure_is_nonconformant_should_failure_is_not_by_default() -> None:
    assert verdict([("passed", MUST), ("failed", MUST)], harness_error=False) == "nonconformant"
    assert verdict([("passed", MUST), ("failed", SHOULD)], harness_error=False) == "conformant"
    assert verdict([("passed", MUST), ("failed", SHOULD)], harness_error=False, gate=GATE_LEVELS["should"]) == "nonconformant"


def test_harness_errors_and_nothing_verified_are_errors() -> None:
    assert verdict([("passed", MUST)], harness_error=True) == "error"
    assert verdict([("passed", MUST), ("error", MUST)], harness_error=False) == "error"
    assert verdict([("skipped", MUST)], harness_error=False) == "error"
    assert verdict([], harness_error=False) == "error"


def test_exit_codes() -> None:
    assert EXIT_CODES == {"conformant": 0, "nonconformant": 1, "error": 2}
