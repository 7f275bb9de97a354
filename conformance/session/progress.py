"""The line a person watches while the scenarios run: counts, failures so far, and the slowest wait.

On a terminal it is redrawn in place every second; elsewhere (CI logs) it is a plain line
every ``PLAIN_EVERY`` seconds and at the end, never a carriage return.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable

from conformance.core.monitor import Snapshot

__all__ = ["ProgressLine", "describe"]

PLAIN_EVERY = 10.0
SLOW_WAIT = 2.0  # a wait shorter than this is not worth naming


def describe(snapshot: Snapshot) -> str:
    """``langgraph-conformance: 37/118 scenarios done, 2 failed, 1 below the gate, 0 errors (12 s); slowest wait
    ...``: failed tests counted as the terminal and the reports count them; scenarios a stop left unrun never done."""
    s = snapshot
    below = f", {s.below} below the gate" if s.below else ""
    unrun = f", {s.not_run} not run" if s.not_run else ""
    text = (f"langgraph-conformance: {s.done}/{s.total} scenarios done, {s.failing} failed{below}, {s.errors} errors"
            f"{unrun} ({s.elapsed:.0f} s)")  # fmt: skip
    if s.slowest is not None and s.slowest_s >= SLOW_WAIT:
        text += f"; slowest wait {s.slowest_s:.0f} s: {s.slowest.scenario}: {s.slowest.what}"
    return text


class ProgressLine:
    """Writes ``describe(snapshot)`` through ``write``: redrawn on a terminal, plain lines elsewhere."""

    def __init__(self, write: Callable[[str], None], *, tty: bool) -> None:
        self._write = write
        self._tty = tty
        self._shown = -1.0  # elapsed time of the last plain line; -1: nothing written yet
        self._width = 0

    def __call__(self, snapshot: Snapshot, final: bool) -> None:
        text = describe(snapshot)
        lead = "\n" if self._shown < 0 else ""  # start below pytest's line of test names
        if self._tty:
            columns = shutil.get_terminal_size().columns - 1
            text = text[:columns]
            self._write(f"{lead}\r{text.ljust(self._width)}" + ("\n" if final else ""))
            self._width, self._shown = len(text), snapshot.elapsed
        elif final or self._shown < 0 or snapshot.elapsed - self._shown >= PLAIN_EVERY:
            self._write(f"{lead}{text}\n")
            self._shown = snapshot.elapsed
