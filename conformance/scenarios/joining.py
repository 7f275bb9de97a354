"""Joining runs that a double-text interrupted or rolled back, plain and as a stream."""

from __future__ import annotations

from conformance.scenarios._model import (
    Answered,
    AnsweredError,
    AwaitHeld,
    Expect,
    Join,
    JoinStream,
    OneOf,
    RunGone,
    RunStatus,
    Scenario,
    Start,
    Step,
    Strategy,
)  # fmt: skip
from conformance.scenarios.questions import ASK

__all__ = ["JOINING"]


def _join(strategy: Strategy, stream: bool) -> Scenario:
    label = f"{'join_stream' if stream else 'join'}:first"
    join: Step = JoinStream("first") if stream else Join("first")
    # The join is about a run the double-text replaced: where the server did not replace it, the
    # double-text's own requirements say so, and these are not reached.
    if strategy == "rollback":
        requirement = "JOIN-STREAM-DELETED-NOT-SUCCESS" if stream else "JOIN-DELETED-NOT-SUCCESS"
        check, given = OneOf((Answered(label, (404,)), AnsweredError(label))), RunGone("first")
    else:
        requirement = "JOIN-STREAM-INTERRUPTED-ENDS" if stream else "JOIN-INTERRUPTED-RETURNS"
        check, given = Answered(label, (200,)), RunStatus("first", "interrupted")
    return Scenario(
        id=f"join.{'stream.' if stream else ''}{strategy}",
        title=f"Join {'the stream of ' if stream else ''}a run that a {strategy} double-text replaced",
        setup=(Start("first", ASK["first"], hold_at="agent"), AwaitHeld("first")),
        steps=(Start("second", ASK["second"], strategy=strategy), Join("second"), join),
        expect=(Expect(requirement, check, given=given),),
    )  # fmt: skip


JOINING: tuple[Scenario, ...] = tuple(
    _join(strategy, stream) for strategy in ("rollback", "interrupt") for stream in (False, True)
)
