"""The ways a scenario can stop early, kept apart because only one of them is a verdict."""

from __future__ import annotations

__all__ = ["Deviation", "HarnessError", "NotReached", "Stopped", "TimedOut"]


class HarnessError(Exception):
    """The suite could not test: unreachable target, refused credentials, missing fixture, garbage.

    Never a verdict on the server: it makes the session ``error`` and the exit code 2.
    """


class Deviation(Exception):
    """The server did something the contract forbids that stops the script: a verdict.

    The requirements of the scenario not judged yet fail with this message.
    """


class NotReached(Exception):
    """The scenario never got to the situation its requirements are about: no verdict either way.

    A refused set-up step, a read the checks need that the target refuses, a wait the target had
    no room to end. The message names the cause (the step, the request and its answer).
    """


class TimedOut(Exception):
    """A bounded wait on the target ran out: by itself no verdict (``conformance.core.room`` decides).

    ``started`` is when the wait began (``time.monotonic()``); ``room`` is set by the monitor
    that tracked the wait: whether the target had room to end it (see ``conformance.core.room``).
    """

    def __init__(self, message: str, *, started: float | None = None) -> None:
        super().__init__(message)
        self.started = started
        self.room = False
        """Whether the target had room to end the wait (``conformance.core.room``)."""
        self.why = ""
        """The words that say why it had room, or why not."""
        self.alone = False
        """No room only because nothing else progressed, within capacity: a control run may decide."""


class Stopped(HarnessError):
    """The session was stopped before it could finish: the breaker, ``--max-time``, or a signal."""

    def __init__(self, reason: str, *, interrupted: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.interrupted = interrupted
