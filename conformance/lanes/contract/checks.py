"""A scenario's checks, evaluated against what the target shows now: one result per ``Expect``."""

from __future__ import annotations

import asyncio
import difflib
import json
import time
from collections.abc import Iterable, Sequence
from typing import Any, TypeAlias

from conformance.core.errors import NotReached, TimedOut
from conformance.core.exchange import Reply
from conformance.core.results import CheckOutcome, CheckResult
from conformance.lanes.contract.command_checks import (
    answered_in_flight,
    applied_while_busy,
    command_answered,
    lifecycle,
    refusal_typed,
    refused,
    replayed,
)
from conformance.lanes.contract.notes import returned_messages
from conformance.lanes.state import IN_FLIGHT, ScenarioState, Unreadable, brief
from conformance.scenarios._model import (
    Answered,
    AnsweredError,
    AnsweredInFlight,
    AppliedWhileBusy,
    Check,
    CommandAnswered,
    Expect,
    Given,
    HistoryLimit,
    HistoryNames,
    Lifecycle,
    ListedNone,
    NoServerError,
    NotBegun,
    OneOf,
    OneRunExecuting,
    PendingBeforeDue,
    Raised,
    RefusalTyped,
    Refused,
    Replayed,
    ReturnedMessages,
    ReturnedRun,
    RunField,
    RunGone,
    RunSettled,
    RunsListed,
    RunStatus,
    StayedStopped,
    ThreadMessages,
    ThreadStatus,
    WaitsOnHuman,
)
from conformance.scenarios.transcripts import asked

__all__ = ["judge", "judge_all", "premise"]


async def judge(state: ScenarioState, expect: Expect) -> None:
    """Evaluate ``expect`` now and record its result; a read it needs that the target refuses: not reached."""
    state.result.checks.append(await _evaluate(state, expect))


async def judge_all(state: ScenarioState, expects: Iterable[Expect]) -> None:
    """Evaluate every one of ``expects`` at once (they only read: one round trip, not one per read, far from the
    target), and record the results in their order; then a read that stopped one (a harness error) stops the
    scenario, as it would have one after another."""
    results = await asyncio.gather(*(_evaluate(state, expect) for expect in expects), return_exceptions=True)
    state.result.checks.extend(r for r in results if isinstance(r, CheckResult))
    stopped = next((r for r in results if isinstance(r, BaseException)), None)
    if stopped is not None:
        raise stopped


async def _evaluate(state: ScenarioState, expect: Expect) -> CheckResult:
    try:
        outcome, expected, actual, diff, shown = await _given(state, expect.given) or await _check(state, expect.check)
    except NotReached as exc:
        outcome, expected, actual, diff, shown = "not_reached", "", str(exc), "", ""
    return CheckResult(expect.requirement, str(expect.check), outcome, state.mask(expected), state.mask(actual), diff,
                       shown)  # fmt: skip


async def premise(state: ScenarioState, given: Given) -> None:
    """Prove ``given`` by reads made now; where it does not hold, the scenario is not reached (``NotReached``). With
    a requirement, its result is that requirement's evidence too."""
    try:
        outcome, expected, actual, diff, shown = await _check(state, given.check)
    except NotReached as exc:
        raise NotReached(f"the situation could not be shown before the steps under test: {given.check}: {exc}") from None
    if given.requirement:
        state.result.checks.append(
            CheckResult(given.requirement, str(given.check), outcome, expected, state.mask(actual), diff, shown))
    if outcome != "passed":
        meaning = f": {given.otherwise}" if given.otherwise else ""
        raise NotReached(f"the situation did not hold before the steps under test{meaning}: {given.check} "
                         f"(expected {expected}, got {state.mask(actual)})")  # fmt: skip


Judged: TypeAlias = tuple[CheckOutcome, str, str, str, str]
"""``(outcome, expected, actual, diff, shown)``; ``shown`` names the matching ``OneOf`` option."""


async def _given(state: ScenarioState, given: Check | None) -> Judged | None:
    """None where the situation holds (or none is stated); else the check is not reached, with what was seen."""
    if given is None:
        return None
    outcome, expected, actual, _, _ = await _check(state, given)
    if outcome == "passed":
        return None
    return "not_reached", "", f"not in the situation this is about: {given} ({expected}) does not hold: {actual}", "", ""


