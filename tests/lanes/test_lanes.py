"""Lanes beyond the contract: each runs alone when asked for, and what each says of the reference server."""

from __future__ import annotations

import re
from types import SimpleNamespace

from conformance.core.exchange import Reply
from conformance.lanes.contract.notes import sdk_notes
from conformance.lanes.sdk.js import js_sdk_missing
from conformance.reports._markdown import render_markdown
from conformance.requirements import Level, requirement
from conformance.scenarios import CASES
from conformance.scenarios._model import SdkNote
from tests.conftest import suite_leftovers
from tests.mutants.test_kill_matrix import (
    REFERENCE_RACE,
    REFERENCE_RACE_TESTS,
    failed_but_the_reference_race,
    only_the_reference_race,
)

from tests.reference import NOW_AND_THEN, SCHEMA_FINDINGS

UNHELD_ROLLBACK = f"race.rollback.unheld:{REFERENCE_RACE}"


def test_schema_lane_on_the_reference(suite, reference_url: str) -> None:
    run = suite("--target-url", reference_url, "--lane", "schema")
    assert run.exit_code == 0, run.output
    assert set(run.outcomes()) == {case.id for case in CASES if case.lane == "schema"}
    assert SCHEMA_FINDINGS <= run.failed_tests() <= SCHEMA_FINDINGS | NOW_AND_THEN, run.output[-3000:]
    assert all(requirement(r).level is Level.SHOULD for r in run.failed())
    assert run.report["summary"]["not_reached"] == 0 and run.report["summary"]["skipped"] == 0
    details = {r["test_id"]: r["detail"] for r in run.report["results"]}
    for test_id in SCHEMA_FINDINGS:  # each violation comes with the request that shows it
        assert "curl -sS -X " in details[test_id] and reference_url in details[test_id], details[test_id]
    assert suite_leftovers(reference_url, run.report["session"]) == ([], [])


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
    # the Python SDK's thread.output resolves on the first run's end under enqueue (with its 4 messages, or the
    # second's first ones where its state read comes later): said of the SDK, no verdict
    notes = {s["id"]: s["sdk_notes"] for s in run.report["scenarios"] if s.get("sdk_notes")}
    assert list(notes) == ["sdk.python.thread-stream.default"], notes
    (note,) = notes["sdk.python.thread-stream.default"]
    resolved = re.search(r"thread\.output resolved with (\d) messages", note)
    assert resolved and 4 <= int(resolved.group(1)) < 8, note
    assert "returned 8 (the last 'ai: The search shows weather in nyc" in note, note
    assert f"- `sdk.python.thread-stream.default`: {note}" in render_markdown(run.report)


def test_an_sdk_note_says_only_what_differs() -> None:
    """A note comes where the SDK's call returned another state than the final one, or raised; never else."""
    note = SdkNote("thread.output", "threads.get_state", "what the SDK does")
    final = Reply(200, {"values": {"messages": [{"type": "human", "content": "hi"}, {"type": "ai", "content": "yo"}]}})
    cases = {
        "same": Reply(200, final.body),
        "fewer": Reply(200, {"values": {"messages": [{"type": "human", "content": "hi"}]}}),
        "raised": Reply(0, {"raised": "RuntimeError", "status": None, "message": "thread.output did not resolve"}),
    }
    said = {name: sdk_notes(SimpleNamespace(scenario=SimpleNamespace(notes=(note,)),  # type: ignore[arg-type]
                                            replies={"thread.output": got, "threads.get_state": final}))
            for name, got in cases.items()}  # fmt: skip
    assert said["same"] == []
    assert said["fewer"] == [("what the SDK does: thread.output resolved with 1 messages (the last 'human: hi'), where "
                              "threads.get_state once the runs ended returned 2 (the last 'ai: yo')")]  # fmt: skip
    assert said["raised"] == ["what the SDK does: thread.output raised RuntimeError: thread.output did not resolve"]


