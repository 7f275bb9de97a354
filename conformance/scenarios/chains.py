"""Chains: more than two runs on one thread, double-texting one after another."""

from __future__ import annotations

from conformance.scenarios._model import (
    AwaitHeld,
    CheckNow,
    Expect,
    Join,
    Release,
    RunGone,
    RunsListed,
    RunStatus,
    Scenario,
    Start,
    Step,
    Strategy,
    ThreadMessages,
)  # fmt: skip
from conformance.scenarios.questions import ASK
from conformance.scenarios.transcripts import asked, conversation

__all__ = ["CHAINS"]

RUNS = ("first", "second", "third", "fourth")


HELD: tuple[Step, ...] = (Start("first", ASK["first"], hold_at="agent"), AwaitHeld("first"))


def _replaced_twice(second: Strategy, third: Strategy) -> tuple[Step, ...]:
    """After the held first run: a held second run double-texting it, then a third double-texting both."""
    return (
        Start("second", ASK["second"], strategy=second, hold_at="agent"),
        AwaitHeld("second"),
        Start("third", ASK["third"], strategy=third),
        Join("third"),
    )

CHAINS: tuple[Scenario, ...] = (
    Scenario(
        id="chain.enqueue-four",
        title="Three runs enqueued behind a held run run one at a time, in creation order",
        setup=HELD,
        steps=(
            *(Start(run, ASK[run], strategy="enqueue") for run in RUNS[1:]),
            *(CheckNow(Expect("DT-ENQUEUE-CHAIN-ORDER", RunStatus(run, "pending"))) for run in RUNS[1:]),
            Release("first"),
            Join("fourth"),
        ),
        expect=(
            *(Expect("DT-ENQUEUE-CHAIN-ORDER", RunStatus(run, "success")) for run in RUNS),
            Expect("DT-ENQUEUE-CHAIN-ORDER", ThreadMessages(tuple(line for run in RUNS for line in conversation(ASK[run])))),
        ),
    ),
    Scenario(
        id="chain.interrupt-then-rollback",
        title="An interrupt double-text, then a rollback while its run is still running",
        setup=HELD,
        steps=_replaced_twice("interrupt", "rollback"),
        expect=(
            Expect("DT-REPLACEMENT-DOUBLE-TEXT", RunGone("second")),
            Expect("DT-REPLACEMENT-DOUBLE-TEXT", RunStatus("first", "interrupted")),
            Expect("DT-REPLACEMENT-DOUBLE-TEXT", RunsListed(("first", "third"))),
            Expect("DT-REPLACEMENT-DOUBLE-TEXT",
                   ThreadMessages((*asked(ASK["first"]), *conversation(ASK["third"])))),
            Expect("DT-ROLLBACK-SECOND-SUCCEEDS", RunStatus("third", "success")),
        ),
    ),
    Scenario(
        id="chain.interrupt-while-replacement-runs",
        title="An interrupt double-text while the previous interrupting run is still running",
        setup=HELD,
        steps=_replaced_twice("interrupt", "interrupt"),
        expect=(
            Expect("DT-REPLACEMENT-DOUBLE-TEXT", RunStatus("first", "interrupted")),
            Expect("DT-REPLACEMENT-DOUBLE-TEXT", RunStatus("second", "interrupted")),
            Expect("DT-REPLACEMENT-DOUBLE-TEXT",
                   ThreadMessages((*asked(ASK["first"]), *asked(ASK["second"]), *conversation(ASK["third"])))),
            Expect("DT-INTERRUPT-SECOND-SUCCEEDS", RunStatus("third", "success")),
        ),
    ),
    Scenario(
        id="chain.rollback-while-replacement-runs",
        title="A rollback double-text while the previous rolling-back run is still running",
        setup=HELD,
        steps=_replaced_twice("rollback", "rollback"),
        expect=(
            Expect("DT-REPLACEMENT-DOUBLE-TEXT", RunGone("first")),
            Expect("DT-REPLACEMENT-DOUBLE-TEXT", RunGone("second")),
            Expect("DT-REPLACEMENT-DOUBLE-TEXT", RunsListed(("third",))),
            Expect("DT-REPLACEMENT-DOUBLE-TEXT", ThreadMessages(conversation(ASK["third"]))),
            Expect("DT-ROLLBACK-SECOND-SUCCEEDS", RunStatus("third", "success")),
        ),
    ),
)  # fmt: skip
