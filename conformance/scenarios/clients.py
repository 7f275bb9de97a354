"""The how-to as its readers run it: each double-text through each official SDK.

The first run is started by the suite and held in the model's node, so the overlap is
certain; everything the reader of the how-to does after that goes through the SDK, and the
checks judge what the SDK showed (what a method returned, or the error it raised).

The double-text is sent with ``runs.create``, and through the SDK's thread stream
(``client.threads.stream(...).run.start``, the thread-centric protocol): the JS SDK's names each
strategy, the Python SDK's names none, so its double-text is the server's default (enqueue).
"""

from __future__ import annotations

from importlib.metadata import version

from conformance.scenarios._model import (
    CLIENT_ERROR,
    AnsweredError,
    AwaitHeld,
    AwaitSettled,
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
    SdkMethod,
    SdkNote,
    Start,
    Step,
    Strategy,
)  # fmt: skip
from conformance.scenarios.questions import ASK
from conformance.scenarios.transcripts import asked, conversation

__all__ = ["CLIENTS", "SDKS"]

SDKS: tuple[Sdk, ...] = ("python", "js")
SF, NYC = ASK["first"], ASK["second"]
HELD: tuple[Step, ...] = (Start("first", SF, hold_at="agent"), AwaitHeld("first"))


PYTHON_OUTPUT = (f"the Python SDK's thread.output (langgraph-sdk {version('langgraph-sdk')}) resolves on the first root "
                 "completed or failed event its stream shows (langgraph_sdk/_async/stream.py), not on the end of the run "
                 "it started: under enqueue, the first run's, where the server shows that run's end there")


def _id(sdk: Sdk, start: SdkMethod, strategy: str) -> str:
    return f"sdk.{sdk}.{'thread-stream.' if start == 'run.start' else ''}{strategy}"


def _via(start: SdkMethod) -> str:
    return " (run.start on its thread stream)" if start == "run.start" else ""


def _rollback(sdk: Sdk, start: SdkMethod = "runs.create") -> Scenario:
    return Scenario(
        id=_id(sdk, start, "rollback"), lane="sdk",
        title=f"The rollback how-to through the {sdk} SDK{_via(start)}: the rolled-back run raises 404, the state is "
              "the second's",
        setup=HELD,
        steps=(SdkCall(sdk, start, "second", NYC, "rollback"), SdkCall(sdk, "runs.join", "second"),
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


def _interrupt(sdk: Sdk, start: SdkMethod = "runs.create") -> Scenario:
    return Scenario(
        id=_id(sdk, start, "interrupt"), lane="sdk",
        title=f"interrupt through the {sdk} SDK{_via(start)}: the first run is kept as interrupted with its partial "
              "output",
        setup=HELD,
        steps=(SdkCall(sdk, start, "second", NYC, "interrupt"), SdkCall(sdk, "runs.join", "second"),
               SdkCall(sdk, "runs.get", "first"), SdkCall(sdk, "runs.get", "second"),
               SdkCall(sdk, "threads.get_state")),
        expect=(
            Expect("SDK-INTERRUPT-FIRST-INTERRUPTED", ReturnedRun("runs.get:first", "interrupted")),
            Expect("SDK-INTERRUPT-FIRST-INTERRUPTED", ReturnedRun("runs.get:second", "success")),
            Expect("SDK-INTERRUPT-STATE-KEEPS-PARTIAL",
                   ReturnedMessages("threads.get_state", (*asked(SF), *conversation(NYC)))),
        ),
    )  # fmt: skip


def _enqueue(sdk: Sdk, start: SdkMethod = "runs.create", strategy: Strategy | None = "enqueue") -> Scenario:
    output = sdk == "python" and start == "run.start"  # and what its thread stream's output resolves with
    return Scenario(
        id=_id(sdk, start, strategy or "default"), lane="sdk",
        title=f"{strategy or 'the default strategy'} through the {sdk} SDK{_via(start)}: the double-text runs after "
              "the first, both succeed",
        setup=HELD,
        steps=(SdkCall(sdk, start, "second", NYC, strategy), Release("first"),
               SdkCall(sdk, "runs.join", "second"), SdkCall(sdk, "runs.get", "first"),
               SdkCall(sdk, "runs.get", "second"), SdkCall(sdk, "threads.get_state"),
               *((SdkCall(sdk, "thread.output"),) if output else ())),
        notes=(SdkNote("thread.output", "threads.get_state", PYTHON_OUTPUT),) if output else (),
        expect=(
            Expect("SDK-ENQUEUE-IN-ORDER", ReturnedRun("runs.get:first", "success")),
            Expect("SDK-ENQUEUE-IN-ORDER", ReturnedRun("runs.get:second", "success")),
            Expect("SDK-ENQUEUE-IN-ORDER", ReturnedMessages("threads.get_state", (*conversation(SF), *conversation(NYC)))),
        ),
    )  # fmt: skip


def _reject(sdk: Sdk, start: SdkMethod = "runs.create") -> Scenario:
    return Scenario(
        id=_id(sdk, start, "reject"), lane="sdk",
        title=f"reject through the {sdk} SDK{_via(start)}: the double-text raises, the first run goes on alone",
        setup=HELD,
        steps=(SdkCall(sdk, start, "second", NYC, "reject"), Release("first"), Join("first"), AwaitSettled(),
               SdkCall(sdk, "threads.get_state")),
        expect=(
            # a protocol error carries no HTTP status: through run.start any error the SDK raises is the refusal
            Expect("SDK-REJECT-RAISES", Raised(f"{start}:second", CLIENT_ERROR if start == "runs.create" else ())),
            Expect("SDK-REJECT-RAISES", ReturnedMessages("threads.get_state", conversation(SF))),
        ),
    )  # fmt: skip


CLIENTS: tuple[Scenario, ...] = (
    *(make(sdk) for sdk in SDKS for make in (_rollback, _interrupt, _enqueue, _reject)),
    *(make("js", "run.start") for make in (_rollback, _interrupt, _enqueue, _reject)),
    _enqueue("python", "run.start", None),
)