def test_sdk_lane_says_a_rolled_back_run_still_exists(suite, proxy_url) -> None:
    run = suite("--target-url", proxy_url("rollback-as-interrupt"), "--lane", "sdk")
    assert run.exit_code == 1, run.output
    failed = {r["test_id"]: r["detail"] for r in run.report["results"] if r["outcome"] == "failed"}
    detail = failed["sdk.python.rollback:SDK-ROLLBACK-GET-RAISES-404"]
    assert "returned the run with status interrupted: the run still exists" in detail, detail


def test_race_lane_on_the_reference(suite, reference_url: str) -> None:
    run = suite("--target-url", reference_url, "--lane", "race", "--race-repeat", "2", "--storm", "4")
    assert set(run.outcomes()) == {case.id for case in CASES if case.lane == "race"}
    # The reference's own race (docs/lanes/race.md): the unheld rollback storm lands while a worker starts the first
    # run, and shows it every time; the other schedules rarely. Only in that one known form.
    failed = run.failed_tests()
    assert UNHELD_ROLLBACK in failed and failed <= REFERENCE_RACE_TESTS, run.output[-3000:]
    assert only_the_reference_race(run), run.output[-3000:]
    assert run.exit_code == 1, run.output
    for scenario in run.report["scenarios"]:
        test = f"{scenario['id']}:{scenario['checks'][0]['requirement']}"
        if test not in failed:
            assert [c["actual"] for c in scenario["checks"]] == ["violated in 0 of 2"]
            assert scenario["race"]["power"] == ("no violation in 2 repetitions: a violation occurring in 78% of "
                                                 "repetitions or more would have been seen with 95% probability")  # fmt: skip
        histories = scenario["repetitions"]
        assert [h["index"] for h in histories] == [1, 2]
        for history in histories:  # the graph's own records are the evidence, and every run left some
            entered = {r["run"] for r in history["records"] if r["event"] == "enter"}
            succeeded = {name for name, run in history["runs"].items() if run["final"] == "success"}
            assert succeeded and succeeded <= entered, (scenario["id"], history)
    unheld = next(s for s in run.report["scenarios"] if s["id"] == UNHELD_ROLLBACK.split(":")[0])
    assert unheld["race"]["slow_start"] and "first was rolled back, but its input is in the state" in str(unheld)
    assert suite_leftovers(reference_url, run.report["session"]) == ([], [])


def test_race_lane_fails_a_reject_decided_on_a_stale_read(suite, proxy_url) -> None:
    run = suite("--target-url", proxy_url("reject-stale-read"), "--lane", "race", "--race-repeat", "2",
                "--race-schedule", "simultaneous")
    assert run.exit_code == 1, run.output
    assert failed_but_the_reference_race(run) == {"race.reject-idle.simultaneous:RACE-REJECT-IDLE-ONE-WINNER"}, \
        run.output[-3000:]  # fmt: skip
    detail = {r["test_id"]: r["detail"] for r in run.report["results"]}["race.reject-idle.simultaneous:RACE-REJECT-IDLE-ONE-WINNER"]
    # How many of the six get in depends on how the stale reads interleave (under load, fewer): never one.
    # Under load a repetition's stale reads may also line up: at least one of two shows it, never none.
    assert re.search(r"violated in [12] of 2 repetitions", detail) and re.search(r"[2-6] of 6 runs were created", detail), detail
    assert "graph records: " in detail  # the evidence: who entered the graph, when


def test_only_a_staggered_storm_shows_a_reject_that_lags(suite, proxy_url) -> None:
    """The schedules' proof: simultaneous rejects all meet the mutant's cache; staggered ones reach its lag."""
    run = suite("--target-url", proxy_url("reject-lagging-read"), "--lane", "race", "-k", "reject-idle")
    outcomes = run.outcomes()
    assert outcomes["race.reject-idle.simultaneous:RACE-REJECT-IDLE-ONE-WINNER"] == "passed", run.output[-3000:]
    assert outcomes["race.reject-idle.staggered:RACE-REJECT-IDLE-ONE-WINNER"] == "failed", run.output[-3000:]
    detail = run.details()["race.reject-idle.staggered:RACE-REJECT-IDLE-ONE-WINNER"]
    assert re.search(r"[2-6] of 6 runs were created", detail) and "sent after the gate: dt1 +" in detail, detail