async def _answer(state: ScenarioState, label: str) -> Reply:
    """The answer to request ``label``; a streamed run's answer (``/runs/wait`` may answer only at the run's end) is
    waited for, bounded by ``--wait-timeout``."""
    run = state.runs.get(label)
    reader = state.waiting.get(label) or (run.reader if run is not None else None)
    if reader is not None and not reader.done():
        try:
            await asyncio.wait_for(asyncio.shield(reader), state.settings.wait_timeout)
        except (TimeoutError, TimedOut):
            if label not in state.replies:
                raise NotReached(f"{label} was sent, but no answer came within {state.settings.wait_timeout:g} s") from None
    got = state.replies.get(label)
    if got is None:
        raise NotReached(f"{label} was sent, but no answer came" if reader is not None else f"{label} was never sent")
    return got


def _held(holds: bool) -> CheckOutcome:
    return "passed" if holds else "failed"


async def _check(state: ScenarioState, check: Check) -> Judged:
    match check:
        case ThreadMessages(lines=lines):
            actual = await state.thread_messages()
            diff = "" if actual == list(lines) else _diff(list(lines), actual)
            return _held(not diff), f"{len(lines)} messages", f"{len(actual)} messages", diff, ""
        case RunStatus(run=name, status=status):
            got = await _get_run(state, name)
            seen = got.body.get("status") if got.status == 200 and isinstance(got.body, dict) else None
            return _held(seen == status), f"status {status}", f"status {seen}" if seen else brief(got), "", ""
        case RunField(run=name, field=key, value=value):
            got = await _get_run(state, name)
            seen = got.body.get(key) if got.status == 200 and isinstance(got.body, dict) else None
            return _held(seen == value), f"{key}={value}", f"{key}={seen}" if got.status == 200 else brief(got), "", ""
        case RunSettled(run=name):
            got = await _get_run(state, name)
            seen = got.body.get("status") if got.status == 200 and isinstance(got.body, dict) else None
            settled = got.status == 404 or (seen is not None and seen not in IN_FLIGHT)
            return _held(settled), "not pending or running", f"status {seen}" if seen else brief(got), "", ""
        case RunGone(run=name):
            got = await _get_run(state, name)
            return _held(got.status == 404), "HTTP 404", brief(got), "", ""
        case RunsListed(runs=names):
            return await _runs_listed(state, names)
        case ThreadStatus(status=status):
            got = await state.http.request("GET", f"/threads/{state.thread_id}")
            seen = got.body.get("status") if isinstance(got.body, dict) else None
            return _held(seen == status), status, str(seen) if seen else brief(got), "", ""
        case HistoryNames():
            return await _history_names(state, check)
        case HistoryLimit(limit=limit):
            got = await state.http.request("POST", f"/threads/{state.thread_id}/history", json_body={"limit": limit})
            return _held(got.status == 200 and isinstance(got.body, list)), "HTTP 200 with a list", brief(got), "", ""
        case Answered(label=label, statuses=statuses):
            got = await _answer(state, label)
            return _held(got.status in statuses), str(check).split(" answered ")[-1], brief(got), "", ""
        case AnsweredError(label=label):
            got = await _answer(state, label)
            return _held(got.status == 200 and _reports_error(got.body)), "200 with an error body", brief(got), "", ""
        case Raised(label=label, statuses=statuses):
            got = state.replies.get(label)
            if got is None:
                raise NotReached(f"{label} was never called")
            raised = isinstance(got.body, dict) and "raised" in got.body and (not statuses or got.status in statuses)
            actual = _sdk_outcome(got)
            if _returned(got) and isinstance(got.body, dict) and "run_id" in got.body:
                actual += ": the run still exists"
            return _held(raised), str(check).split(" raised ")[-1], actual, "", ""  # "an error", or "an HTTP error with"
        case ReturnedRun(label=label, status=status):
            got = state.replies.get(label)
            if got is None:
                raise NotReached(f"{label} was never called")
            seen = got.body.get("status") if _returned(got) and isinstance(got.body, dict) else None
            return _held(seen == status), f"a run with status {status}", _sdk_outcome(got), "", ""
        case ReturnedMessages(label=label, lines=lines):
            got = state.replies.get(label)
            if got is None:
                raise NotReached(f"{label} was never called")
            if not _returned(got):
                return "failed", f"{len(lines)} messages", _sdk_outcome(got), "", ""
            actual = returned_messages(got) or []
            diff = "" if actual == list(lines) else _diff(list(lines), actual)
            return _held(not diff), f"{len(lines)} messages", f"{len(actual)} messages", diff, ""
        case NotBegun(run=name):
            return await _not_begun(state, name)
        case PendingBeforeDue(run=name):
            return await _pending_before_due(state, name)
        case WaitsOnHuman():
            got = await state.http.request("GET", f"/threads/{state.thread_id}/state")
            if got.status != 200 or not isinstance(got.body, dict):
                raise Unreadable(f"GET /threads/<thread>/state answered {brief(got)}")
            waiting = bool(got.body.get("interrupts")) or any(
                isinstance(task, dict) and task.get("interrupts") for task in got.body.get("tasks") or [])
            return _held(waiting), "an interrupt in the state", "one" if waiting else "none, next: " + \
                json.dumps(got.body.get("next")), "", ""  # fmt: skip
        case OneRunExecuting():
            return await _one_run_executing(state)
        case NoServerError(label=label):
            got = state.replies.get(label) or await _answer(state, label)  # a stream's status line is enough
            return _held(got.status < 500), "no 5xx", brief(got), "", ""
        case ListedNone(label=label):
            got = state.replies.get(label)
            if got is None:
                raise NotReached(f"{label} was never sent")
            known = {run.run_id for run in state.runs.values() if run.run_id}
            rows = got.body if got.status == 200 and isinstance(got.body, list) else None
            ours = [row for row in rows or [] if isinstance(row, dict) and row.get("run_id") in known]
            return _held(rows is not None and not ours), "HTTP 200 with none of this thread's runs", \
                brief(got), "", ""  # fmt: skip
        case StayedStopped(run=name):
            return await _stayed_stopped(state, name)
        case Refused():
            return refused(state, check)
        case CommandAnswered():
            return command_answered(state, check)
        case RefusalTyped():
            return refusal_typed(state, check)
        case AppliedWhileBusy():
            return await applied_while_busy(state, check)
        case AnsweredInFlight():
            return await answered_in_flight(state, check)
        case Lifecycle():
            return await lifecycle(state, check)
        case Replayed():
            return await replayed(state, check)
        case OneOf():
            return await _one_of(state, check)
    raise TypeError(f"unknown check {check!r}")


