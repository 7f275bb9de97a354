"""The schema lane draws the same requests in every process, whatever its hash seed, and leaves no files behind."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

# Operations whose invalid draws followed the hash seed before the draws moved to a child process.
DRAW = """
from conformance.lanes.schema.cases import draw_cases
among = (("GET", "/threads/{thread_id}/state", False), ("PATCH", "/threads/{thread_id}", False))
print(repr([draw_cases(m, p, valid=v, among=among) for m, p, v in among]))
"""


def _drawn_with_hash_seed(hash_seed: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    done = subprocess.run([sys.executable, "-c", DRAW], capture_output=True, text=True, env=env, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_draws_do_not_follow_the_hash_seed() -> None:
    first, second = _drawn_with_hash_seed("1"), _drawn_with_hash_seed("2")
    assert "Drawn(" in first and first.count("Drawn(") == 16  # 8 invalid requests for each operation
    assert first == second


def test_importing_the_suite_writes_nothing_into_the_cwd(tmp_path: Path) -> None:
    """hypothesis (imported by schemathesis) caches Unicode tables; in the user's cache, not where the suite starts."""
    cwd, home = tmp_path / "cwd", tmp_path / "home"
    cwd.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "HYPOTHESIS_STORAGE_DIRECTORY"} | {"HOME": str(home)}
    draw = "from conformance.lanes.schema.cases import _draw; _draw('GET', '/threads/{thread_id}/state', False)"
    done = subprocess.run([sys.executable, "-c", draw], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=120, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert list(cwd.iterdir()) == []
    assert (home / ".cache" / "langgraph-conformance" / "hypothesis" / "unicode_data").is_dir()
