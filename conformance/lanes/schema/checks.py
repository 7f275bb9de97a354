"""The schema lane's judgement: every recorded answer of a scenario, one result per requirement it checks.

A requirement fails when any answer violates it; the result counts them and shows the first
few, each with the request that caused it as a runnable ``curl`` line.
"""

from __future__ import annotations

import datetime
import json
import shlex
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx
from schemathesis.core.failures import Failure, FailureGroup

from conformance.core.exchange import Reply
from conformance.core.results import CheckResult
from conformance.lanes.schema.cases import Drawn
from conformance.lanes.schema.document import reference_document
from conformance.scenarios._api_model import ApiScenario, Generated, Refusal
from conformance.target.probe import Target

__all__ = ["Answer", "curl_line", "judge_answers"]

SHOWN = 3  # violations shown per requirement; the count says how many there were


@dataclass(frozen=True)
class Answer:
    """One request of the scenario as sent (ids already the scenario's own) and what came back."""

    origin: Refusal | Generated
    case: Drawn | None
    method: str
    path: str
    params: dict[str, Any]
    body: Any
    reply: Reply

    @property
    def status(self) -> int:
        return self.reply.status


def curl_line(target: Target, answer: Answer) -> str:
    """A command that sends the same request (credentials left out: add your own ``-H``)."""
    query = f"?{urlencode(answer.params, doseq=True)}" if answer.params else ""
    parts = ["curl", "-sS", "-X", answer.method, f"{target.url}{answer.path}{query}"]
    if answer.body is not None:
        data = answer.body.decode(errors="replace") if isinstance(answer.body, bytes) else json.dumps(answer.body)
        parts += ["-H", "Content-Type: application/json", "--data-raw", data]
    return " ".join(shlex.quote(p) for p in parts)


def judge_answers(scenario: ApiScenario, answers: Sequence[Answer], target: Target) -> list[CheckResult]:
    """One ``CheckResult`` per requirement of ``scenario``."""
    results = []
    for requirement in scenario.requirement_ids:
        rule, expectation = _RULES[requirement]
        judged = [(a, v) for a in answers if (v := rule(a)) is not _NOT_JUDGED]
        violations = [(a, v) for a, v in judged if v]
        shown = "\n".join(f"{v}\n  {curl_line(target, a)}" for a, v in violations[:SHOWN])
        if len(violations) > SHOWN:
            shown += f"\n... and {len(violations) - SHOWN} more (report.json has every request)"
        outcome = "failed" if violations else "passed" if judged else "not_reached"
        actual = f"{len(violations)} of {len(judged)} requests" if judged else "no answer this rule judges"
        results.append(CheckResult(
            requirement, expectation, outcome, f"0 of {len(judged)} requests", actual,
            diff=f"{len(violations)} of {len(judged)} requests violate it:\n{shown}" if violations else "",
        ))  # fmt: skip
    return results


# --- rules: None passes, a string says what is wrong, _NOT_JUDGED skips the answer ----------------

_NOT_JUDGED = object()
Verdict = str | None | object


def _answered(answer: Answer) -> str:
    body = answer.reply.body
    text = body if isinstance(body, str) else json.dumps(body, sort_keys=True)
    return f"HTTP {answer.reply.status} {text[:200]}"


def _no_server_error(answer: Answer) -> Verdict:
    return None if answer.status < 500 else f"answered {_answered(answer)}"


def _refused_4xx(answer: Answer) -> Verdict:
    if not isinstance(answer.origin, Refusal) or answer.origin.documented is None:
        return _NOT_JUDGED
    return None if 400 <= answer.status < 500 else f"{answer.origin.id}: answered {_answered(answer)}"


def _documented_code(answer: Answer) -> Verdict:
    if not isinstance(answer.origin, Refusal) or answer.origin.documented is None:
        return _NOT_JUDGED
    expected = answer.origin.documented
    return None if answer.status == expected else f"{answer.origin.id}: expected {expected}, answered {_answered(answer)}"


def _names_problem(answer: Answer) -> Verdict:
    if not isinstance(answer.origin, Refusal) or not answer.origin.names:
        return _NOT_JUDGED
    body = answer.reply.body
    text = (body if isinstance(body, str) else json.dumps(body)).lower()
    names = answer.origin.names
    if any(name.lower() in text for name in names):
        return None
    return f"{answer.origin.id}: the body names none of {', '.join(names)}: {_answered(answer)}"