async def _one_of(state: ScenarioState, check: OneOf) -> Judged:
    """Passed when an option holds; failed when every option was seen and none holds; else not reached."""
    seen, diffs, unseen = [], [], []
    for number, option in enumerate(check.options, 1):
        try:
            outcome, expected, actual, diff, _ = await _check(state, option)
        except NotReached as exc:
            unseen.append(str(exc))
            continue
        if outcome == "passed":
            return "passed", str(check), str(option), "", str(option)
        seen.append(actual)
        diffs.append(f"option {number}, {option}:\n{diff or f'expected {expected}, got {actual}'}")
    if unseen:
        return "not_reached", str(check), "; ".join(unseen), "", ""
    return "failed", str(check), "; ".join(dict.fromkeys(seen)), "\n".join(diffs), ""


async def _get_run(state: ScenarioState, name: str) -> Reply:
    return await state.http.request("GET", f"/threads/{state.thread_id}/runs/{state.run_id(name)}")


async def _runs_listed(state: ScenarioState, names: tuple[str, ...]) -> Judged:
    """The thread's runs list against ``names``; a list that shows none of the suite's runs shows nothing."""
    reply = await state.http.request("GET", f"/threads/{state.thread_id}/runs", params={"limit": 100})
    if reply.status != 200 or not isinstance(reply.body, list):
        raise Unreadable(f"GET /threads/<thread>/runs answered {brief(reply)}")
    known = {run.run_id: run.name for run in state.runs.values() if run.run_id}
    rows = [row for row in reply.body if isinstance(row, dict)]
    listed = sorted(known[row.get("run_id")] for row in rows if row.get("run_id") in known)
    if names and not listed:
        raise NotReached(f"the thread's runs list shows none of the runs the suite started on it "
                         f"({_others(rows, state.thread_id) or 'it is empty'})")  # fmt: skip
    actual = ", ".join(listed) or "nothing"
    others = _others([row for row in rows if row.get("run_id") not in known], state.thread_id)
    return _held(listed == sorted(names) and not others), ", ".join(sorted(names)) or "nothing", \
        f"{actual}{f', and {others}' if others else ''}", "", ""  # fmt: skip


