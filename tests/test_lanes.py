"""Lanes beyond the contract: each runs alone when asked for, and passes the reference server."""

from __future__ import annotations

from conformance._client_js import js_sdk_missing
from conformance.scenarios import CASES


def test_sdk_lane_passes_the_reference(suite, reference_url: str) -> None:
    run = suite("--target-url", reference_url, "--lane", "sdk")
    assert run.exit_code == 0, run.output
    assert run.report["lanes"] == ["sdk"]
    outcomes = run.outcomes()
    assert set(outcomes) == {case.id for case in CASES if case.lane == "sdk"}
    missing = js_sdk_missing()
    for test_id, outcome in outcomes.items():
        expected = "skipped" if missing and test_id.startswith("sdk.js.") else "passed"
        assert outcome == expected, (test_id, run.output[-3000:])
    if missing:
        skipped = {r["detail"] for r in run.report["results"] if r["outcome"] == "skipped"}
        assert skipped == {missing}


def test_sdk_lane_says_a_rolled_back_run_still_exists(suite, proxy_url) -> None:
    run = suite("--target-url", proxy_url("rollback-as-interrupt"), "--lane", "sdk")
    assert run.exit_code == 1, run.output
    failed = {r["test_id"]: r["detail"] for r in run.report["results"] if r["outcome"] == "failed"}
    detail = failed["sdk.python.rollback:SDK-ROLLBACK-GET-RAISES-404"]
    assert "returned the run with status interrupted: the run still exists" in detail, detail
