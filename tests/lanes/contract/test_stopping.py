"""A run that does not stop once stopped: its requirements fail, with the graph's exit record as the evidence."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from conformance.target.embedded import EmbeddedServer
from conformance.target.fixtures import fixtures_dir
from tests.conftest import run_suite, suite_leftovers

HERE = Path(__file__).resolve().parent
# a double-text and a cancel that stop a run held in a node, through each way a stop is asked for
STOPS = ("rollback.first-held-in-tools.create or interrupt.first-held-in-agent.create or cancel.interrupt.no-wait or "
         "thread-delete")
PROVEN_BY_DOUBLES = {"DT-STOPPED-RUN-STOPS", "CANCEL-STOPS-RUN", "THREAD-DELETE-STOPS-RUNS"}
"""What the double proves able to fail (the kill matrix's proxies cannot make a graph go on)."""


@pytest.fixture(scope="module")
def unstoppable(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The reference serving the fixture graph whose held node does not stop when cancelled."""
    project = tmp_path_factory.mktemp("unstoppable")
    shutil.copy(fixtures_dir() / "graph.py", project / "graph.py")
    shutil.copy(HERE / "unstoppable.py", project / "unstoppable.py")
    (project / "langgraph.json").write_text(json.dumps({"dependencies": ["."], "graphs": {
        "agent": "./unstoppable.py:graph", "agent-slow-start": "./unstoppable.py:slow_start"}}))  # fmt: skip
    with EmbeddedServer(project=project) as server:
        yield server.url


def test_a_run_that_goes_on_fails_the_stop_requirements(unstoppable: str, tmp_path: Path) -> None:
    """The stop requirements fail with the node's exit record; the only other failures are what the node that went on
    wrote into the thread (its output in the state or the history): a run that does not stop leaves that harm too."""
    run = run_suite(tmp_path, "--target-url", unstoppable, "--lane", "contract", "-k", STOPS, "--wait-timeout", "10")
    failed = {r["test_id"]: r["detail"] for r in run.report["results"] if r["outcome"] == "failed"}
    stops = {"rollback.first-held-in-tools.create:DT-STOPPED-RUN-STOPS", "cancel.interrupt.no-wait:CANCEL-STOPS-RUN",
             "interrupt.first-held-in-agent.create:DT-STOPPED-RUN-STOPS", "thread-delete.while-running:THREAD-DELETE-STOPS-RUNS"}
    assert stops <= set(failed), run.output[-3000:]
    for test_id in stops:
        node = test_id.split(".")[1].rpartition("-")[2] if "first-held" in test_id else "tools"
        assert f"it shows {node} completed (no end of its hold at {node} was on record 10 s after it was stopped)" in \
            failed[test_id], failed[test_id]  # fmt: skip
        assert f"{node} completed " in failed[test_id] and " s after the stop was answered" in failed[test_id]
    written = {"CANCEL-INTERRUPT-KEEPS-PARTIAL", "DT-INTERRUPT-KEEPS-PARTIAL", "DT-ROLLBACK-STATE-SECOND-ONLY",
               "DT-ROLLBACK-HISTORY-CLEAN"}  # fmt: skip
    assert {t.split(":")[1] for t in set(failed) - stops} <= written, {t: failed[t][:300] for t in set(failed) - stops}
    assert {r["outcome"] for r in run.report["results"]} <= {"passed", "failed"}
    assert suite_leftovers(unstoppable, run.report["session"]) == ([], [])