def _others(rows: Sequence[dict[str, Any]], thread_id: str) -> str:
    """Runs the suite did not start, in a few words: how many are this thread's, how many other threads'."""
    if not rows:
        return ""
    own = sum(row.get("thread_id") in (thread_id, None) for row in rows)
    threads = {row.get("thread_id") for row in rows} - {thread_id, None}
    parts = [f"{own} run{'s' * (own != 1)} of this thread the suite did not start"] if own else []
    if threads:
        foreign = len(rows) - own
        parts.append(f"{foreign} run{'s' * (foreign != 1)} of {len(threads)} other thread{'s' * (len(threads) != 1)}")
    return " and ".join(parts)


async def _history_names(state: ScenarioState, check: HistoryNames) -> Judged:
    """Whether a checkpoint names ``check.run``; only on a history that names its ``witness`` run at all."""
    history = await state.thread_history()
    named = [json.dumps(checkpoint.get("metadata"), sort_keys=True) for checkpoint in history]
    present = any(state.run_id(check.run) in m for m in named)
    expected = f"{'some' if check.present else 'no'} checkpoint of {check.run}"
    if check.witness and not any(state.run_id(check.witness) in m for m in named):
        with_ids = sum('"run_id"' in m for m in named)
        raise NotReached(f"the thread history names no checkpoint of {check.witness} ({len(history)} checkpoints, "
                         f"{with_ids} naming a run id): it cannot show whether {check.run}'s are gone")  # fmt: skip
    naming = [c for c, m in zip(history, named, strict=True) if state.run_id(check.run) in m]
    sources = ", ".join(sorted({str((c.get("metadata") or {}).get("source")) for c in naming}))
    actual = f"{len(naming)} of {len(history)} checkpoints name {check.run} (source: {sources})" if naming \
        else f"no checkpoint of {check.run} among {len(history)}"  # fmt: skip
    return _held(present == check.present), expected, actual, "", ""


async def _not_begun(state: ScenarioState, name: str) -> Judged:
    """No node of run ``name`` entered: by the graph's records, else by the state (its question not in it)."""
    if state.records:
        entered = [r.get("node") for r in await state.run_records(name) if r.get("event") == "enter" and r.get("node") != "start"]
        return _held(not entered), "no node entered", f"{name} entered {', '.join(map(str, entered))}" if entered \
            else "no node entered", "", ""  # fmt: skip
    question = asked(state.runs[name].start.ask)[0]
    present = question in await state.thread_messages()
    return _held(not present), f"no {question!r} in the state", ("its question is in the state" if present
                                                                   else "its question is not in the state"), "", ""  # fmt: skip


async def _pending_before_due(state: ScenarioState, name: str) -> Judged:
    """``name`` pending and no node of it begun, read before its ``after_seconds`` passed since it was sent."""
    run = state.runs[name]
    got = await _get_run(state, name)
    seen = got.body.get("status") if got.status == 200 and isinstance(got.body, dict) else None
    begun = (await _not_begun(state, name))[0] != "passed"
    since, due = time.monotonic() - run.sent_at, float(run.start.after_seconds or 0)
    holds = seen == "pending" and not begun
    shown = f"status {seen or brief(got)}{', a node of it begun' if begun else ''}, read {since:.1f} s after it was sent"
    if not holds and since > due:
        raise NotReached(f"{shown}: past its after_seconds={due:g}, so it shows nothing either way")
    return _held(holds), f"pending, no node begun, within after_seconds={due:g}", shown, "", ""


