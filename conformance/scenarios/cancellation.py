"""Cancelling: each action with and without wait on a run held in the tool node, and the edges."""

from __future__ import annotations

from conformance.scenarios._model import (
    CLIENT_ERROR,
    SUCCESS,
    Answered,
    AwaitHeld,
    Cancel,
    CancelAction,
    CancelByStatus,
    CancelMany,
    CheckNow,
    Expect,
    Join,
    Release,
    RunGone,
    RunSettled,
    RunStatus,
    Scenario,
    Start,
    StayedStopped,
    Step,
    ThreadMessages,
    WatchStop,
)  # fmt: skip
from conformance.scenarios.double_texting import stopped
from conformance.scenarios.questions import ASK
from conformance.scenarios.transcripts import conversation, until_tool_call

__all__ = ["CANCELLATION"]

SF = ASK["first"]


def _cancel(action: CancelAction, wait: bool) -> Scenario:
    """Cancel a run held in the tool node; with wait=1 the cancel's answer already shows the result."""
    if action == "interrupt":
        settled = Expect("CANCEL-INTERRUPT-KEEPS-RUN", RunStatus("first", "interrupted"))
        state = Expect("CANCEL-INTERRUPT-KEEPS-PARTIAL", ThreadMessages(until_tool_call(SF)))
    else:
        settled = Expect("CANCEL-ROLLBACK-DELETES-RUN", RunGone("first"))
        state = Expect("CANCEL-ROLLBACK-CLEARS-STATE", ThreadMessages(()))
    now: tuple[Step, ...] = (CheckNow(Expect("CANCEL-WAIT-SETTLES", RunSettled("first"))),) if wait else ()
    return Scenario(
        id=f"cancel.{action}.{'wait' if wait else 'no-wait'}",
        title=f"Cancel a running run with action={action}, wait={int(wait)}",
        setup=(Start("first", SF, hold_at="tools"), AwaitHeld("first")),
        steps=(Cancel("first", action, wait), *now, WatchStop("first"), Join("first")),
        expect=(Expect("CANCEL-ACCEPTED", Answered("cancel:first", SUCCESS)), settled, state,
                Expect("CANCEL-STOPS-RUN", StayedStopped("first"))),
    )  # fmt: skip


CANCELLATION: tuple[Scenario, ...] = (
    *(_cancel(action, wait) for action in ("interrupt", "rollback") for wait in (False, True)),
    Scenario(
        id="cancel.finished-run",
        title="Cancelling a run that already finished is refused",
        setup=(Start("first", SF), Join("first")),
        steps=(Cancel("first", "interrupt", refusal_expected=True),),
        expect=(
            Expect("CANCEL-FINISHED-REFUSED", Answered("cancel:first", CLIENT_ERROR)),
            Expect("CANCEL-FINISHED-REFUSED", RunStatus("first", "success")),
        ),
    ),
    Scenario(
        id="cancel.many-by-ids",
        title="Cancel a running and a pending run in one request, by their ids",
        setup=(Start("first", SF, hold_at="agent"), AwaitHeld("first"), Start("second", ASK["second"], strategy="enqueue")),
        steps=(
            CancelMany(("first", "second")),
            WatchStop("first"),
            Join("first"),
            Join("second"),
        ),
        expect=(
            Expect("CANCEL-MANY-BY-IDS", Answered("cancel_many", SUCCESS)),
            Expect("CANCEL-MANY-BY-IDS", RunStatus("first", "interrupted")),
            Expect("CANCEL-MANY-BY-IDS", RunStatus("second", "interrupted")),
            Expect("CANCEL-STOPS-RUN", StayedStopped("first"), given=stopped("first")),
        ),
    ),
    Scenario(
        id="cancel.many-by-status",
        title="Cancel every pending run on the server: the enqueued run stops, the running one goes on",
        setup=(Start("first", SF, hold_at="agent"), AwaitHeld("first"), Start("second", ASK["second"], strategy="enqueue")),
        steps=(
            CancelByStatus("pending"),
            Join("second"),
            CheckNow(Expect("CANCEL-MANY-BY-STATUS", RunStatus("first", "running"))),
            Release("first"),
            Join("first"),
        ),
        expect=(
            Expect("CANCEL-MANY-BY-STATUS", Answered("cancel_many", SUCCESS)),
            Expect("CANCEL-MANY-BY-STATUS", RunStatus("second", "interrupted")),
            Expect("CANCEL-MANY-BY-STATUS", RunStatus("first", "success")),
            Expect("CANCEL-MANY-BY-STATUS", ThreadMessages(conversation(SF))),
        ),
    ),
)  # fmt: skip
