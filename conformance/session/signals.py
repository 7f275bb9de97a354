"""SIGINT, SIGTERM and SIGHUP while the suite runs: stop cleanly instead of dying mid-scenario.

While a campaign runs, a signal stops it (its scenarios clean up, the report says it was
interrupted); at any other moment it raises ``KeyboardInterrupt``, so that pytest unwinds
and the embedded server is stopped on the way out.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType

__all__ = ["SIGNALS", "StopSignals"]

SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)  # Ctrl-C, a cancelled CI job, a closed terminal


class StopSignals:
    """Handlers for ``SIGNALS`` while installed; remembers the first signal received."""

    def __init__(self) -> None:
        self.received: str | None = None
        self._route: Callable[[str], None] | None = None
        self._previous: dict[int, object] = {}

    def install(self) -> None:
        """Handle the signals from now on (main thread only; elsewhere nothing changes; twice is once)."""
        if self._previous or threading.current_thread() is not threading.main_thread():
            return
        self._previous = {sig: signal.signal(sig, self._handle) for sig in SIGNALS}

    def uninstall(self) -> None:
        """Give the signals back to the handlers they had."""
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)  # type: ignore[arg-type]
        self._previous = {}

    @contextmanager
    def routed(self, stop: Callable[[str], None]) -> Iterator[None]:
        """Within this block a signal calls ``stop(reason)`` (it must be safe to call from a signal handler)."""
        self._route = stop
        try:
            yield
        finally:
            self._route = None

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        name = signal.Signals(signum).name
        first = self.received is None
        self.received = self.received or name
        if self._route is not None:
            self._route(f"interrupted by {name}")
        elif first:
            raise KeyboardInterrupt(f"interrupted by {name}")
