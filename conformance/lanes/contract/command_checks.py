"""Checks of the thread-centric protocol: what a command answered, when a double-text was applied and answered
against its first run, and what the thread's event stream showed."""

from __future__ import annotations

import asyncio
import json
import typing
from datetime import UTC, datetime

from conformance.core.errors import NotReached
from conformance.core.exchange import Reply
from conformance.core.results import CheckOutcome
from conformance.lanes.contract.commands import command_error
from conformance.lanes.contract.events import replay, root_lifecycle
from conformance.lanes.state import IN_FLIGHT, ScenarioState, brief
from conformance.scenarios._model import (
    RUN_ENDS,
    AnsweredInFlight,
    AppliedWhileBusy,
    CommandAnswered,
    Lifecycle,
    RefusalTyped,
    Refused,
    Replayed,
)

__all__ = [
    "answered_in_flight", "applied_while_busy", "command_answered", "lifecycle", "refusal_typed", "refused", "replayed",
    "typed_codes",
]  # fmt: skip

Judged = tuple[CheckOutcome, str, str, str, str]


def typed_codes() -> tuple[str, ...]:
    """The error codes of the protocol's typed contract, read from the installed ``langchain_protocol``."""
    from langchain_protocol import protocol

    return tuple(a for arg in typing.get_args(protocol.ErrorCode) for a in typing.get_args(arg) or (arg,))


def _answer(state: ScenarioState, label: str) -> Reply:
    got = state.replies.get(label)
    if got is None:
        raise NotReached(f"{label} was never answered")
    return got


def refused(state: ScenarioState, check: Refused) -> Judged:
    got = _answer(state, check.label)
    if check.label in state.commands:
        ok = 400 <= got.status < 500 or command_error(got) is not None
        return ("passed" if ok else "failed"), "a 4xx, or HTTP 200 with an answer of type error", brief(got), "", ""
    return ("passed" if 400 <= got.status < 500 else "failed"), "a 4xx", brief(got), "", ""


def command_answered(state: ScenarioState, check: CommandAnswered) -> Judged:
    got = _answer(state, check.label)
    body = got.body if isinstance(got.body, dict) else {}
    sent = state.commands.get(check.label)
    wrong = [] if got.status == 200 else [f"HTTP {got.status}"]
    if body.get("type") not in ("success", "error"):
        wrong.append(f"type {body.get('type')!r}")
    if not check.answer and body.get("id") != sent:  # the envelope's own check; an answer's kind is about the rest
        wrong.append(f"id {body.get('id')!r} for the command's {sent}")
    if check.answer == "success" and body.get("type") != "success":
        wrong.append("not a success")
    elif check.answer not in ("", "success") and (body.get("type") != "error" or body.get("error") != check.answer):
        wrong.append(f"not an error {check.answer}")
    what = {"": "success or error", "success": "success"}.get(check.answer, f"error {check.answer}")
    expected = f"HTTP 200, type {what}" + ("" if check.answer else f", id {sent}")
    return ("failed" if wrong else "passed"), expected, brief(got), "; ".join(wrong), ""


def refusal_typed(state: ScenarioState, check: RefusalTyped) -> Judged:
    got = _answer(state, check.label)
    code = command_error(got)
    if code is None:
        raise NotReached(f"{check.label} was not refused with an error answer: {brief(got)}")
    typed = code in typed_codes() and code != "unknown_error"
    message = str(got.body.get("message", ""))[:120] if isinstance(got.body, dict) else ""
    return ("passed" if typed else "failed"), "a typed code (the set has no conflict code)", f"{code}: {message}", "", ""


async def _read(state: ScenarioState, name: str) -> tuple[int, dict[str, typing.Any]]:
    run = state.runs.get(name)
    if run is None or not run.run_id:
        return 0, {}
    got = await state.http.request("GET", f"/threads/{state.thread_id}/runs/{run.run_id}")
    return got.status, got.body if got.status == 200 and isinstance(got.body, dict) else {}


def _stamp(run: dict[str, typing.Any], key: str) -> datetime | None:
    try:
        stamp = datetime.fromisoformat(str(run.get(key)))
    except ValueError:
        return None
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)  # a naive stamp compared with an aware one: as UTC


