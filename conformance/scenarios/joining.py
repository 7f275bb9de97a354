"""Joining runs that a double-text interrupted or rolled back, plain and as a stream: joins made after the
double-text, and joins already waiting when it came."""

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
    WaitingJoin,
)  # fmt: skip
from conformance.scenarios.questions import ASK

__all__ = ["JOINING"]


def _join(strategy: Strategy, stream: bool, waiting: bool) -> Scenario:
    """A join of the held first run, made after the double-text replaced it, or (``waiting``) already waiting when
    the double-text came."""
    joined = WaitingJoin("first", stream) if waiting else JoinStream("first") if stream else Join("first")
    label = joined.label
    # The join is about a run the double-text replaced: where the server did not replace it, the
    # double-text's own requirements say so, and these are not reached.
    if strategy == "rollback":
        requirement = "JOIN-STREAM-DELETED-NOT-SUCCESS" if stream else "JOIN-DELETED-NOT-SUCCESS"
        check, given = OneOf((Answered(label, (404,)), AnsweredError(label))), RunGone("first")
    else:
        requirement = "JOIN-STREAM-INTERRUPTED-ENDS" if stream else "JOIN-INTERRUPTED-RETURNS"
        check, given = Answered(label, (200,)), RunStatus("first", "interrupted")
    held: tuple[Step, ...] = (Start("first", ASK["first"], hold_at="agent"), AwaitHeld("first"))
    double_text: tuple[Step, ...] = (Start("second", ASK["second"], strategy=strategy), Join("second"))
    what = f"{'the stream of ' if stream else ''}a run that a {strategy} double-text replaced"
    return Scenario(
        id=f"join.{'waiting.' if waiting else ''}{'stream.' if stream else ''}{strategy}",
        title=f"A join already waiting on {what}" if waiting else f"Join {what}",
        setup=(*held, joined) if waiting else held,
        steps=double_text if waiting else (*double_text, joined),
        expect=(Expect(requirement, check, given=given),),
    )  # fmt: skip


JOINING: tuple[Scenario, ...] = tuple(
    _join(strategy, stream, waiting)
    for waiting in (False, True) for strategy in ("rollback", "interrupt") for stream in (False, True)
)  # fmt: skip
