"""The two ways a scenario can stop early, kept apart because only one of them is a verdict."""

from __future__ import annotations

__all__ = ["Deviation", "HarnessError", "Stopped", "TimedOut"]


class HarnessError(Exception):
    """The suite could not test: unreachable target, refused credentials, missing fixture, garbage.

    Never a verdict on the server: it makes the outcome ``error`` and the exit code 2.
    """


class Deviation(Exception):
    """The server did something that stops the script: a needed run was not created, a wait timed out.

    A verdict: the scenario's requirements fail with this message.
    """


class TimedOut(Deviation):
    """A bounded wait on the target ran out: a verdict, unless the breaker finds the target stalled."""


class Stopped(HarnessError):
    """The session was stopped before it could finish: the breaker, ``--max-time``, or a signal."""

    def __init__(self, reason: str, *, interrupted: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.interrupted = interrupted
