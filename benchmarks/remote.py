"""The suite against a target far away: the same server directly and through a proxy that delays every
request by a round trip, side by side, and what each scenario costs over the target's own floor.

    python benchmarks/remote.py [--rtt-ms 150] [--lane contract] [--concurrency 16]

It starts the embedded reference server, and a TCP proxy on 127.0.0.1 that holds each chunk a client
sends for ``--rtt-ms`` before passing it on, in order (answers pass at once): every request then costs
one round trip more, as against a cloud deployment; a stream or a join costs it once. It runs the lane
directly, then through the proxy, and prints both wall times, their ratio, and the per-scenario
median against the floor the probe measured (two queue pick-ups).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from conformance.target.embedded import EmbeddedServer


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, delay: float) -> None:
    """Copy ``reader`` to ``writer``, each chunk held ``delay`` seconds from its arrival, order kept."""
    queue: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()

    async def send() -> None:
        while True:
            due, chunk = await queue.get()
            if not chunk:
                break
            await asyncio.sleep(max(0.0, due - time.monotonic()))
            writer.write(chunk)
            await writer.drain()

    sender = asyncio.create_task(send())
    try:
        while chunk := await reader.read(65536):
            queue.put_nowait((time.monotonic() + delay, chunk))
    finally:
        queue.put_nowait((0.0, b""))
        with contextlib.suppress(Exception):
            await sender
            writer.close()


class DelayingProxy:
    """127.0.0.1:<free port> -> ``upstream``, requests delayed by ``rtt`` seconds, in a thread of its own."""

    def __init__(self, upstream_port: int, rtt: float) -> None:
        self.upstream_port, self.rtt = upstream_port, rtt
        self.port = 0
        self._ready = threading.Event()
        self._loop = asyncio.new_event_loop()
        threading.Thread(target=self._serve, daemon=True).start()
        if not self._ready.wait(10):
            raise RuntimeError("the delaying proxy did not start")

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        except OSError:
            writer.close()
            return
        await asyncio.gather(_pipe(reader, up_writer, self.rtt), _pipe(up_reader, writer, 0.0), return_exceptions=True)

    def _serve(self) -> None:
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(asyncio.start_server(self._handle, "127.0.0.1", 0))
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()


def run_suite(url: str, lanes: list[str], concurrency: int) -> tuple[float, dict]:
    with tempfile.TemporaryDirectory() as tmp:
        command = [sys.executable, "-m", "conformance", "run", "-q", "--report-dir", tmp, "--target-url", url,
                   "--dedicated-target", "--concurrency", str(concurrency), *(f"--lane={lane}" for lane in lanes)]
        started = time.monotonic()
        subprocess.run(command, capture_output=True, text=True, cwd=tmp, check=False)
        elapsed = time.monotonic() - started
        return elapsed, json.loads((Path(tmp) / "report.json").read_text())


def describe(name: str, elapsed: float, report: dict) -> str:
    s = report["summary"]
    scenarios = [sc["duration_s"] for sc in report["scenarios"] if not sc.get("skipped")]
    pickup = (report["target"].get("capacity") or {}).get("pickup_s") or 0.0
    median = statistics.median(scenarios) if scenarios else 0.0
    floor = 2 * pickup
    over = f", {median / floor:.2f} x the floor of two pick-ups ({floor:.2f} s)" if floor else ""
    return (f"{name}: {elapsed:.1f} s, verdict {s['verdict']} ({s['passed']} passed, {s['failed']} failed, "
            f"{s['not_reached']} not reached, {s['skipped']} skipped); per-scenario median {median:.2f} s{over}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rtt-ms", type=float, default=150.0)
    parser.add_argument("--lane", action="append", default=None)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    lanes = args.lane or ["contract"]
    with EmbeddedServer() as server:
        port = int(server.url.rsplit(":", 1)[1])
        proxy = DelayingProxy(port, args.rtt_ms / 1000)
        direct, direct_report = run_suite(server.url, lanes, args.concurrency)
        far, far_report = run_suite(f"http://127.0.0.1:{proxy.port}", lanes, args.concurrency)
    print(describe("direct", direct, direct_report))
    print(describe(f"{args.rtt_ms:g} ms away", far, far_report))
    print(f"ratio: {far / direct:.2f} (lanes {', '.join(lanes)}, --concurrency {args.concurrency})")


if __name__ == "__main__":
    main()
