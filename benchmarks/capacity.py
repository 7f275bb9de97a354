"""The default run against the reference served with few workers: its verdict, capacity and wall time.

    python benchmarks/capacity.py [--jobs default 3 10 64] [--lane L ...]

``default`` is ``langgraph dev`` without ``--n-jobs-per-worker`` (one run at a time, as measured
on this machine). Each server is started on a free port in its own process group and stopped
after its run. Prints one line per server, then the tests that did not pass, by outcome.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from conformance.target.embedded import EmbeddedServer


def one(jobs: int | None, lanes: list[str]) -> None:
    with EmbeddedServer(jobs_per_worker=jobs) as server, tempfile.TemporaryDirectory() as tmp:
        command = [sys.executable, "-m", "conformance", "run", "-q", "--target-url", server.url, "--report-dir", tmp,
                   *(arg for lane in lanes for arg in ("--lane", lane))]  # fmt: skip
        started = time.monotonic()
        done = subprocess.run(command, capture_output=True, text=True, cwd=tmp)
        elapsed = time.monotonic() - started
        report = json.loads((Path(tmp) / "report.json").read_text())
    s, capacity = report["summary"], report["target"].get("capacity") or {}
    print(f"--n-jobs-per-worker {jobs if jobs is not None else '(none)'}: exit {done.returncode}, {s['verdict']}, "
          f"{elapsed:.1f} s; capacity {capacity.get('runs')}{'+' if capacity.get('at_least') else ''} "
          f"(pick-up {capacity.get('pickup_s')} s); passed {s['passed']}, failed {s['failed']}, "
          f"not reached {s['not_reached']}, skipped {s['skipped']}")  # fmt: skip
    for outcome in ("failed", "not_reached", "skipped"):
        tests = [r for r in report["results"] if r["outcome"] == outcome]
        if outcome != "skipped":
            for r in tests:
                print(f"    {outcome}: {r['test_id']}")
        elif tests:
            reasons = Counter(r["detail"].splitlines()[0][:110] for r in tests)
            for reason, n in reasons.items():
                print(f"    skipped {n}: {reason}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", nargs="+", default=["default", "3", "10", "64"])
    parser.add_argument("--lane", action="append", default=[])
    args = parser.parse_args()
    for jobs in args.jobs:
        one(None if jobs == "default" else int(jobs), args.lane)


if __name__ == "__main__":
    main()
