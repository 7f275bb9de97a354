"""The CI example runs as copied: its shell lines, taken from the file, and the Action it uses, run with the inputs it
gives (as tests/test_action.py runs it), give the reference's verdict against a server started as it says.

Two lines are not the file's: the install step (the suite is already installed from this checkout,
as ``pip install .`` of it would; the example installs it from its repository), and the
``langgraph.json`` the example's comment asks the user to write (a project of one's own with the
fixture registered as ``conformance``). The port 2024 becomes a free one; a secret is empty.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import yaml

from conformance.target.embedded import free_port
from tests.conftest import REPO
from tests.reference import is_the_references_verdict
from tests.test_action import ACTION, run_steps

EXAMPLE = REPO / "examples" / "github-actions" / "conformance.yml"
_PATH = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"  # this environment's commands first


def _steps() -> dict[str, str]:
    """Each step's name -> its shell lines."""
    job = yaml.safe_load(EXAMPLE.read_text())["jobs"]["conformance"]
    return {step["name"]: step["run"] for step in job["steps"] if "run" in step}


def _action_inputs(port: int) -> dict[str, str]:
    """What the example gives the suite's Action (``uses: OWNER/langgraph-conformance@COMMIT``), secrets empty."""
    job = yaml.safe_load(EXAMPLE.read_text())["jobs"]["conformance"]
    (step,) = (s for s in job["steps"] if str(s.get("uses", "")).split("@")[0].endswith("/langgraph-conformance"))
    return {key: re.sub(r"\$\{\{\s*secrets\.\w+\s*\}\}", "", str(value)).replace("2024", str(port))
            for key, value in step["with"].items()}  # fmt: skip


def _bash(script: str, cwd: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    with open(log, "ab") as out:
        return subprocess.Popen(["bash", "-e", "-c", script.replace("2024", str(port))], cwd=cwd, stdout=out,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
                                env={**os.environ, "LANGGRAPH_CONFORMANCE_API_KEY": "", "PATH": _PATH})  # fmt: skip


def _stop(group: int, url: str) -> None:
    """Stop the process group the server step started (its shell has exited; the server is still in it)."""
    for sig, wait in ((signal.SIGTERM, 20.0), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(group, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            try:
                os.killpg(group, 0)
            except ProcessLookupError:
                return
            time.sleep(0.2)
    raise AssertionError(f"the example's server group {group} ({url}) did not stop")


def test_the_ci_example_gives_the_references_verdict_as_written(tmp_path: Path) -> None:
    steps = _steps()
    install = next(name for name in steps if name.startswith("Install the suite"))
    assert 'pip install "langgraph-conformance @ $CONFORMANCE_SUITE"' in steps.pop(install)  # replaced, see above
    fixtures, start = (next(s for n, s in steps.items() if n.startswith(p)) for p in
                       ("Copy the fixture graph", "Start the server"))  # fmt: skip
    port, log = free_port(), tmp_path / "steps.log"
    inputs = _action_inputs(port)
    assert set(inputs) <= set(yaml.safe_load(ACTION.read_text())["inputs"]), inputs  # inputs the Action has
    assert _bash(fixtures, tmp_path, port, log).wait(timeout=60) == 0, log.read_text()
    (tmp_path / "langgraph.json").write_text(json.dumps({"dependencies": ["."], "graphs": {
        "conformance": "./conformance_fixture/graph.py:graph", "agent-slow-start": "./conformance_fixture/graph.py:slow_start"}}))
    server = _bash(start, tmp_path, port, log)
    url = f"http://127.0.0.1:{port}"
    try:
        assert server.wait(timeout=120) == 0, log.read_text()[-3000:]
        assert httpx.get(f"{url}/ok", timeout=5, trust_env=False).status_code == 200
        codes, outputs, summary, output = run_steps(inputs, tmp_path)
        # the reference's own findings (tests/reference.py), as the example says: the job fails on them
        assert outputs["exit-code"] == "1" and codes["Gate on the verdict"] == 1, output[-4000:]
        verdict = next(line for line in reversed(output.splitlines()) if line.startswith("langgraph-conformance: verdict"))
        assert is_the_references_verdict(verdict), output[-2000:]
        assert "**Verdict: nonconformant**" in summary, summary
        assert {p.name for p in (tmp_path / "conformance-report").iterdir()} >= {"report.json", "report.html", "junit.xml"}
    finally:
        _stop(server.pid, url)
