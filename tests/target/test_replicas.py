"""Several --target-url: replicas of one deployment, checked to share state, each double-text sent to another."""

from __future__ import annotations

from conformance.target.embedded import EmbeddedServer
from tests.mutants.test_kill_matrix import failed_but_the_reference_race


def test_double_texts_and_cancels_go_to_another_replica(suite, reference_url: str, proxy_url) -> None:
    # Two URLs in front of one server: its own, and a proxy that changes nothing a client relies on.
    other = proxy_url("extra-fields")
    run = suite("--target-url", reference_url, "--target-url", other, "--lane", "contract", "--lane", "race",
                "--race-repeat", "2", "--race-schedule", "simultaneous", "-k", "rollback-seed or cancel.interrupt.wait or race.")  # fmt: skip
    assert failed_but_the_reference_race(run) == set(), run.output[-3000:]  # docs/lanes/race.md: the reference's rare race
    assert run.exit_code == (1 if run.failed_tests() else 0), run.output
    assert run.report["target"]["replicas"] == [reference_url, other]
    assert set(run.outcomes().values()) <= {"passed", "failed"} and len(run.outcomes()) >= 8
    scenarios = {s["id"]: s["exchanges"] for s in run.report["scenarios"]}
    seed = scenarios["rollback-seed"]
    assert any("POST /threads/<thread>/runs [r1]" in line and '"hold_at": "agent"' in line
               for line in seed)  # the first run, created on the first replica ...
    assert any("POST /threads/<thread>/runs [r2]" in line and '"multitask_strategy": "rollback"' in line
               for line in seed)  # ... rolled back by a double-text sent to the second
    cancel = scenarios["cancel.interrupt.wait"]
    assert any("/cancel" in line and "[r2]" in line for line in cancel)


def test_urls_that_do_not_share_state_are_refused(suite, reference_url: str) -> None:
    with EmbeddedServer() as unrelated:
        run = suite("--target-url", reference_url, "--target-url", unrelated.url)
    assert run.exit_code == 2, run.output
    assert "the URLs are not replicas of one deployment" in run.output
    assert f"is not found on {unrelated.url}" in run.report["harness_error"]


def test_a_given_url_replaces_the_environments_and_adds_no_replica(suite, monkeypatch) -> None:
    monkeypatch.setenv("LANGGRAPH_CONFORMANCE_URL", "http://127.0.0.1:9")
    run = suite("--target-url", "http://127.0.0.1:8")
    assert run.exit_code == 2
    assert run.report["target"]["url"] == "http://127.0.0.1:8" and run.report["target"]["replicas"] is None
