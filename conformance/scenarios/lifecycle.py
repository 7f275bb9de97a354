"""Thread and run statuses, state updates, stateless runs and if_not_exists around double texting."""

from __future__ import annotations

from conformance.scenarios._model import (
    CLIENT_ERROR,
    SUCCESS,
    Answered,
    AnsweredError,
    AwaitHeld,
    CheckNow,
    DeleteThread,
    Expect,
    Given,
    HistoryLimit,
    Join,
    ListedNone,
    OneOf,
    OneRunExecuting,
    OtherThread,
    Release,
    RunStatus,
    Scenario,
    Start,
    StartStateless,
    StayedStopped,
    Step,
    Strategy,
    ThreadMessages,
    ThreadStatus,
    UpdateState,
    ViaOtherThread,
    WatchStop,
)  # fmt: skip
from conformance.scenarios.questions import ASK
from conformance.scenarios.transcripts import conversation

__all__ = ["LIFECYCLE"]

SF = ASK["first"]
HELD: tuple[Step, ...] = (Start("first", SF, hold_at="agent"), AwaitHeld("first"))
STRATEGIES: tuple[Strategy | None, ...] = ("reject", "enqueue", "interrupt", "rollback", None)


def _stateless(strategy: Strategy) -> Scenario:
    return Scenario(
        id=f"stateless.{strategy}",
        title=f"A stateless run with {strategy} while a thread run is held",
        setup=HELD,
        steps=(StartStateless("stateless", ASK["stateless"], strategy=strategy), Release("first"), Join("first")),
        expect=(
            Expect("STATELESS-NEVER-DOUBLE-TEXTS", Answered("stateless", (200,))),
            Expect("STATELESS-NEVER-DOUBLE-TEXTS", RunStatus("first", "success")),
            Expect("STATELESS-NEVER-DOUBLE-TEXTS", ThreadMessages(conversation(SF))),
        ),
    )  # fmt: skip


def _if_not_exists(strategy: Strategy | None) -> Scenario:
    return Scenario(
        id=f"if-not-exists.{strategy or 'default'}",
        title=f"if_not_exists=create on an unknown thread id, strategy {strategy or 'omitted'}",
        steps=(Start("first", SF, strategy=strategy, if_not_exists="create"), Join("first")),
        expect=(
            Expect("RUN-IF-NOT-EXISTS-CREATES", RunStatus("first", "success")),
            Expect("RUN-IF-NOT-EXISTS-CREATES", ThreadMessages(conversation(SF))),
        ),
        create_thread=False,
    )


