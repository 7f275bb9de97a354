"""The schema lane's drawn requests are the same in every process, whatever its hash seed."""

from __future__ import annotations

import os
import subprocess
import sys

# Operations whose invalid draws followed the hash seed before the draws moved to a child process.
DRAW = """
from conformance._api_cases import draw_cases
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