def _generated_no_server_error(answer: Answer) -> Verdict:
    return _no_server_error(answer) if isinstance(answer.origin, Generated) else _NOT_JUDGED


def _select(answer: Answer) -> bool:
    """A runs list with ``select`` answers the fields asked for only, as the parameter says."""
    return "select" in answer.params


def _body_matches(answer: Answer) -> Verdict:
    if not isinstance(answer.origin, Generated) or not answer.origin.bodies or answer.case is None:
        return _NOT_JUDGED
    if answer.status >= 500 or _select(answer):
        return _NOT_JUDGED  # a 5xx: API-GENERATED-NO-SERVER-ERROR says so
    try:
        answer.case.validate_response(_as_httpx(answer))
    except FailureGroup as group:
        return "; ".join(dict.fromkeys(_first_line(f.message) for f in group.exceptions)) + f" ({_answered(answer)})"
    except Failure as failure:  # one failure alone is raised as itself
        return f"{_first_line(failure.message)} ({_answered(answer)})"
    return None


def _run_required_fields(answer: Answer) -> Verdict:
    if not isinstance(answer.origin, Generated) or not answer.origin.run_objects or _select(answer):
        return _NOT_JUDGED
    if not 200 <= answer.status < 300:
        return _NOT_JUDGED
    body = answer.reply.body
    runs = body if isinstance(body, list) else [body]
    required, types = _run_schema()
    for run in runs:
        if not isinstance(run, dict):
            return f"not a run object: {_answered(answer)}"
        missing = [f for f in required if f not in run]
        wrong = [f for f in required if f in run and not types[f](run[f])]
        if missing or wrong:
            what = [*(f"no {f}" for f in missing), *(f"{f} of the wrong type" for f in wrong)]
            return f"a run with {', '.join(what)}: {_answered(answer)}"
    return None


_RULES: dict[str, tuple[Callable[[Answer], Verdict], str]] = {
    "API-NO-SERVER-ERROR": (_no_server_error, "no request is answered with a 5xx"),
    "API-REFUSED-4XX": (_refused_4xx, "each invalid request is refused with a 4xx"),
    "API-REFUSED-DOCUMENTED-CODE": (_documented_code, "each refusal answers the code the document gives"),
    "API-REFUSAL-NAMES-PROBLEM": (_names_problem, "each refusal's body names the problem"),
    "API-GENERATED-NO-SERVER-ERROR": (_generated_no_server_error, "no generated request is answered with a 5xx"),
    "API-BODIES-MATCH-DOCUMENT": (_body_matches, "every answer's body matches the document's schema"),
    "API-RUN-REQUIRED-FIELDS": (_run_required_fields, "every run object carries the Run's required fields"),
}


# --- helpers -------------------------------------------------------------------------------------

_JSON_TYPES: dict[str, Callable[[Any], bool]] = {
    "string": lambda v: isinstance(v, str),
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def _run_schema() -> tuple[list[str], dict[str, Callable[[Any], bool]]]:
    """The Run's required fields, and for each a test of its declared type (any type where none is declared)."""
    run = reference_document()["components"]["schemas"]["Run"]
    tests = {}
    for name in run["required"]:
        declared = run["properties"].get(name, {}).get("type")
        kinds = declared if isinstance(declared, list) else [declared] if declared else []
        tests[name] = (lambda v, kinds=kinds: not kinds or any(_JSON_TYPES[k](v) for k in kinds))
    return list(run["required"]), tests


def _as_httpx(answer: Answer) -> httpx.Response:
    """The recorded reply as the response schemathesis judges (JSON re-encoded, text as it came)."""
    body = answer.reply.body
    content = b"" if body is None else body.encode() if isinstance(body, str) else json.dumps(body).encode()
    headers = {k: v for k, v in answer.reply.headers.items() if k.lower() in ("content-type",)}
    response = httpx.Response(answer.reply.status, headers=headers, content=content,
                              request=httpx.Request(answer.method, f"http://target{answer.path}"))  # fmt: skip
    response.elapsed = datetime.timedelta(0)
    return response


def _first_line(message: str) -> str:
    return message.strip().splitlines()[0] if message.strip() else "violates the schema"