LIFECYCLE: tuple[Scenario, ...] = (
    Scenario(
        id="thread-status.busy-then-idle",
        title="A thread is busy while its run is held, idle once it succeeded",
        setup=HELD,
        steps=(CheckNow(Expect("THREAD-BUSY-WHILE-IN-FLIGHT", ThreadStatus("busy"))), Release("first"), Join("first")),
        expect=(Expect("THREAD-IDLE-AFTER-SUCCESS", ThreadStatus("idle")),),
    ),
    Scenario(
        id="thread-status.busy-with-second-run",
        title="A thread is busy while its second run is held, after its first succeeded",
        setup=(Start("first", SF), Join("first"), Start("second", ASK["second"], hold_at="agent"), AwaitHeld("second")),
        steps=(CheckNow(Expect("THREAD-BUSY-WHILE-IN-FLIGHT", ThreadStatus("busy"))), Release("second"), Join("second")),
        expect=(Expect("THREAD-IDLE-AFTER-SUCCESS", ThreadStatus("idle")),),
    ),
    Scenario(
        id="thread-status.two-runs-in-flight",
        title="A thread is busy while its first run is held and a second waits, and while the second runs after it",
        setup=(*HELD, Start("second", ASK["second"], strategy="enqueue", hold_at="agent"),
               Given(RunStatus("second", "pending"))),
        steps=(
            CheckNow(Expect("THREAD-BUSY-WHILE-IN-FLIGHT", ThreadStatus("busy"))),
            CheckNow(Expect("THREAD-ONE-RUN-AT-A-TIME", OneRunExecuting())),
            Release("first"),
            Join("first"),
            AwaitHeld("second"),
            CheckNow(Expect("THREAD-BUSY-WHILE-IN-FLIGHT", ThreadStatus("busy"))),
            Release("second"),
            Join("second"),
        ),
        expect=(Expect("THREAD-IDLE-AFTER-SUCCESS", ThreadStatus("idle")),),
    ),
    Scenario(
        id="scoping.other-thread",
        title="A run held on its thread, asked about through another thread's id: never found there, never touched",
        setup=(*HELD, OtherThread()),
        steps=(
            ViaOtherThread("get", "first"),
            ViaOtherThread("cancel", "first"),
            ViaOtherThread("list"),
            Release("first"),
            Join("first"),
            ViaOtherThread("join", "first"),
        ),
        expect=(
            Expect("RUN-SCOPED-TO-THREAD", Answered("other:get:first", (404,))),
            Expect("RUN-SCOPED-TO-THREAD", Answered("other:cancel:first", (404,))),
            Expect("RUN-SCOPED-TO-THREAD", ListedNone("other:list")),
            # A join answers a run it cannot find either way (docs/lanes/contract.md): 404, or 200 with an error body.
            Expect("RUN-SCOPED-TO-THREAD", OneOf((Answered("other:join:first", (404,)), AnsweredError("other:join:first")))),
            Expect("RUN-SCOPED-TO-THREAD", RunStatus("first", "success")),  # the cancel through the other did nothing
        ),
    ),
    Scenario(
        id="thread-delete.while-running",
        title="Delete the thread while its run is held in the tool node: the run stops",
        setup=(Start("first", SF, hold_at="tools"), AwaitHeld("first")),
        steps=(DeleteThread(), WatchStop("first")),
        expect=(Expect("THREAD-DELETE-STOPS-RUNS", StayedStopped("first"), given=Answered("delete_thread", SUCCESS)),),
    ),
    Scenario(
        id="history.documented-limit",
        title="The thread history of a finished run is read with the largest limit the document allows",
        setup=(Start("first", SF), Join("first")),
        steps=(),
        expect=(Expect("HISTORY-LIMIT-DOCUMENTED", HistoryLimit(1000)),),
    ),
    Scenario(
        id="thread-status.waiting-on-human",
        title="A thread whose run asked a human is interrupted",
        setup=(Start("first", SF, ask_human_at="tools"), Join("first")),
        steps=(),
        expect=(Expect("THREAD-INTERRUPTED-WAITING-HUMAN", ThreadStatus("interrupted")),),
    ),
    Scenario(
        id="run-fails",
        title="A run whose graph raises ends in error, and so does its thread",
        setup=(Start("first", SF, fail_at="tools"),),
        steps=(Join("first"),),
        expect=(
            Expect("RUN-ERROR-AFTER-FAILURE", RunStatus("first", "error")),
            Expect("THREAD-ERROR-AFTER-FAILURE", ThreadStatus("error")),
        ),
    ),
    Scenario(
        id="state-update.while-in-flight",
        title="Updating the state of a thread whose run is held is refused",
        setup=HELD,
        steps=(UpdateState("update", ASK["update"]), Release("first"), Join("first")),
        expect=(
            Expect("STATE-UPDATE-IN-FLIGHT-REFUSED", Answered("update", CLIENT_ERROR)),
            Expect("STATE-UPDATE-IN-FLIGHT-REFUSED", RunStatus("first", "success")),
            Expect("STATE-UPDATE-IN-FLIGHT-REFUSED", ThreadMessages(conversation(SF))),
            Expect("STATE-UPDATE-IN-FLIGHT-409", Answered("update", (409,))),
        ),
    ),
    *(_stateless(strategy) for strategy in ("reject", "interrupt", "rollback")),
    *(_if_not_exists(strategy) for strategy in STRATEGIES),
)  # fmt: skip