async def _ended_first(state: ScenarioState, label: str, name: str) -> str | None:
    """Where ``name`` ended in success before ``label``'s run was created (by the server's own timestamps): how far
    apart, in words; None where it did not (also where the suite still held ``name`` when ``label`` was answered).
    Timestamps that cannot show it: not reached. Read once per scenario, whatever number of checks ask."""
    run = state.runs.get(label)
    if run is not None and name in run.held_when_answered:
        return None
    if (label, name) not in state.applied:
        state.applied[label, name] = asyncio.ensure_future(_read_ended_first(state, label, name))
    return await asyncio.shield(state.applied[label, name])


async def _read_ended_first(state: ScenarioState, label: str, name: str) -> str | None:
    (_, first), (second_status, second) = await _read(state, name), await _read(state, label)
    if first.get("status") != "success" or second_status != 200:
        return None  # stopped, still in flight or gone; or no run was created for the double-text
    ended, created, began = _stamp(first, "updated_at"), _stamp(second, "created_at"), _stamp(first, "created_at")
    if ended is None or created is None or began is None or ended <= began:
        raise NotReached(f"{name} ended in success, and the runs' created_at and updated_at do not show whether before "
                         f"{label} was created (updated_at {first.get('updated_at')!r}, created_at "
                         f"{second.get('created_at')!r})")  # fmt: skip
    if created <= ended:
        return None
    return f"{name} ended by itself before {label} was created (its updated_at {(created - ended).total_seconds():.3f} s " \
        f"before {label}'s created_at)"  # fmt: skip


def _times(state: ScenarioState, label: str) -> str:
    run = state.runs[label]
    sent = ", ".join(f"{name} {status}" for name, status in run.after_send.items())
    answered = f"answered {run.answered_at - run.sent_at:.2f} s after it was sent" if run.answered_at else "sent"
    seen = ", ".join(f"{name} {status}" for name, status in run.after_answer.items())
    return f"{label}{' sent while ' + sent + ',' if sent else ''} {answered}{'; right after, ' + seen if seen else ''}"


async def applied_while_busy(state: ScenarioState, check: AppliedWhileBusy) -> Judged:
    ended = await _ended_first(state, check.label, check.run)
    expected = f"{check.run} still in flight when {check.label} was applied"
    return ("failed", expected, f"{ended}; {_times(state, check.label)}", "", "") if ended else \
        ("passed", expected, _times(state, check.label), "", "")  # fmt: skip


def _settled(ended: str) -> str:
    """``ended`` without its numbers (they go to the detail: two sessions of one server say the same words)."""
    return ended.split(" (", 1)[0]


async def answered_in_flight(state: ScenarioState, check: AnsweredInFlight) -> Judged:
    expected = f"answered while {check.run} was in flight"
    ended = await _ended_first(state, check.label, check.run)
    if ended:
        before = state.runs[check.label].after_send.get(check.run)
        if before not in IN_FLIGHT:  # it may have ended before the double-text reached the server: nothing shown
            raise NotReached(f"{ended}, and a read of {check.run} once {check.label} was sent showed it "
                             f"{before or 'unread'}: {_times(state, check.label)}")  # fmt: skip
        return ("failed", expected, f"{_settled(ended)}, and {check.label} was sent while it ran",
                f"{ended}; {_times(state, check.label)}", "")  # fmt: skip
    seen = state.runs[check.label].after_answer.get(check.run)
    if seen is None:
        raise NotReached(f"{check.run} was not read right after {check.label} was answered")
    if seen in IN_FLIGHT or seen in ("interrupted", "error", "deleted (404)"):
        return "passed", expected, _times(state, check.label), "", ""
    raise NotReached(f"{check.run} was {seen} right after {check.label} was answered, and its timestamps do not "
                     f"show it ended before: {_times(state, check.label)}")  # fmt: skip


