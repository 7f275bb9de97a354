"""Is the suite deterministic? Run it N times against one reference server, then once more
with every CPU core kept busy, and compare each test's outcome across the runs.

    python -m tests.determinism --runs 5 --load      (or: tox -e determinism)

Prints each run's wall time and summary, then every test whose outcome was not the same in
all runs; exits 1 if any varied (or a run produced no report), else 0. Not a pytest module
(pytest collects ``test_*.py`` only): it takes minutes, so it stays out of the default run.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from conformance.target.embedded import EmbeddedServer
from conformance.target.processes import start_group, stop_group
from tests.conftest import REPO, SuiteRun, run_suite

BUSY_LOOP = "while True: pass"


@contextmanager
def saturated_cpus(workdir: Path, count: int) -> Iterator[list[int]]:
    """``count`` busy processes, each leading its own process group; stopped by their PIDs."""
    busy: list[subprocess.Popen[bytes]] = []
    try:
        for i in range(count):
            busy.append(start_group([sys.executable, "-c", BUSY_LOOP], cwd=REPO, log=workdir / f"busy-{i}.log"))
        yield [p.pid for p in busy]
    finally:
        for process in busy:
            stop_group(process)


def compare(runs: list[tuple[str, SuiteRun]]) -> dict[str, list[str]]:
    """Test id -> its outcome in each run, for the tests whose outcome was not the same in all."""
    ids = sorted({test_id for _, run in runs for test_id in run.outcomes()})
    varied = {}
    for test_id in ids:
        seen = [run.outcomes().get(test_id, "absent") for _, run in runs]
        if len(set(seen)) > 1:
            varied[test_id] = seen
    return varied


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.determinism", description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="plain runs in a row (default: 5)")
    parser.add_argument("--load", action="store_true", help="then one more run with every CPU core kept busy")
    parser.add_argument("--workdir", type=Path, default=None, help="where reports go (default: a temporary dir)")
    args = parser.parse_args(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="conformance-determinism-"))
    workdir.mkdir(parents=True, exist_ok=True)
    cores = os.cpu_count() or 1
    runs: list[tuple[str, SuiteRun]] = []

    def one(label: str) -> None:
        run = run_suite(workdir / label, "--target-url", server.url, "--dedicated-target")  # runs one at a time
        runs.append((label, run))
        summary = run.report.get("summary", {})
        print(f"{label:<10} {run.elapsed:6.1f} s  exit {run.exit_code}  passed {summary.get('passed')} "
              f"failed {summary.get('failed')} skipped {summary.get('skipped')} not reached {summary.get('not_reached')}",
              flush=True)  # fmt: skip

    started = time.monotonic()
    with EmbeddedServer() as server:
        print(f"reference server {server.url}; reports in {workdir}", flush=True)
        for i in range(1, args.runs + 1):
            one(f"run{i}")
        if args.load:
            with saturated_cpus(workdir, cores) as pids:
                print(f"{cores} busy processes (pids {', '.join(map(str, pids))}) keep every core saturated", flush=True)
                one("loaded")
    print(f"total {time.monotonic() - started:.1f} s for {len(runs)} runs")

    missing = [label for label, run in runs if not run.report]
    for label in missing:
        print(f"{label}: no report.json (exit {dict(runs)[label].exit_code})")
    varied = compare([(label, run) for label, run in runs if run.report])
    if varied:
        labels = [label for label, run in runs if run.report]
        print(f"{len(varied)} tests whose outcome varied ({', '.join(labels)}):")
        for test_id, seen in varied.items():
            print(f"  {test_id}: {' '.join(seen)}")
    else:
        tests = len(runs[0][1].outcomes()) if runs and runs[0][1].report else 0
        print(f"every test had the same outcome in all {len(runs)} runs ({tests} tests)")
    return 1 if varied or missing else 0


if __name__ == "__main__":
    sys.exit(main())
