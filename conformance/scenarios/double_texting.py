"""Double texting: a second run arrives while the first is held inside the graph.

Read each scenario top to bottom: the steps are what the suite does, ``expect`` is what the
contract says the server must show afterwards.
"""

from __future__ import annotations

from conformance.scenarios._model import (
    Accepted,
    AwaitHeld,
    Join,
    Refused,
    Release,
    RunGone,
    RunsListed,
    RunStatus,
    Scenario,
    Start,
    ThreadMessages,
)
from conformance.scenarios.transcripts import asked, conversation

__all__ = ["DOUBLE_TEXTING"]

SF = "what's the weather in sf?"
NYC = "what's the weather in nyc?"

DOUBLE_TEXTING: tuple[Scenario, ...] = (
    Scenario(
        id="rollback-seed",
        title="The rollback how-to: a rollback double-text deletes the first run",
        steps=(
            Start("first", SF, hold_at="agent"),
            AwaitHeld("first"),
            Start("second", NYC, strategy="rollback"),
            Join("second"),
        ),
        expect=(
            ThreadMessages("DT-ROLLBACK-DELETES-FIRST", conversation(NYC)),
            RunGone("DT-ROLLBACK-DELETES-FIRST", "first"),
            RunsListed("DT-ROLLBACK-DELETES-FIRST", ("second",)),
            RunStatus("DT-ROLLBACK-DELETES-FIRST", "second", "success"),
        ),
    ),
    Scenario(
        id="interrupt-held-in-agent",
        title="An interrupt double-text keeps the first run as interrupted",
        steps=(
            Start("first", SF, hold_at="agent"),
            AwaitHeld("first"),
            Start("second", NYC, strategy="interrupt"),
            Join("second"),
        ),
        expect=(
            ThreadMessages("DT-INTERRUPT-KEEPS-FIRST", (*asked(SF), *conversation(NYC))),
            RunStatus("DT-INTERRUPT-KEEPS-FIRST", "first", "interrupted"),
            RunStatus("DT-INTERRUPT-KEEPS-FIRST", "second", "success"),
        ),
    ),
    Scenario(
        id="enqueue-held-in-agent",
        title="An enqueue double-text runs after the first run",
        steps=(
            Start("first", SF, hold_at="agent"),
            AwaitHeld("first"),
            Start("second", NYC, strategy="enqueue"),
            Release("first"),
            Join("second"),
        ),
        expect=(
            ThreadMessages("DT-ENQUEUE-RUNS-IN-ORDER", (*conversation(SF), *conversation(NYC))),
            RunStatus("DT-ENQUEUE-RUNS-IN-ORDER", "first", "success"),
            RunStatus("DT-ENQUEUE-RUNS-IN-ORDER", "second", "success"),
        ),
    ),
    Scenario(
        id="reject-held-in-agent",
        title="A reject double-text is refused and changes nothing",
        steps=(
            Start("first", SF, hold_at="agent"),
            AwaitHeld("first"),
            Start("second", NYC, strategy="reject"),
            Release("first"),
            Join("first"),
        ),
        expect=(
            Refused("DT-REJECT-CHANGES-NOTHING", "second"),
            RunsListed("DT-REJECT-CHANGES-NOTHING", ("first",)),
            RunStatus("DT-REJECT-CHANGES-NOTHING", "first", "success"),
            ThreadMessages("DT-REJECT-CHANGES-NOTHING", conversation(SF)),
            Refused("DT-REJECT-409", "second", (409,)),
        ),
    ),
)
