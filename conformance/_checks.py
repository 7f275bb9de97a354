"""A scenario's checks, evaluated against what the target shows now: one result per ``Expect``."""

from __future__ import annotations

import difflib
import json
from collections.abc import Sequence
from typing import Any

from conformance._errors import Deviation
from conformance._http import Reply
from conformance._notation import render_message
from conformance._results import CheckResult
from conformance._scenario_state import IN_FLIGHT, ScenarioState
from conformance.scenarios._model import (
    Answered,
    AnsweredError,
    Check,
    Expect,
    HistoryNames,
    OneOf,
    Raised,
    ReturnedMessages,
    ReturnedRun,
    RunField,
    RunGone,
    RunSettled,
    RunsListed,
    RunStatus,
    ThreadMessages,
    ThreadStatus,
)

__all__ = ["brief", "judge"]


async def judge(state: ScenarioState, expect: Expect) -> None:
    """Evaluate ``expect`` now and record its result."""
    passed, expected, actual, diff, shown = await _check(state, expect.check)
    state.result.checks.append(
        CheckResult(expect.requirement, str(expect.check), passed, expected, state.mask(actual), diff, shown)
    )


async def _check(state: ScenarioState, check: Check) -> tuple[bool, str, str, str, str]:
    """``(passed, expected, actual, diff, shown)``; ``shown`` names the matching ``OneOf`` option."""
    match check:
        case ThreadMessages(lines=lines):
            actual = await state.thread_messages()
            diff = "" if actual == list(lines) else _diff(list(lines), actual)
            return not diff, f"{len(lines)} messages", f"{len(actual)} messages", diff, ""
        case RunStatus(run=name, status=status):
            got = await _get_run(state, name)
            seen = got.body.get("status") if got.status == 200 and isinstance(got.body, dict) else None
            return seen == status, f"status {status}", f"status {seen}" if seen else brief(got), "", ""
        case RunField(run=name, field=key, value=value):
            got = await _get_run(state, name)
            seen = got.body.get(key) if got.status == 200 and isinstance(got.body, dict) else None
            return seen == value, f"{key}={value}", f"{key}={seen}" if got.status == 200 else brief(got), "", ""
        case RunSettled(run=name):
            got = await _get_run(state, name)
            seen = got.body.get("status") if got.status == 200 and isinstance(got.body, dict) else None
            settled = got.status == 404 or (seen is not None and seen not in IN_FLIGHT)
            return settled, "not pending or running", f"status {seen}" if seen else brief(got), "", ""
        case RunGone(run=name):
            got = await _get_run(state, name)
            return got.status == 404, "HTTP 404", brief(got), "", ""
        case RunsListed(runs=names):
            listed = sorted(await _listed_runs(state))
            return listed == sorted(names), ", ".join(sorted(names)) or "nothing", ", ".join(listed) or "nothing", "", ""
        case ThreadStatus(status=status):
            got = await state.http.request("GET", f"/threads/{state.thread_id}")
            seen = got.body.get("status") if isinstance(got.body, dict) else None
            return seen == status, status, str(seen) if seen else brief(got), "", ""
        case HistoryNames(run=name, present=present):
            named = await _history_names(state, state.run_id(name))
            return named == present, f"{'some' if present else 'no'} checkpoint of {name}", \
                f"{'some' if named else 'no'} checkpoint of {name}", "", ""  # fmt: skip
        case Answered(label=label, statuses=statuses):
            got = state.replies.get(label)
            return bool(got and got.status in statuses), str(check).split(" answered ")[-1], \
                brief(got) if got else "no request", "", ""  # fmt: skip
        case AnsweredError(label=label):
            got = state.replies.get(label)
            return bool(got and got.status == 200 and _reports_error(got.body)), "200 with an error body", \
                brief(got) if got else "no request", "", ""  # fmt: skip
        case Raised(label=label, statuses=statuses):
            got = state.replies.get(label)
            raised = bool(got and isinstance(got.body, dict) and "raised" in got.body and got.status in statuses)
            actual = _sdk_outcome(got)
            if got is not None and _returned(got) and isinstance(got.body, dict) and "run_id" in got.body:
                actual += ": the run still exists"
            return raised, str(check).split(" raised ")[-1], actual, "", ""
        case ReturnedRun(label=label, status=status):
            got = state.replies.get(label)
            seen = got.body.get("status") if got and _returned(got) and isinstance(got.body, dict) else None
            return seen == status, f"a run with status {status}", _sdk_outcome(got), "", ""
        case ReturnedMessages(label=label, lines=lines):
            got = state.replies.get(label)
            if got is None or not _returned(got):
                return False, f"{len(lines)} messages", _sdk_outcome(got), "", ""
            values = got.body.get("values") if isinstance(got.body, dict) else None
            messages = values.get("messages", []) if isinstance(values, dict) else []
            actual = [render_message(m) for m in messages]
            diff = "" if actual == list(lines) else _diff(list(lines), actual)
            return not diff, f"{len(lines)} messages", f"{len(actual)} messages", diff, ""
        case OneOf(options=options):
            seen, diffs = [], []
            for number, option in enumerate(options, 1):
                passed, expected, actual, diff, _ = await _check(state, option)
                if passed:
                    return True, str(check), str(option), "", str(option)
                seen.append(actual)
                diffs.append(f"option {number}, {option}:\n{diff or f'expected {expected}, got {actual}'}")
            return False, str(check), "; ".join(dict.fromkeys(seen)), "\n".join(diffs), ""
    raise TypeError(f"unknown check {check!r}")


async def _get_run(state: ScenarioState, name: str) -> Reply:
    return await state.http.request("GET", f"/threads/{state.thread_id}/runs/{state.run_id(name)}")


async def _listed_runs(state: ScenarioState) -> list[str]:
    reply = await state.http.request("GET", f"/threads/{state.thread_id}/runs", params={"limit": 100})
    if reply.status != 200 or not isinstance(reply.body, list):
        raise Deviation(f"GET /threads/<thread>/runs answered HTTP {reply.status}")
    names = {run.run_id: run.name for run in state.runs.values() if run.run_id}
    return [names.get(row.get("run_id"), "<a run the suite did not start>") for row in reply.body]


async def _history_names(state: ScenarioState, run_id: str) -> bool:
    return any(run_id in json.dumps(checkpoint.get("metadata")) for checkpoint in await state.thread_history())

# --- presentation --------------------------------------------------------------------------


def _diff(expected: Sequence[str], actual: Sequence[str]) -> str:
    lines = difflib.unified_diff(list(expected), list(actual), "expected", "actual", lineterm="", n=len(expected))
    return "\n".join(lines)


def brief(reply: Reply) -> str:
    """``HTTP 409 {...}``, the body cut to one short line."""
    body = reply.body
    text = body if isinstance(body, str) else json.dumps(body, sort_keys=True)
    return f"HTTP {reply.status} " + (text if len(text) <= 160 else text[:160] + "...")

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
