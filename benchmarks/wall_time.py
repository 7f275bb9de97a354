"""How long the suite takes, and what the docs' sleep-based method costs for the same four strategies.

    python benchmarks/wall_time.py [--target-url URL] [--concurrency N] [--lane L ...]

Without a URL it starts the embedded reference server (its start-up counts in the suite's
time, as it does for a user). It prints the suite's wall time, the slowest scenarios, and
then the docs' method for each strategy: create a run, sleep 2 s, double-text, join. The
sleep method also says whether the first run was still in flight when the double-text
arrived: with a fast graph it is not, and the double-text tests nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from conformance.target.embedded import EmbeddedServer

DOCS_SLEEP_S = 2.0
STRATEGIES = ("rollback", "interrupt", "enqueue", "reject")


def run_suite(url: str | None, concurrency: int, lanes: list[str]) -> tuple[float, dict]:
    with tempfile.TemporaryDirectory() as tmp:
        command = [sys.executable, "-m", "conformance", "run", "-q", "--report-dir", tmp, "--concurrency", str(concurrency)]
        if url:
            command += ["--target-url", url]
        for lane in lanes:
            command += ["--lane", lane]
        started = time.monotonic()
        done = subprocess.run(command, capture_output=True, text=True, cwd=tmp)
        elapsed = time.monotonic() - started
        report = json.loads((Path(tmp) / "report.json").read_text())
    if done.returncode not in (0, 1):
        sys.exit(f"the suite could not run (exit {done.returncode}): {done.stdout[-500:]}")
    return elapsed, report


async def docs_method(url: str, strategy: str) -> tuple[float, str]:
    """The how-to's recipe: create, sleep, double-text, join. Returns its time and the first run's status at the double-text."""
    async with httpx.AsyncClient(base_url=url, timeout=60, trust_env=False) as client:
        started = time.monotonic()
        thread = (await client.post("/threads", json={"metadata": {"conformance_suite": "benchmark"}})).json()["thread_id"]
        body = {"assistant_id": "agent", "input": {"messages": [{"role": "human", "content": "what's the weather in sf?"}]}}
        first = (await client.post(f"/threads/{thread}/runs", json=body)).json()
        await asyncio.sleep(DOCS_SLEEP_S)
        status = (await client.get(f"/threads/{thread}/runs/{first['run_id']}")).json().get("status", "?")
        second = await client.post(f"/threads/{thread}/runs", json={**body, "multitask_strategy": strategy})
        if second.status_code == 200:
            await client.get(f"/threads/{thread}/runs/{second.json()['run_id']}/join")
        elapsed = time.monotonic() - started
        await client.delete(f"/threads/{thread}")
    return elapsed, status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--target-url")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--lane", action="append", default=[], help="lanes to time (default: the suite's default)")
    args = parser.parse_args()
    elapsed, report = run_suite(args.target_url, args.concurrency, args.lane)
    scenarios = sorted(report["scenarios"], key=lambda s: s["duration_s"], reverse=True)
    s = report["summary"]
    print(f"suite: {elapsed:.1f} s wall (server start included: {args.target_url is None}), "
          f"{len(scenarios)} scenarios, {len(report['results'])} tests "
          f"({s['passed']} passed, {s['failed']} failed, {s['not_reached']} not reached, {s['skipped']} skipped), "
          f"concurrency {args.concurrency}")  # fmt: skip
    print(f"scenario time: sum {sum(x['duration_s'] for x in scenarios):.1f} s, "
          f"median {scenarios[len(scenarios) // 2]['duration_s']:.2f} s")  # fmt: skip
    print("slowest scenarios:")
    for scenario in scenarios[:8]:
        print(f"  {scenario['duration_s']:6.2f} s  {scenario['id']}")
    seeds = {x["id"]: x["duration_s"] for x in report["scenarios"]}
    print(f"\nthe four strategies, held first run (suite) vs create-sleep({DOCS_SLEEP_S:.0f} s)-double-text-join (docs):")

    async def docs_all(url: str) -> list[tuple[float, str]]:
        return [await docs_method(url, strategy) for strategy in STRATEGIES]

    if args.target_url:
        docs = asyncio.run(docs_all(args.target_url))
    else:
        with EmbeddedServer() as server:
            docs = asyncio.run(docs_all(server.url))
    for strategy, (docs_s, status) in zip(STRATEGIES, docs, strict=True):
        suite_s = seeds.get(f"{strategy}.first-held-in-agent.create", float("nan"))
        missed = "" if status in ("pending", "running") else "  <- first run already finished: the double-text tested nothing"
        print(f"  {strategy:<10} suite {suite_s:5.2f} s   docs {docs_s:5.2f} s   first run at double-text: {status}{missed}")


if __name__ == "__main__":
    main()
