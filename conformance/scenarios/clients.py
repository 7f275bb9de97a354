"""The how-to as its readers run it: each double-text through each official SDK.

The first run is started by the suite and held in the model's node, so the overlap is
certain; everything the reader of the how-to does after that goes through the SDK, and the
checks judge what the SDK showed (what a method returned, or the error it raised).
"""

from __future__ import annotations

from conformance.scenarios._model import (
    CLIENT_ERROR,
    AnsweredError,
    AwaitHeld,
    Expect,
    Join,
    OneOf,
    Raised,
    Release,
    ReturnedMessages,
    ReturnedRun,
    Scenario,
    Sdk,
    SdkCall,
    Start,
    Step,
)  # fmt: skip
from conformance.scenarios.questions import ASK
from conformance.scenarios.transcripts import asked, conversation

__all__ = ["CLIENTS", "SDKS"]

SDKS: tuple[Sdk, ...] = ("python", "js")
SF, NYC = ASK["first"], ASK["second"]
HELD: tuple[Step, ...] = (Start("first", SF, hold_at="agent"), AwaitHeld("first"))


def _rollback(sdk: Sdk) -> Scenario:
    return Scenario(
        id=f"sdk.{sdk}.rollback", lane="sdk",
        title=f"The rollback how-to through the {sdk} SDK: the rolled-back run raises 404, the state is the second's",
        setup=HELD,
        steps=(SdkCall(sdk, "runs.create", "second", NYC, "rollback"), SdkCall(sdk, "runs.join", "second"),
               SdkCall(sdk, "runs.get", "first"), SdkCall(sdk, "runs.join", "first"),
               SdkCall(sdk, "threads.get_state")),
        expect=(
            Expect("SDK-ROLLBACK-GET-RAISES-404", Raised("runs.get:first", (404,))),
            Expect("SDK-ROLLBACK-STATE-SECOND-ONLY", ReturnedMessages("threads.get_state", conversation(NYC))),
            Expect("SDK-ROLLBACK-JOIN-NOT-SUCCESS",  # about a deleted run: where it is not, the 404 above says so
                   OneOf((Raised("runs.join:first", CLIENT_ERROR), AnsweredError("runs.join:first"))),
                   given=Raised("runs.get:first", (404,))),
        ),
    )  # fmt: skip


def _interrupt(sdk: Sdk) -> Scenario:
    return Scenario(
        id=f"sdk.{sdk}.interrupt", lane="sdk",
        title=f"interrupt through the {sdk} SDK: the first run is kept as interrupted with its partial output",
        setup=HELD,
        steps=(SdkCall(sdk, "runs.create", "second", NYC, "interrupt"), SdkCall(sdk, "runs.join", "second"),
               SdkCall(sdk, "runs.get", "first"), SdkCall(sdk, "runs.get", "second"),
               SdkCall(sdk, "threads.get_state")),
        expect=(
            Expect("SDK-INTERRUPT-FIRST-INTERRUPTED", ReturnedRun("runs.get:first", "interrupted")),
            Expect("SDK-INTERRUPT-FIRST-INTERRUPTED", ReturnedRun("runs.get:second", "success")),
            Expect("SDK-INTERRUPT-STATE-KEEPS-PARTIAL",
                   ReturnedMessages("threads.get_state", (*asked(SF), *conversation(NYC)))),
        ),
    )  # fmt: skip


def _enqueue(sdk: Sdk) -> Scenario:
    return Scenario(
        id=f"sdk.{sdk}.enqueue", lane="sdk",
        title=f"enqueue through the {sdk} SDK: the double-text runs after the first, both succeed",
        setup=HELD,
        steps=(SdkCall(sdk, "runs.create", "second", NYC, "enqueue"), Release("first"),
               SdkCall(sdk, "runs.join", "second"), SdkCall(sdk, "runs.get", "first"),
               SdkCall(sdk, "runs.get", "second"), SdkCall(sdk, "threads.get_state")),
        expect=(
            Expect("SDK-ENQUEUE-IN-ORDER", ReturnedRun("runs.get:first", "success")),
            Expect("SDK-ENQUEUE-IN-ORDER", ReturnedRun("runs.get:second", "success")),
            Expect("SDK-ENQUEUE-IN-ORDER", ReturnedMessages("threads.get_state", (*conversation(SF), *conversation(NYC)))),
        ),
    )  # fmt: skip


def _reject(sdk: Sdk) -> Scenario:
    return Scenario(
        id=f"sdk.{sdk}.reject", lane="sdk",
        title=f"reject through the {sdk} SDK: the double-text raises, the first run goes on alone",
        setup=HELD,
        steps=(SdkCall(sdk, "runs.create", "second", NYC, "reject"), Release("first"), Join("first"),
               SdkCall(sdk, "threads.get_state")),
        expect=(
            Expect("SDK-REJECT-RAISES", Raised("runs.create:second", CLIENT_ERROR)),
            Expect("SDK-REJECT-RAISES", ReturnedMessages("threads.get_state", conversation(SF))),
        ),
    )  # fmt: skip


CLIENTS: tuple[Scenario, ...] = tuple(make(sdk) for sdk in SDKS for make in (_rollback, _interrupt, _enqueue, _reject))
