"""The GitHub Action runs as the runner would run it: its steps' shell lines, taken from ``action.yml``, with the
inputs in their environment, against the embedded reference started on a free port.

Two steps are not run: the install (the suite is installed from this checkout already, as ``pip install`` of the
action's path would) and the artifact upload (a ``uses:`` step of GitHub's).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import yaml

from conformance.target.embedded import free_port
from tests.conftest import REPO

ACTION = REPO / "action.yml"
_PATH = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
FINDINGS = ("rollback.first-starting.create:DT-ROLLBACK-STATE-SECOND-ONLY",
            "rollback.first-starting.create:DT-ROLLBACK-HISTORY-CLEAN",
            "interrupt.first-starting.create:DT-INTERRUPT-KEEPS-PARTIAL")  # fmt: skip
"""What the reference fails in the scenarios the test selects, every session (tests/reference.py)."""
_EXPRESSION = re.compile(r"\$\{\{\s*([\w.-]+)\s*\}\}")


def _steps() -> list[dict[str, Any]]:
    action = yaml.safe_load(ACTION.read_text())
    assert action["runs"]["using"] == "composite"
    return action["runs"]["steps"]


def run_steps(inputs: dict[str, str], workdir: Path) -> tuple[dict[str, int], dict[str, str], str, str]:
    """Each shell step's exit code by name, the step outputs, the job summary and the steps' log, as the runner
    runs them."""
    defaults = {name: str(spec.get("default", "")) for name, spec in yaml.safe_load(ACTION.read_text())["inputs"].items()}
    values = {**defaults, **inputs}
    output, summary = workdir / "output", workdir / "summary.md"
    output.write_text("")
    summary.write_text("")
    codes: dict[str, int] = {}
    outputs: dict[str, str] = {}
    log: list[str] = []
    for step in _steps():
        if "run" not in step or step["name"].startswith("Install the suite"):
            continue

        def value(match: re.Match[str], outputs: dict[str, str] = outputs) -> str:
            kind, _, name = match.group(1).partition(".")
            return values[name] if kind == "inputs" else outputs.get(name.rsplit(".", 1)[-1], "")

        env = {key: _EXPRESSION.sub(value, str(raw)) for key, raw in (step.get("env") or {}).items()}
        done = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=workdir, capture_output=True, text=True, timeout=600,
                              env={**os.environ, **env, "PATH": _PATH, "GITHUB_OUTPUT": str(output),
                                   "GITHUB_STEP_SUMMARY": str(summary)}, check=False)  # fmt: skip
        codes[step["name"]] = done.returncode
        log += [done.stdout, done.stderr]
        outputs = dict(line.split("=", 1) for line in output.read_text().splitlines() if "=" in line)
    return codes, outputs, summary.read_text(), "".join(log)


def test_the_action_shows_the_references_findings_and_is_green_with_their_baseline(tmp_path: Path) -> None:
    install = next(s for s in _steps() if s["name"].startswith("Install the suite"))
    assert 'pip install "$GITHUB_ACTION_PATH"' in install["run"]  # replaced, see above
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "conformance", "serve", "--port", str(port)], cwd=tmp_path,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while not _up(url):
            assert server.poll() is None and time.monotonic() < deadline, "the embedded reference did not start"
            time.sleep(0.5)
        inputs = {"target-url": url, "lanes": "contract", "select": "first-starting.create"}
        first = tmp_path / "first"
        first.mkdir()
        codes, outputs, summary, _ = run_steps(inputs, first)
        assert outputs["exit-code"] == "1" and outputs["verdict"] == "nonconformant", summary
        assert codes["Gate on the verdict"] == 1 and codes["Run the conformance suite"] == 0
        assert summary.startswith("## langgraph-conformance") and "**Verdict: nonconformant**" in summary
        assert all(f"`{test}` (MUST)" in summary for test in FINDINGS), summary
        baseline = tmp_path / "baseline.toml"
        made = subprocess.run([sys.executable, "-m", "conformance", "report", "baseline",
                               str(first / "conformance-report" / "report.json"), "--out", str(baseline)],
                              capture_output=True, text=True, timeout=60, check=False)  # fmt: skip
        assert made.returncode == 0, made.stderr
        second = tmp_path / "second"
        second.mkdir()
        shutil.copy(first / "conformance-report" / "report.json", tmp_path / "earlier.json")
        codes, outputs, summary, _ = run_steps({**inputs, "baseline": str(baseline),
                                              "compare-to": str(tmp_path / "earlier.json")}, second)  # fmt: skip
        assert outputs["exit-code"] == "0" and codes["Gate on the verdict"] == 0, summary
        assert "**Verdict: conformant**" in summary and all(test in summary for test in FINDINGS), summary
        assert "report diff" in summary or "no change" in summary.lower(), summary  # what changed since, added
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def _up(url: str) -> bool:
    try:
        return httpx.get(f"{url}/ok", timeout=2, trust_env=False).status_code == 200
    except httpx.HTTPError:
        return False