async def lifecycle(state: ScenarioState, check: Lifecycle) -> Judged:
    """The live stream's root lifecycle events against ``check.expected``, once it shows as many (or shows one that
    differs already: the stream only grows), bounded by ``--wait-timeout``."""
    frames = _live(state, check.label)
    expected = " > ".join("|".join(e) for e in check.expected)

    def differs(seen: list[str]) -> bool:
        return len(seen) > len(check.expected) or any(s not in e for s, e in zip(seen, check.expected, strict=False))

    async def settled() -> bool:
        seen = root_lifecycle(frames)
        return len(seen) >= len(check.expected) or differs(seen)

    await state.until(settled, "the thread's event stream to show its runs' lifecycle", state.settings.wait_timeout)
    seen = root_lifecycle(frames)
    shown = " > ".join(seen) or "no root lifecycle event"
    if differs(seen):  # the words: up to the first event that differs (what came later depends on when it is read)
        first = next((i for i, (s, e) in enumerate(zip(seen, check.expected, strict=False)) if s not in e),
                     len(check.expected))  # fmt: skip
        return "failed", expected, " > ".join(seen[: first + 1]), f"all it showed by then: {shown}", ""
    if len(seen) < len(check.expected):
        raise NotReached(f"the thread's event stream showed only {shown} within {state.settings.wait_timeout:g} s")
    return "passed", expected, shown, "", ""


async def replayed(state: ScenarioState, check: Replayed) -> Judged:
    """A new connection's frames against the live connection's, up to the live one's last seq."""
    frames = _live(state, check.label)

    async def shown() -> bool:  # as many events as the runs make, or each run begun and the last one ended
        seen = root_lifecycle(frames)
        return len(seen) >= check.after or (seen.count("running") >= check.after // 2 and seen[-1] in RUN_ENDS)

    await state.until(shown, "the thread's event stream to show its runs' lifecycle", state.settings.wait_timeout)
    live = [f for f in frames if isinstance(f.get("seq"), int)]
    if not live:
        raise NotReached("the live event stream delivered no frame with a seq: nothing to compare a replay with")
    since = live[0]["seq"] if check.since else None
    wanted = [_event(f) for f in live if since is None or f["seq"] > since]

    def more(got: list[dict[str, typing.Any]]) -> bool:  # the same so far, and more to come
        return len(got) < len(wanted) and list(map(_event, got)) == wanted[: len(got)]

    frames, ended = await replay(state, check.label, since, more)
    got = list(map(_event, frames))
    expected, actual = f"{len(wanted)} frames: {_seqs(wanted)}", f"{len(got)} frames: {_seqs(got)}"
    if got[: len(wanted)] == wanted:
        return "passed", expected, actual, "", ""
    if ended:  # the server closed the stream short of what it had delivered live
        return "failed", expected, f"{actual}, and the stream ended", "", ""
    if got == wanted[: len(got)]:
        raise NotReached(f"the new connection stopped short within {state.settings.wait_timeout:g} s: {actual}, "
                         f"where the live one delivered {expected}")  # fmt: skip
    return "failed", expected, actual, "", ""


def _live(state: ScenarioState, label: str) -> list[dict[str, typing.Any]]:
    frames = state.frames.get(label)
    reply = state.replies.get(label)
    if frames is None or reply is None:
        raise NotReached("the thread's event stream was never opened")
    if reply.status != 200:
        raise NotReached(f"POST /threads/<thread>/stream/events answered {brief(reply)}")
    return frames


def _event(frame: dict[str, typing.Any]) -> tuple[typing.Any, ...]:
    """What a replay must repeat of a frame: its seq, event_id, method, namespace and data (its timestamp says when
    it was delivered)."""
    params = frame.get("params") if isinstance(frame.get("params"), dict) else {}
    data = params.get("data") if isinstance(params.get("data"), dict) else {}
    return (frame.get("seq"), frame.get("event_id"), frame.get("method"), json.dumps(params.get("namespace")),
            json.dumps(data, sort_keys=True))  # fmt: skip


def _seqs(events: list[tuple[typing.Any, ...]]) -> str:
    """``1: <event_id>; 6: ...``: each frame's seq and its event id (its lifecycle event where it has no id)."""
    shown = [f"{e[0]}: {e[1] or json.loads(e[4]).get('event', e[2])}" for e in events]
    return "; ".join(shown) if len(shown) <= 8 else "; ".join([*shown[:5], "...", *shown[-2:]])