async def _one_run_executing(state: ScenarioState) -> Judged:
    """At most one run ``running`` in one reply of the thread's runs list that shows two or more in flight."""
    reply = await state.http.request("GET", f"/threads/{state.thread_id}/runs", params={"limit": 100})
    if reply.status != 200 or not isinstance(reply.body, list):
        raise Unreadable(f"GET /threads/<thread>/runs answered {brief(reply)}")
    known = {run.run_id: run.name for run in state.runs.values() if run.run_id}
    rows = [row for row in reply.body if isinstance(row, dict)]
    running = [known.get(row.get("run_id"), str(row.get("run_id"))) for row in rows if row.get("status") == "running"]
    in_flight = [row for row in rows if row.get("status") in IN_FLIGHT]
    if len(in_flight) < 2:  # nothing to tell one run at a time from two
        raise NotReached(f"the thread's runs list shows {len(in_flight)} run(s) in flight: two are needed to see anything")
    return _held(len(running) <= 1), "at most one run running", \
        f"{len(running)} running in one reply{': ' + ', '.join(sorted(running)) if running else ''}", "", ""  # fmt: skip


async def _stayed_stopped(state: ScenarioState, name: str) -> Judged:
    """From the graph's records of ``name``: its held place ended, a node without completing, and no node of it began
    after its hold (at ``start``: no node at all). What is seen first decides the words; the rest, and the times, are
    the detail (two runs of the same server say the same words)."""
    run = state.runs[name]
    place = run.start.hold_at
    records = await state.run_records(name)
    watched = f" ({run.watch})" if run.watch else ""
    held = [r for r in records if r.get("node") == place]
    exits = [r for r in held if r.get("event") == "exit"]
    if not exits:
        raise NotReached(f"{name} shows no end of its hold at {place} on record{watched}")
    since = float(held[0].get("at") or 0.0)
    later = [r for r in records if r.get("event") == "enter" and r.get("node") != place and float(r.get("at") or 0.0) >= since]
    completed = place != "start" and bool(exits[0].get("completed"))
    expected = f"{place} ended without completing, no node begun after it"
    if not completed and not later:
        return "passed", expected, f"its hold at {place} ended{', not completed' if place != 'start' else ''}", "", ""
    stop = run.stopped_at or 0.0
    shown = [f"{place} completed {float(exits[0].get('at') or 0.0) - stop:.1f} s after the stop was answered"] \
        if completed else []  # fmt: skip
    shown += [f"{r.get('node')} began {float(r.get('at') or 0.0) - stop:.1f} s after the stop was answered" for r in later]
    actual = f"{place} completed" if completed else f"it began {later[0].get('node')}"
    return "failed", expected, f"{actual}{watched}", "\n".join(shown), ""


# --- presentation --------------------------------------------------------------------------


def _diff(expected: Sequence[str], actual: Sequence[str]) -> str:
    lines = difflib.unified_diff(list(expected), list(actual), "expected", "actual", lineterm="", n=len(expected))
    return "\n".join(lines)


def _returned(reply: Reply) -> bool:
    """An SDK call that returned (rather than raised)."""
    return not (isinstance(reply.body, dict) and "raised" in reply.body)


def _sdk_outcome(reply: Reply | None) -> str:
    """What an SDK call did, in words: ``raised HTTPStatusError (HTTP 404)`` or what it returned."""
    if reply is None:
        return "no call"
    body = reply.body
    if isinstance(body, dict) and "raised" in body:
        return f"raised {body['raised']} (HTTP {reply.status}): {str(body.get('message', ''))[:160]}"
    if isinstance(body, dict) and "run_id" in body and "status" in body:
        return f"returned the run with status {body['status']}"
    return "returned " + brief(reply).removeprefix(f"HTTP {reply.status} ")


def _reports_error(body: Any) -> bool:
    if isinstance(body, dict):
        return "__error__" in body
    if isinstance(body, list):
        return any(isinstance(e, dict) and e.get("event") == "error" for e in body)
    return False
