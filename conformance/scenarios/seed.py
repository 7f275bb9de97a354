"""The rollback how-to, step by step: the first run is rolled back by a second one."""

from __future__ import annotations

from conformance.scenarios._model import (
    AwaitHeld,
    Expect,
    HistoryNames,
    Join,
    RunField,
    RunGone,
    RunsListed,
    RunStatus,
    Scenario,
    Start,
    ThreadMessages,
)  # fmt: skip
from conformance.scenarios.questions import ASK
from conformance.scenarios.transcripts import conversation

__all__ = ["SEED"]

SEED: tuple[Scenario, ...] = (
    Scenario(
        id="rollback-seed",
        title="The rollback how-to: 'what's the weather in sf?' rolled back by 'what's the weather in nyc?'",
        setup=(Start("first", ASK["first"], hold_at="agent"), AwaitHeld("first")),
        steps=(
            Start("second", ASK["second"], strategy="rollback"),
            Join("second"),
        ),
        expect=(
            Expect("DT-ROLLBACK-STATE-SECOND-ONLY", ThreadMessages(conversation(ASK["second"]))),
            Expect("DT-ROLLBACK-FIRST-404", RunGone("first")),
            Expect("DT-ROLLBACK-FIRST-UNLISTED", RunsListed(("second",))),
            Expect("DT-ROLLBACK-HISTORY-CLEAN", HistoryNames("first", present=False, witness="second")),
            Expect("DT-ROLLBACK-SECOND-SUCCEEDS", RunStatus("second", "success")),
            Expect("DT-RUN-ECHOES-STRATEGY", RunField("second", "multitask_strategy", "rollback")),
        ),
    ),
)
