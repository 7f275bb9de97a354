"""The thread-centric protocol's commands themselves; what ``run.start`` does to a busy thread is in the
double-texting matrix (``command`` is one of its endpoints)."""

from __future__ import annotations

from conformance.scenarios._model import Command, CommandAnswered, Expect, Join, RunStatus, Scenario, Start
from conformance.scenarios.questions import ASK

__all__ = ["THREAD_PROTOCOL"]

SF = ASK["first"]

THREAD_PROTOCOL: tuple[Scenario, ...] = (
    Scenario(
        "command.unknown-method", "a command whose method no server serves",
        steps=(Command("unknown", "conformance.no-such-method"),),
        expect=(Expect("CMD-ANSWER-ENVELOPE", CommandAnswered("unknown")),
                Expect("CMD-UNKNOWN-METHOD", CommandAnswered("unknown", "unknown_command"))),
    ),
    Scenario(
        "command.run-start", "run.start on an idle thread; the run it names, through the classic routes",
        steps=(Start("first", SF, endpoint="command"), Join("first")),
        expect=(Expect("CMD-ANSWER-ENVELOPE", CommandAnswered("first", "success")),
                Expect("CMD-RUN-START-RESOLVES", RunStatus("first", "success"))),
    ),
)  # fmt: skip
