"""The default run against the reference served with few workers: its verdict, capacity and wall time.

    python benchmarks/capacity.py [--jobs default 3 10 64] [--lane L ...] [--hide-store]

``default`` is ``langgraph dev`` without ``--n-jobs-per-worker`` (one run at a time, as measured
on this machine). Each server is started on a free port in its own process group and stopped
after its run. ``--hide-store`` puts the project's ``store-hidden`` proxy in front of each
(``tests/target/store_hidden.py``): a target without a store the graph and the suite share, whose
capacity the probe measures from the runs' statuses and states. Prints one line per server, then
the capacity note and the tests that did not pass, by outcome.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx

from conformance.target.embedded import EmbeddedServer, free_port
from conformance.target.processes import start_group, stop_group

REPO = Path(__file__).resolve().parent.parent
PROXY_START_TIMEOUT = 30.0


@contextlib.contextmanager
def store_hidden(upstream: str, workdir: Path) -> Iterator[str]:
    """The ``store-hidden`` proxy in front of ``upstream``, on a free port, once it answers (bounded)."""
    port = free_port()
    command = [sys.executable, "-m", "tests.mutants.proxy", "--upstream", upstream, "--mutant", "store-hidden",
               "--port", str(port)]  # fmt: skip
    process = start_group(command, cwd=REPO, log=workdir / "proxy.log")
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + PROXY_START_TIMEOUT
        while True:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the store-hidden proxy did not answer: {(workdir / 'proxy.log').read_text()[-500:]}")
            try:
                httpx.get(f"{url}/ok", timeout=1, trust_env=False)
                break
            except httpx.HTTPError:
                time.sleep(0.05)
        yield url
    finally:
        stop_group(process)


def one(jobs: int | None, lanes: list[str], hide_store: bool) -> None:
    with EmbeddedServer(jobs_per_worker=jobs) as server, tempfile.TemporaryDirectory() as tmp, \
            contextlib.ExitStack() as stack:  # fmt: skip
        url = stack.enter_context(store_hidden(server.url, Path(tmp))) if hide_store else server.url
        command = [sys.executable, "-m", "conformance", "run", "-q", "--target-url", url, "--report-dir", tmp,
                   *(arg for lane in lanes for arg in ("--lane", lane))]  # fmt: skip
        started = time.monotonic()
        done = subprocess.run(command, capture_output=True, text=True, cwd=tmp)
        elapsed = time.monotonic() - started
        report = json.loads((Path(tmp) / "report.json").read_text())
    s, capacity = report["summary"], report["target"].get("capacity") or {}
    print(f"--n-jobs-per-worker {jobs if jobs is not None else '(none)'}{', store hidden' if hide_store else ''}: "
          f"exit {done.returncode}, {s['verdict']}, {elapsed:.1f} s; capacity {capacity.get('runs')}"
          f"{'+' if capacity.get('at_least') else ''} (pick-up {capacity.get('pickup_s')} s); passed {s['passed']}, "
          f"failed {s['failed']}, not reached {s['not_reached']}, skipped {s['skipped']}")  # fmt: skip
    print(f"    capacity: {capacity.get('note')}")
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
    parser.add_argument("--hide-store", action="store_true",
                        help="each server behind a proxy that hides its store (a store-less target)")
    args = parser.parse_args()
    for jobs in args.jobs:
        one(None if jobs == "default" else int(jobs), args.lane, args.hide_store)


if __name__ == "__main__":
    main()
