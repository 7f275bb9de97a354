"""The mutants: each changes one behaviour of a correct server, and names what that breaks.

A breaking mutant lists the requirement IDs the suite must fail on it; an equivalent mutant
lists none and must pass everything. A mutant works on the exchanges through the proxy
(``tests/mutants/proxy.py``): it may rewrite a request, answer it itself, or rewrite the
answer, and it may ask the upstream server (``Exchange.fetch``) and remember things across
requests (``Exchange.memory``).

Where a ``breaks`` set names a requirement beyond the obvious one, the note says why.
"""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["BLINDING", "BREAKING", "EQUIVALENT", "MUTANTS", "Exchange", "Hook", "Mutant", "list_shows_queued_running", "nothing"]

_RUNS = re.compile(r"^/threads/([^/]+)/runs(?:/(stream|wait))?$")
_RUN = re.compile(r"^/threads/([^/]+)/runs/([^/]+)$")
_JOIN = re.compile(r"^/threads/([^/]+)/runs/([^/]+)/join$")
_JOIN_STREAM = re.compile(r"^/threads/([^/]+)/runs/([^/]+)/stream$")
_CANCEL = re.compile(r"^/threads/([^/]+)/runs/([^/]+)/cancel$|^/runs/cancel$")
_STATE = re.compile(r"^/threads/([^/]+)/state$")
_THREAD = re.compile(r"^/threads/([^/]+)$")
_HISTORY = re.compile(r"^/threads/([^/]+)/history$")
_COMMANDS = re.compile(r"^/threads/([^/]+)/commands$")
IN_FLIGHT = ("pending", "running")

Fetch = Callable[..., Awaitable[tuple[int, Any]]]


@dataclass
class Exchange:
    """One request through the proxy; the mutant may change any field.

    ``on_request`` may set ``status`` (and ``reply``) to answer without forwarding.
    ``on_response`` sees ``status``, ``reply`` (decoded JSON, else bytes) and ``reply_headers``.
    """

    method: str
    path: str
    query: dict[str, str]
    body: Any
    memory: dict[str, Any]
    fetch: Fetch | None = None
    status: int = 0
    reply: Any = None
    reply_headers: dict[str, str] = field(default_factory=dict)

    def creates_run(self) -> bool:
        """A POST that creates a run on a thread."""
        return self.method == "POST" and bool(_RUNS.match(self.path)) and isinstance(self.body, dict)

    def thread(self) -> str:
        """The thread id the path names ("" if none)."""
        parts = self.path.split("/")
        return parts[2] if len(parts) > 2 and parts[1] == "threads" else ""

    def is_(self, method: str, pattern: re.Pattern[str]) -> bool:
        return self.method == method and bool(pattern.match(self.path))

    def run_objects(self) -> list[dict[str, Any]]:
        """The run objects in a successful reply: run creation, GET of a run, the runs list."""
        if self.status != 200:
            return []
        if (self.method == "POST" and _RUNS.match(self.path) and not self.path.endswith(("/stream", "/wait"))) or \
                self.is_("GET", _RUN):  # fmt: skip
            return [self.reply] if isinstance(self.reply, dict) and "run_id" in self.reply else []
        if self.is_("GET", _RUNS) and isinstance(self.reply, list):
            return [r for r in self.reply if isinstance(r, dict) and "run_id" in r]
        return []

    def messages(self) -> list[Any] | None:
        """The message list of a successful ``GET /threads/{t}/state`` (to rewrite in place)."""
        if not (self.is_("GET", _STATE) and self.status == 200 and isinstance(self.reply, dict)):
            return None
        values = self.reply.get("values")
        messages = values.get("messages") if isinstance(values, dict) else None
        return messages if isinstance(messages, list) else None


Hook = Callable[[Exchange], Awaitable[None] | None]
FrameHook = Callable[[dict[str, Any], Exchange, dict[str, Any]], list[dict[str, Any]]]
"""Rewrites one frame of a thread's event stream (``/stream/events``) into the frames sent in its place: the frame,
the exchange that opened the stream, and what the hook keeps for that connection."""


def nothing(_: Exchange) -> None:
    return None


@dataclass(frozen=True)
class Mutant:
    """One changed behaviour."""

    name: str
    breaks: tuple[str, ...]
    on_request: Hook = nothing
    on_response: Hook = nothing
    delay: float = 0.0
    stream_headers_delay: float = 0.0
    """Seconds between the upstream's headers of a streamed answer (/runs/stream, /runs/wait) and ours."""
    stream_headers_drop: tuple[str, ...] = ()
    """Headers (lower case) left out of streamed answers."""
    frames: FrameHook | None = None
    """Rewrites the frames of the thread's event stream, where set."""
    note: str = field(default="", compare=False)
    lanes: tuple[str, ...] = ("contract",)
    """The lanes its suite run selects (``--lane``); its ``breaks`` are judged within them."""
    select: str = ""
    """A ``-k`` expression: its suite run runs only these scenarios (a mutant whose change only they can see)."""
    slow: bool = field(default=False, compare=False)
    """Its suite run takes longer (waits that time out): the kill matrix starts it first."""
    dedicated: bool = field(default=False, compare=False)
    """Its suite run has the upstream server to itself (``--dedicated-target``), after the others."""
    blinds: tuple[str, ...] = ()
    """Test ids (``fnmatch`` patterns) it leaves without evidence: each must end not reached, never passed or failed."""
    blind_cause: str = ""
    """What every test it blinds names as the cause."""
    exit_code: int | None = None
    """Its suite run's exit code, where it is not 1 for a broken MUST and 0 otherwise (2: a MUST no scenario judged)."""

    @property
    def kind(self) -> str:
        return "breaking" if self.breaks else "blinding" if self.blinds else "equivalent"


# --- building blocks ---------------------------------------------------------------------------


def _chain(*hooks: Hook) -> Hook:
    async def hook(x: Exchange) -> None:
        for h in hooks:
            result = h(x)
            if result is not None:
                await result

    return hook


def _strategy(old: str | None, new: str | None) -> Hook:
    """Rewrite ``multitask_strategy`` ``old`` (None: omitted) to ``new`` on run creation."""

    def hook(x: Exchange) -> None:
        if x.creates_run() and x.body.get("multitask_strategy") == old:
            if new is None:
                x.body.pop("multitask_strategy", None)
            else:
                x.body["multitask_strategy"] = new

    return hook


def _input_texts(run_body: Any) -> list[str]:
    """The human messages' texts of a run's input (run creation body, or a run object's kwargs)."""
    data = run_body.get("kwargs", run_body) if isinstance(run_body, dict) else {}
    messages = ((data or {}).get("input") or {}).get("messages") or []
    return [m.get("content", "") for m in messages if isinstance(m, dict) and m.get("role", m.get("type")) in ("human", "user")]


async def _in_flight_runs(x: Exchange) -> list[dict[str, Any]]:
    """The thread's runs that are pending or running right now, oldest first (asked upstream)."""
    assert x.fetch is not None
    status, runs = await x.fetch("GET", f"/threads/{x.thread()}/runs", {"limit": 100})
    if status != 200 or not isinstance(runs, list):
        return []
    return sorted((r for r in runs if isinstance(r, dict) and r.get("status") in IN_FLIGHT), key=lambda r: r.get("created_at", ""))


def _human(text: str) -> dict[str, Any]:
    return {"content": text, "additional_kwargs": {}, "response_metadata": {}, "type": "human", "name": None,
            "id": str(uuid.uuid4())}  # fmt: skip


async def _note_rolled_back(x: Exchange) -> None:
    """Before a rollback double-text goes upstream, remember what it is about to delete."""
    if x.creates_run() and x.body.get("multitask_strategy") == "rollback":
        victims = await _in_flight_runs(x)
        if victims:
            record = {"ids": [r["run_id"] for r in victims], "texts": [t for r in victims for t in _input_texts(r)],
                      "by": (_input_texts(x.body) or [""])[0]}  # fmt: skip
            x.memory.setdefault(f"rolled-back:{x.thread()}", []).append(record)


def _remember_runs(x: Exchange) -> None:
    """Keep the latest body of every run object seen, by run id and by thread."""
    for run in x.run_objects():
        x.memory[f"run:{run['run_id']}"] = run
        x.memory.setdefault(f"runs:{run.get('thread_id')}", {})[run["run_id"]] = run


def _as_tombstone(run: dict[str, Any]) -> dict[str, Any]:
    return {**run, "status": "interrupted"} if run.get("status") in IN_FLIGHT else dict(run)


def _map_run_status(old: str, new: str) -> Hook:
    def hook(x: Exchange) -> None:
        for run in x.run_objects():
            if run.get("status") == old:
                run["status"] = new

    return hook


def _error_status(old: int, new: int, pattern: re.Pattern[str], method: str = "POST") -> Hook:
    def hook(x: Exchange) -> None:
        if x.is_(method, pattern) and x.status == old:
            x.status = new

    return hook


def _deleted_join(x: Exchange) -> bool:
    """A join answered for a run that no longer exists (404, or 200 with a 404 ``__error__``)."""
    if not x.is_("GET", _JOIN):
        return False
    if x.status == 404:
        return True
    error = x.reply.get("__error__") if x.status == 200 and isinstance(x.reply, dict) else None
    return isinstance(error, dict) and "404" in str(error.get("message", ""))


# --- breaking: rollback ------------------------------------------------------------------------


async def _rollback_keeps_input(x: Exchange) -> None:
    """Re-insert each rolled-back run's human message before the message of the run that rolled it back."""
    messages = x.messages()
    if messages is None:
        return
    for record in reversed(x.memory.get(f"rolled-back:{x.thread()}", [])):
        at = next((i for i, m in enumerate(messages)
                   if isinstance(m, dict) and m.get("type") == "human" and m.get("content") == record["by"]), 0)  # fmt: skip
        messages[at:at] = [_human(t) for t in record["texts"]]


def _deleted_run_answers(x: Exchange) -> None:
    if x.is_("GET", _RUN) and x.status == 404 and (run := x.memory.get(f"run:{_RUN.match(x.path)[2]}")):  # type: ignore[index]
        x.status, x.reply = 200, _as_tombstone(run)
    _remember_runs(x)


def _deleted_run_listed(x: Exchange) -> None:
    known: dict[str, Any] = dict(x.memory.get(f"runs:{x.thread()}", {}))
    _remember_runs(x)
    if x.is_("GET", _RUNS) and x.status == 200 and isinstance(x.reply, list):
        listed = {r.get("run_id") for r in x.reply if isinstance(r, dict)}
        x.reply.extend(_as_tombstone(run) for run_id, run in known.items() if run_id not in listed)


def _history_keeps_rolled_back(x: Exchange) -> None:
    if not (x.method in ("GET", "POST") and _HISTORY.match(x.path) and x.status == 200 and isinstance(x.reply, list)):
        return
    for record in x.memory.get(f"rolled-back:{x.thread()}", []):
        for run_id in record["ids"]:
            x.reply.append({"values": {"messages": [_human(t) for t in record["texts"]]}, "next": ["agent"], "tasks": [],
                            "metadata": {"run_id": run_id, "source": "input", "step": -1}, "created_at": None,
                            "checkpoint": {"thread_id": x.thread(), "checkpoint_ns": "", "checkpoint_id": str(uuid.uuid4())},
                            "parent_checkpoint": None, "interrupts": []})  # fmt: skip


# --- breaking: enqueue, default ----------------------------------------------------------------


async def _note_enqueued(x: Exchange) -> None:
    if x.creates_run() and x.body.get("multitask_strategy") in (None, "enqueue") and await _in_flight_runs(x):
        x.memory[f"queued:{x.thread()}"] = True


def _queue_runs_newest_first(x: Exchange) -> None:
    """On a thread that had a run enqueued behind another: after the run that was running, the
    queued runs' conversations appear newest first (a LIFO queue; with one queued run it is FIFO)."""
    messages = x.messages()
    if messages is None or not x.memory.get(f"queued:{x.thread()}"):
        return
    groups: list[list[Any]] = []
    for m in messages:
        if not groups or (isinstance(m, dict) and m.get("type") == "human"):
            groups.append([])
        groups[-1].append(m)
    messages[:] = [m for g in (groups[:1] + groups[1:][::-1]) for m in g]


# --- breaking: thread state and status ---------------------------------------------------------


def _note_thread_ran(x: Exchange) -> None:
    if x.creates_run():
        x.memory[f"ran:{x.thread()}"] = True


def _thread_stays_busy(x: Exchange) -> None:
    if x.is_("GET", _THREAD) and x.status == 200 and isinstance(x.reply, dict) and x.memory.get(f"ran:{x.thread()}"):
        x.reply["status"] = "busy"


def _drop_tool_messages(x: Exchange) -> None:
    messages = x.messages()
    if messages is not None:
        messages[:] = [m for m in messages if not (isinstance(m, dict) and m.get("type") == "tool")]


def _duplicate_input(x: Exchange) -> None:
    messages = x.messages()
    if messages is not None:
        messages[:] = [c for m in messages for c in ([m, {**m, "id": str(uuid.uuid4())}]
                       if isinstance(m, dict) and m.get("type") == "human" else [m])]  # fmt: skip


# --- breaking: cancel, join, echo --------------------------------------------------------------


def _cancel_rollback_as_interrupt(x: Exchange) -> None:
    if x.method == "POST" and _CANCEL.match(x.path) and x.query.get("action") == "rollback":
        x.query["action"] = "interrupt"


async def _join_deleted_as_success(x: Exchange) -> None:
    if _deleted_join(x):
        assert x.fetch is not None
        status, state = await x.fetch("GET", f"/threads/{x.thread()}/state")
        x.status, x.reply = 200, (state.get("values") if status == 200 and isinstance(state, dict) else {}) or {}


async def _run_status(x: Exchange, pattern: re.Pattern[str]) -> tuple[int, Any]:
    """The upstream's answer to a GET of the run the path names: its HTTP status and the run's status."""
    match = pattern.match(x.path)
    assert match is not None and x.fetch is not None
    status, run = await x.fetch("GET", f"/threads/{match.group(1)}/runs/{match.group(2)}")
    return status, run.get("status") if status == 200 and isinstance(run, dict) else None


async def _join_stream_deleted_as_success(x: Exchange) -> None:
    """Joining the stream of a run that no longer exists answers a stream that ends as a success would."""
    if x.is_("GET", _JOIN_STREAM) and (await _run_status(x, _JOIN_STREAM))[0] == 404:
        x.status, x.reply_headers = 200, {"content-type": "text/event-stream"}
        x.reply = b"event: metadata\ndata: {}\n\nevent: values\ndata: {}\n\nevent: end\ndata: null\n\n"


async def _join_interrupted_fails(x: Exchange) -> None:
    """Joining an interrupted run, plain or as a stream, answers 500."""
    for pattern in (_JOIN, _JOIN_STREAM):
        if x.is_("GET", pattern) and (await _run_status(x, pattern))[1] == "interrupted":
            x.status, x.reply = 500, {"detail": "mutant: cannot join an interrupted run"}


_REPLACES = ("interrupt", "rollback")


async def _note_replacing(x: Exchange) -> None:
    """Remember a thread on which a run was created with interrupt or rollback while the thread was busy."""
    if x.creates_run() and x.body.get("multitask_strategy") in _REPLACES and x.fetch is not None:
        status, thread = await x.fetch("GET", f"/threads/{x.thread()}")
        if status == 200 and isinstance(thread, dict) and thread.get("status") == "busy":
            x.memory[f"replaced-on:{x.thread()}"] = True


def _replacing_runs_error(x: Exchange) -> None:
    """A run that replaced a run in flight (interrupt, rollback) and succeeded reports error."""
    for run in x.run_objects():
        if run.get("multitask_strategy") in _REPLACES and run.get("status") == "success" and \
                x.memory.get(f"replaced-on:{run.get('thread_id')}"):  # fmt: skip
            run["status"] = "error"


def _drop_strategy_echo(x: Exchange) -> None:
    for run in x.run_objects():
        run.pop("multitask_strategy", None)


# --- equivalent --------------------------------------------------------------------------------


def _extra_fields(x: Exchange) -> None:
    """Every object answered gets a field this client does not know (an empty body stays empty: it has no fields)."""
    extra = {"x_mutant_extra": {"note": "a field this client does not know", "n": 1}}
    if isinstance(x.reply, dict) and x.reply:
        x.reply.update(extra)
    elif isinstance(x.reply, list):
        for item in x.reply:
            if isinstance(item, dict):
                item.update(extra)


def _reversed_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _reversed_keys(value[k]) for k in reversed(list(value))}
    if isinstance(value, list):
        return [_reversed_keys(v) for v in value]
    return value


def _reorder_keys(x: Exchange) -> None:
    x.reply = _reversed_keys(x.reply)


def _error_detail(x: Exchange) -> str | None:
    if x.status >= 400 and isinstance(x.reply, dict) and isinstance(x.reply.get("detail"), str):
        return x.reply["detail"]
    return None


def _other_error_texts(x: Exchange) -> None:
    if _error_detail(x) is not None:
        x.reply["detail"] = f"request refused (HTTP {x.status}); see the server log for why"


def _other_error_format(x: Exchange) -> None:
    if (detail := _error_detail(x)) is not None:
        x.reply = {"error": {"status": x.status, "message": detail, "type": "conflict" if x.status == 409 else "error"}}


def _drop_run_metadata(x: Exchange) -> None:
    for run in x.run_objects():
        run.pop("metadata", None)


def _cancel_answers_200(x: Exchange) -> None:
    if x.method == "POST" and _CANCEL.match(x.path) and x.status in (202, 204):
        x.status, x.reply = 200, {}


def _join_deleted_as_404(x: Exchange) -> None:
    if _deleted_join(x):
        x.status, x.reply = 404, {"detail": "Run not found"}


# --- the catalog -------------------------------------------------------------------------------

# --- breaking: the requirements no other mutant reaches ----------------------------------------

_RUN_CANCEL = re.compile(r"^/threads/([^/]+)/runs/([^/]+)/cancel$")


def _cancel_fails_after_cancelling(x: Exchange) -> None:
    if x.is_("POST", _RUN_CANCEL) and 200 <= x.status < 300:
        x.status, x.reply = 500, {"detail": "Internal Server Error"}


async def _cancel_wait_hangs(x: Exchange) -> None:
    """A cancel with ``wait=1`` never answers (and never reaches the server)."""
    if x.is_("POST", _RUN_CANCEL) and x.query.get("wait") in ("1", "true"):
        await asyncio.sleep(3600)


async def _cancel_answers_before_settling(x: Exchange) -> None:
    """``wait=1`` is answered at once; the real cancel goes upstream a second later."""
    if x.is_("POST", _RUN_CANCEL) and x.query.get("wait") in ("1", "true") and x.fetch is not None:
        fetch, query = x.fetch, {**x.query, "wait": "0"}

        async def later() -> None:
            await asyncio.sleep(1.0)
            await fetch("POST", x.path, params=query)

        x.memory.setdefault("tasks", set()).add(asyncio.create_task(later()))
        x.status, x.reply = 202, None


def _enqueued_runs_report_error(x: Exchange) -> None:
    """Runs created (by POST /threads/{t}/runs) with explicit enqueue report error once they have succeeded."""
    enqueued = x.memory.setdefault("enqueued", set())
    if x.creates_run() and x.body.get("multitask_strategy") == "enqueue":
        enqueued.update(run["run_id"] for run in x.run_objects())
    for run in x.run_objects():
        if run["run_id"] in enqueued and run.get("status") == "success":
            run["status"] = "error"


def _cancel_by_status_cancels_all(x: Exchange) -> None:
    if x.method == "POST" and x.path == "/runs/cancel" and isinstance(x.body, dict) and x.body.get("status"):
        x.body["status"] = "all"


STALE_WINDOW = 0.05  # seconds between a stale read and the write it decides


async def _reject_on_stale_read(x: Exchange) -> None:
    """reject decided on a read of the thread's runs made before the run is written: check, then act."""
    if not (x.creates_run() and x.body.get("multitask_strategy") == "reject") or x.fetch is None:
        return
    status, runs = await x.fetch("GET", f"/threads/{x.thread()}/runs", params={"limit": 100})
    if status == 200 and any(isinstance(r, dict) and r.get("status") in IN_FLIGHT for r in runs):
        x.status, x.reply = 409, {"detail": "Thread is already running a task."}
        return
    await asyncio.sleep(STALE_WINDOW)  # the window a check-then-act leaves between the read and the write
    x.body["multitask_strategy"] = "enqueue"


def _validation_as_500(x: Exchange) -> None:
    if x.status == 422:
        x.status, x.reply = 500, "Internal Server Error"
        x.reply_headers["content-type"] = "text/plain; charset=utf-8"


def _rename_created_at(x: Exchange) -> None:
    for run in x.run_objects():
        if "created_at" in run:
            run["created"] = run.pop("created_at")


def _thread_never_busy(x: Exchange) -> None:
    if x.is_("GET", _THREAD) and x.status == 200 and isinstance(x.reply, dict) and x.reply.get("status") == "busy":
        x.reply["status"] = "idle"


def list_shows_queued_running(x: Exchange) -> None:
    """The thread's runs list shows a run waiting behind a running one as running too (GET of the run does not)."""
    if x.is_("GET", _RUNS) and any(run.get("status") == "running" for run in x.run_objects()):
        for run in x.run_objects():
            if run.get("status") == "pending":
                run["status"] = "running"


def _ignore_after_seconds(x: Exchange) -> None:
    if x.creates_run():
        x.body.pop("after_seconds", None)


def _runs_found_through_any_thread(x: Exchange) -> None:
    """A GET of a run through a thread that is not its own answers the run (a lookup by run id alone)."""
    _remember_runs(x)
    match = _RUN.match(x.path) if x.method == "GET" and x.status == 404 else None
    run = x.memory.get(f"run:{match[2]}") if match else None
    if match and isinstance(run, dict) and run.get("thread_id") != match[1]:
        x.status, x.reply = 200, run


def _stream_creation_fails(x: Exchange) -> None:
    if x.method == "POST" and x.path.startswith("/threads/") and x.path.endswith("/runs/stream"):
        x.status, x.reply = 500, {"detail": "Internal Server Error"}


_STREAMED_DOUBLE_TEXTS = (
    *(f"{strategy}.first-{situation}.stream:DT-*" for strategy in ("rollback", "interrupt", "enqueue", "default")
      for situation in ("starting", "held-in-*", "pending-*")),
    *(f"{strategy}.first-{situation}.stream:THREAD-*" for strategy in ("enqueue", "default")
      for situation in ("starting", "held-in-*")),
)  # fmt: skip
"""The strategy's tests of every double-text sent through /runs/stream (the first run is always created plainly), but
reject's (a 5xx is its failure) and what passed before it (the premises; behind another run, the runs list shows
the one ahead running and the first run waiting, whatever became of the double-text)."""
_AFTER_SECONDS_DOUBLE_TEXTS = tuple(f"*.first-pending-after-seconds.*:{r}"
                                    for r in ("DT-*", "THREAD-*", "RUN-CREATE-*", "CMD-*"))  # fmt: skip
"""What the double-texts on a run delayed by after_seconds judge, beyond the delay."""


CLASSIC = ("create", "stream", "wait")
"""The classic routes a double-text is created through: what a mutant of run creation's body changes (run.start's
command is another body)."""


def _joins_of(strategy: str) -> tuple[str, ...]:
    """Every join scenario about a run the ``strategy`` double-text replaced: made after it, and already waiting."""
    return tuple(f"join.{waiting}{stream}{strategy}:*" for waiting in ("", "waiting.") for stream in ("", "stream."))


# --- blinding: a capability or a read the target refuses --------------------------------------


def _refuse_after_seconds(x: Exchange) -> None:
    if x.creates_run() and x.body.get("after_seconds"):
        x.status, x.reply = 400, {"detail": "Scheduled runs are not supported"}


def _cap_history_limit(x: Exchange) -> None:
    if x.is_("POST", _HISTORY) and isinstance(x.body, dict) and int(x.body.get("limit") or 1) > 100:
        x.status, x.reply = 422, {"detail": [{"loc": ["body", "limit"], "msg": "Input should be less than or equal to 100"}]}


def _thread_wait_fails(x: Exchange) -> None:
    if x.method == "POST" and x.path.startswith("/threads/") and x.path.endswith("/runs/wait"):
        x.status, x.reply = 500, {"detail": "Internal Server Error"}


def _history_empty(x: Exchange) -> None:
    if x.is_("POST", _HISTORY) and x.status == 200:
        x.reply = []


def _history_without_run_ids(x: Exchange) -> None:
    if x.is_("POST", _HISTORY) and x.status == 200 and isinstance(x.reply, list):
        for checkpoint in x.reply:
            if isinstance(checkpoint, dict) and isinstance(checkpoint.get("metadata"), dict):
                checkpoint["metadata"] = {k: v for k, v in checkpoint["metadata"].items() if k != "run_id"}


async def _idle_while_second_runs(x: Exchange) -> None:
    if x.is_("GET", _THREAD) and x.status == 200 and isinstance(x.reply, dict) and x.reply.get("status") == "busy":
        assert x.fetch is not None
        status, runs = await x.fetch("GET", f"/threads/{x.thread()}/runs", {"limit": 100})
        if status == 200 and isinstance(runs, list) and len(runs) > 1:
            x.reply["status"] = "idle"


def _thread_always_busy(x: Exchange) -> None:
    if x.is_("GET", _THREAD) and x.status == 200 and isinstance(x.reply, dict):
        x.reply["status"] = "busy"


_SCHEMA_ON_A_RUN = tuple(f"schema.{name}:*" for name in (
    "threads.get", "threads.patch", "threads.state", "threads.history", "runs.create", "runs.wait", "runs.stream",
    "runs.list", "runs.get", "runs.join", "runs.cancel"))  # fmt: skip
"""The schema lane's scenarios whose set-up finishes a plain run on their thread first."""

def _run_start_params(x: Exchange) -> dict[str, Any] | None:
    """The params of a ``run.start`` command sent to ``POST /threads/{t}/commands``, else None."""
    body = x.body if x.is_("POST", _COMMANDS) and isinstance(x.body, dict) else {}
    params = body.get("params") if body.get("method") == "run.start" else None
    return params if isinstance(params, dict) else None


def _drop_run_start_strategy(x: Exchange) -> None:
    params = _run_start_params(x)
    if params is not None:
        params.pop("multitaskStrategy", None)


def _refusal_as_success(x: Exchange) -> None:
    reply = x.reply if x.is_("POST", _COMMANDS) and isinstance(x.reply, dict) else {}
    if reply.get("type") == "error" and str(reply.get("message", "")).startswith("409"):
        x.reply = {"type": "success", "id": reply.get("id"), "result": {"run_id": str(uuid.uuid4())}, "meta": {}}


def _unknown_command_as_invalid(x: Exchange) -> None:
    if x.is_("POST", _COMMANDS) and isinstance(x.reply, dict) and x.reply.get("error") == "unknown_command":
        x.reply["error"] = "invalid_argument"


def _run_start_names_no_run(x: Exchange) -> None:
    result = x.reply.get("result") if x.is_("POST", _COMMANDS) and isinstance(x.reply, dict) else None
    if isinstance(result, dict) and "run_id" in result:
        result["run_id"] = str(uuid.uuid4())


def _command_id_renumbered(x: Exchange) -> None:
    if x.is_("POST", _COMMANDS) and isinstance(x.reply, dict) and isinstance(x.reply.get("id"), int):
        x.reply["id"] += 1000


def _root_lifecycle(frame: dict[str, Any]) -> str:
    params = frame.get("params") if isinstance(frame.get("params"), dict) else {}
    data = params.get("data") if isinstance(params.get("data"), dict) else {}
    return str(data.get("event") or "") if frame.get("method") == "lifecycle" and not params.get("namespace") else ""


def _end_after_next(frame: dict[str, Any], _: Exchange, connection: dict[str, Any]) -> list[dict[str, Any]]:
    """A run's root terminal frame is sent after the frame that follows it (with its own seq)."""
    held = connection.pop("held", None)
    if _root_lifecycle(frame) in ("completed", "failed", "interrupted"):
        connection["held"] = frame
        return [held] if held else []
    return [frame, held] if held else [frame]


def _renumber_later_connections(frame: dict[str, Any], x: Exchange, connection: dict[str, Any]) -> list[dict[str, Any]]:
    """Every connection to a thread's stream after its first sees each seq 1000 higher per earlier connection."""
    if "offset" not in connection:
        opened = x.memory.setdefault("connections", {})
        connection["offset"] = 1000 * opened.setdefault(x.thread(), 0)
        opened[x.thread()] += 1
    if isinstance(frame.get("seq"), int):
        frame["seq"] += connection["offset"]
    return [frame]


def _running_twice(frame: dict[str, Any], _: Exchange, __: dict[str, Any]) -> list[dict[str, Any]]:
    return [frame, frame] if _root_lifecycle(frame) == "running" else [frame]


def _ignore_since(x: Exchange) -> None:
    if x.method == "POST" and x.path.endswith("/stream/events") and isinstance(x.body, dict):
        x.body.pop("since", None)


_REFUSED_COMMANDS = ("reject.*.command:CMD-REFUSAL-TYPED", "reject.*.command:EVT-REJECT-SILENT")
"""The refusals' codes, and the stream's silence about them, a mutant that accepts every run.start leaves unseen."""
_STOPPED_BY_COMMANDS = ("rollback.*.command:DT-STOPPED-RUN-STOPS", "interrupt.*.command:DT-STOPPED-RUN-STOPS",
                        "rollback.*.command:EVT-ROLLBACK-TERMINAL")  # fmt: skip
"""Whether a run that a run.start stopped stays stopped, and how a rolled-back one ends on the stream: unseen where
none was stopped."""


BLINDING: tuple[Mutant, ...] = (
    Mutant("after-seconds-ignored", ("RUN-AFTER-SECONDS-DELAYS",), on_request=_ignore_after_seconds,
           blinds=_AFTER_SECONDS_DOUBLE_TEXTS, blind_cause="first was not held back by its after_seconds",
           select="first-pending-after-seconds",
           note="a run's after_seconds is dropped: the 'pending' first run starts at once, so the scenarios about a "
                "run delayed by it are not reached, naming why, and the delay itself fails (never an enqueue pass)"),
    Mutant("stream-creation-500",
           ("RUN-CREATE-NO-SERVER-ERROR", "DT-NOT-IN-FLIGHT-RUNS", "DT-HUMAN-WAIT-NOT-IN-FLIGHT", "DT-REJECT-REFUSED",
            "DT-REJECT-409"),
           on_request=_stream_creation_fails, blinds=_STREAMED_DOUBLE_TEXTS, blind_cause="the endpoint fails without",
           select="stream or first-finished.create",
           note="POST /threads/{t}/runs/stream answers 500, on an idle thread too: the endpoint's finding, and a plain "
                "run through it fails; what each strategy does through it is not reached, naming both 500s, but "
                "for reject, whose requirement already says never a 5xx"),
    Mutant("after-seconds-refused", (), on_request=_refuse_after_seconds,
           blinds=("*.first-pending-after-seconds.*",), blind_cause="answered HTTP 400",
           note="scheduled runs are refused (as skeino does): the scenarios whose set-up schedules the first run are "
                "not reached, everything else as on the reference"),
    Mutant("run-start-drops-strategy",
           ("DT-REJECT-REFUSED", "DT-REJECT-NO-RUN", "DT-REJECT-FIRST-CONTINUES", "DT-ROLLBACK-FIRST-404",
            "DT-ROLLBACK-FIRST-UNLISTED", "DT-ROLLBACK-STATE-SECOND-ONLY", "DT-ROLLBACK-HISTORY-CLEAN",
            "DT-INTERRUPT-FIRST-INTERRUPTED", "DT-INTERRUPT-KEEPS-PARTIAL", "DT-PENDING-INTERRUPT-NEVER-RUNS"),
           on_request=_drop_run_start_strategy, select="command and not first-held-in-agent-via-command",
           blinds=(*_REFUSED_COMMANDS, *_STOPPED_BY_COMMANDS),
           blind_cause="not in the situation this is about",
           note="run.start's multitaskStrategy is dropped (the server then enqueues): every strategy through run.start "
                "fails as enqueue would; the refusals' codes are not seen (without the scenarios whose first run came "
                "through run.start: enqueued, their thread's replay is whole, which the reference's rollback is not)"),
    Mutant("run-start-refusal-as-success", ("DT-REJECT-REFUSED",), on_response=_refusal_as_success, select="command",
           blinds=_REFUSED_COMMANDS, blind_cause="not in the situation this is about",
           note="a run.start refused by reject is answered as a success with a run id no run has: the refusal is "
                "gone, nothing else changes"),
    Mutant("since-ignored", ("EVT-SINCE-RESUMES",), on_request=_ignore_since, select="first-held-in-agent",
           note="the thread's event stream ignores since: a connection that asks for what came after seq N gets "
                "everything again"),
    Mutant("history-capped-at-100", ("HISTORY-LIMIT-DOCUMENTED",), on_request=_cap_history_limit,
           note="POST /threads/{t}/history refuses limit > 100 with 422 (as langrove does): a SHOULD finding of its own; "
                "the suite reads the history in pages of 100, so nothing else changes"),
    Mutant("thread-wait-500", (), on_request=_thread_wait_fails, lanes=("schema",), exit_code=2,
           blinds=_SCHEMA_ON_A_RUN, blind_cause="POST /threads/<thread>/runs/wait answered HTTP 500",
           note="POST /threads/{t}/runs/wait answers 500 (as langrove does): the schema scenarios whose set-up needs a "
                "finished run are not reached, naming that request; what no scenario judged makes the session error"),
    Mutant("history-empty", (), on_response=_history_empty, exit_code=2,
           blinds=("*:DT-ROLLBACK-HISTORY-CLEAN",), blind_cause="names no checkpoint of second",
           note="the thread history is always empty: the rollback's history check cannot see anything (a MUST no "
                "scenario judged: error)"),
    Mutant("history-without-run-ids", (), on_response=_history_without_run_ids, lanes=("contract", "race"), exit_code=2,
           blinds=("*:DT-ROLLBACK-HISTORY-CLEAN",), blind_cause="0 naming a run id",
           note="checkpoints carry no run_id in their metadata: the history's checks see nothing, and the race lane "
                "reads no run's start from it (no storm may fail for it)"),
    Mutant("list-shows-two-running", ("THREAD-ONE-RUN-AT-A-TIME",), on_response=list_shows_queued_running,
           note="the runs list shows a queued run running beside the running one, as a server that executes both "
                "would: one reply shows two runs of the thread running"),
    Mutant("runs-found-through-any-thread", ("RUN-SCOPED-TO-THREAD",), on_response=_runs_found_through_any_thread,
           select="scoping or rollback.first-held-in-agent",
           note="GET /threads/{t}/runs/{r} finds the run by its id alone, whatever thread the path names"),
    Mutant("thread-idle-while-second-runs", ("THREAD-BUSY-WHILE-IN-FLIGHT",), on_response=_idle_while_second_runs,
           note="a thread says idle while its second run is held, once it has had a run before: only the scenario "
                "that reads the status with a second run in flight sees it (SHOULD)"),
    Mutant("thread-always-busy",
           ("THREAD-IDLE-AFTER-SUCCESS", "THREAD-INTERRUPTED-WAITING-HUMAN", "THREAD-ERROR-AFTER-FAILURE"),
           on_response=_thread_always_busy, lanes=("contract", "schema"), blinds=_SCHEMA_ON_A_RUN,
           blind_cause="did not say idle", exit_code=1,
           note="every thread always says busy: a MUST fails with evidence, so the session is nonconformant although "
                "the schema scenarios, which wait for an idle thread, are not reached"),
)  # fmt: skip

BREAKING: tuple[Mutant, ...] = (
    Mutant("rollback-as-interrupt",
           ("DT-ROLLBACK-FIRST-404", "DT-ROLLBACK-FIRST-UNLISTED", "DT-ROLLBACK-STATE-SECOND-ONLY",
            "DT-ROLLBACK-HISTORY-CLEAN", "DT-REPLACEMENT-DOUBLE-TEXT", "DT-RUN-ECHOES-STRATEGY",
            "SDK-ROLLBACK-GET-RAISES-404", "SDK-ROLLBACK-STATE-SECOND-ONLY", "RACE-ROLLBACK-ONE-SURVIVOR"),
           on_request=_strategy("rollback", "interrupt"), lanes=("contract", "sdk", "race"),
           blinds=(*_joins_of("rollback"), *(f"sdk.{sdk}.rollback:SDK-ROLLBACK-JOIN-NOT-SUCCESS" for sdk in ("python", "js"))),
           blind_cause="not in the situation this is about",
           note="rollback keeps the first run, as interrupt does, on the classic routes (through both SDKs' runs.create "
                "too: runs.get returns the run, the state keeps its question, runs.join returns its values); run.start's "
                "multitaskStrategy is left as it is"),
    Mutant("rollback-keeps-input", ("DT-ROLLBACK-STATE-SECOND-ONLY", "DT-REPLACEMENT-DOUBLE-TEXT"),
           on_request=_note_rolled_back, on_response=_rollback_keeps_input,
           note="rollback deletes the run and its checkpoints but its input stays in the state (chains: "
                "the rollback scenarios there check the state under DT-REPLACEMENT-DOUBLE-TEXT)"),
    Mutant("rollback-run-still-gettable",
           ("DT-ROLLBACK-FIRST-404", "DT-REPLACEMENT-DOUBLE-TEXT", "CANCEL-ROLLBACK-DELETES-RUN", "RUN-SCOPED-TO-THREAD"),
           on_response=_deleted_run_answers,
           blinds=(*_joins_of("rollback"), "rollback.*.command:EVT-ROLLBACK-TERMINAL"),
           blind_cause="not in the situation this is about",
           note="a deleted run still answers GET (200, its last body, interrupted); a server's GET does not "
                "know how a run was deleted, so cancel action=rollback is hit too; the joins of a deleted run "
                "(and a rolled-back run's end on the event stream) are not reached: the GET that says whether it was "
                "deleted says it was not; a GET through another "
                "thread's id, which finds no run either, answers the run it remembers too"),
    Mutant("rollback-run-still-listed", ("DT-ROLLBACK-FIRST-UNLISTED", "DT-REPLACEMENT-DOUBLE-TEXT"),
           on_response=_deleted_run_listed,
           note="a deleted run is still in GET /threads/{t}/runs (as interrupted)"),
    Mutant("rollback-history-kept", ("DT-ROLLBACK-HISTORY-CLEAN",),
           on_request=_note_rolled_back, on_response=_history_keeps_rolled_back,
           note="rollback deletes the run but its checkpoints stay in the thread history"),
    Mutant("reject-accepted",
           ("DT-REJECT-REFUSED", "DT-REJECT-409", "DT-REJECT-NO-RUN", "DT-REJECT-FIRST-CONTINUES", "SDK-REJECT-RAISES",
            "RACE-REJECT-IDLE-ONE-WINNER", "RACE-REJECT-BUSY-ALL-REFUSED"),
           on_request=_strategy("reject", "enqueue"), lanes=("contract", "sdk", "race"),
           note="reject is ignored: the double-text is enqueued (FIRST-CONTINUES: with a first run delayed by "
                "after_seconds the accepted run executes first, so its conversation is in the state)"),
    Mutant("reject-as-500", ("DT-REJECT-REFUSED", "DT-REJECT-409", "RUN-CREATE-NO-SERVER-ERROR"),
           on_response=_error_status(409, 500, _RUNS), note="the refusal is a 500 instead of a 409"),
    Mutant("command-id-renumbered", ("CMD-ANSWER-ENVELOPE",), on_response=_command_id_renumbered, select="command",
           note="a command's answer carries another id than the command's"),
    Mutant("unknown-command-as-invalid", ("CMD-UNKNOWN-METHOD",), on_response=_unknown_command_as_invalid,
           select="command", note="an unknown method is answered invalid_argument, not unknown_command: SHOULD only"),
    Mutant("run-start-names-no-run", ("CMD-RUN-START-RESOLVES",), on_response=_run_start_names_no_run,
           select="command.run-start",
           note="run.start answers a run id no run has (the run it created runs all the same)"),
    Mutant("lifecycle-end-after-next", ("EVT-RUN-LIFECYCLE",), frames=_end_after_next,
           select="first-held-in-agent and command and (enqueue or default)",
           # the reference's since=N after a double-text sends a run's end alone, which this mutant holds back for a
           # frame that never comes: the new connection stops short (not reached), where the reference's fails
           blinds=tuple(f"{s}.first-held-in-agent.command:EVT-SINCE-RESUMES" for s in ("enqueue", "default")),
           blind_cause="stopped short",
           note="the thread's event stream sends a run's end after the next run's begin (the enqueued runs show it; "
                "the interrupt scenarios' order the reference itself breaks now and then, tests/reference.py)"),
    Mutant("lifecycle-running-twice", ("EVT-REJECT-SILENT",), frames=_running_twice,
           select="reject.first-held-in-agent",
           note="the thread's event stream sends every root 'running' twice: the stream shows a run beside the first "
                "where reject refused the double-text"),
    Mutant("event-seq-renumbered", ("EVT-SEQ-STABLE", "EVT-SINCE-RESUMES"), frames=_renumber_later_connections,
           select="first-held-in-agent",
           note="each later connection to a thread's event stream numbers its frames anew (seq + 1000 per earlier "
                "connection): a replay, and a resumption with since, show other seqs than the live stream"),
    Mutant("reject-as-422", ("DT-REJECT-409",),
           on_response=_error_status(409, 422, _RUNS), note="the refusal is a 422: a SHOULD deviation only"),
    Mutant("interrupt-marks-error",
           ("DT-INTERRUPT-FIRST-INTERRUPTED", "DT-PENDING-INTERRUPT-NEVER-RUNS", "DT-REPLACEMENT-DOUBLE-TEXT",
            "CANCEL-INTERRUPT-KEEPS-RUN", "CANCEL-MANY-BY-IDS", "SDK-INTERRUPT-FIRST-INTERRUPTED",
            "RACE-INTERRUPT-ONE-SURVIVOR", "RACE-CANCEL-AND-DOUBLE-TEXT"),
           on_response=_map_run_status("interrupted", "error"), lanes=("contract", "sdk", "race"),
           blinds=_joins_of("interrupt"), blind_cause="not in the situation this is about",
           note="an interrupted run reports status error (whether a double-text or a cancel interrupted it); "
                "CANCEL-WAIT-SETTLES still passes: error is settled too; the joins of an interrupted run are "
                "not reached: no run reports interrupted"),
    Mutant("interrupt-as-enqueue",
           ("DT-INTERRUPT-FIRST-INTERRUPTED", "DT-INTERRUPT-KEEPS-PARTIAL", "DT-PENDING-INTERRUPT-NEVER-RUNS",
            "DT-REPLACEMENT-DOUBLE-TEXT"),
           on_request=_strategy("interrupt", "enqueue"), slow=True,
           blinds=(*_joins_of("interrupt"), *(f"interrupt.*.{e}:DT-STOPPED-RUN-STOPS" for e in CLASSIC)),
           blind_cause="not in the situation this is about",
           note="interrupt is ignored: the double-text waits behind the held first run until the suite lets its "
                "hold go (after --wait-timeout); then the first run succeeds, and its full conversation is in the "
                "state: the joins of an interrupted run are not reached (no run was interrupted)"),
    Mutant("enqueue-lifo", ("DT-ENQUEUE-IN-ORDER", "DT-DEFAULT-IS-ENQUEUE", "DT-ENQUEUE-CHAIN-ORDER"),
           on_request=_note_enqueued, on_response=_queue_runs_newest_first,
           note="queued runs execute newest first (seen as their conversations' order in the state); with one "
                "queued run that is still in order, so only the scenarios with two or more queued runs see it"),
    Mutant("default-is-reject", ("DT-DEFAULT-IS-ENQUEUE",),
           on_request=_strategy(None, "reject"),
           blinds=tuple(f"default.first-{s}.{e}:THREAD-ONE-RUN-AT-A-TIME" for s in ("starting", "held-in-*", "running-*")
                        for e in CLASSIC),  # fmt: skip
           blind_cause="two are needed to see anything",
           note="an omitted multitask_strategy means reject on the classic routes (explicit enqueue still works)"),
    Mutant("thread-stuck-busy",
           ("THREAD-IDLE-AFTER-SUCCESS", "THREAD-INTERRUPTED-WAITING-HUMAN", "THREAD-ERROR-AFTER-FAILURE"),
           on_request=_note_thread_ran, on_response=_thread_stays_busy,
           note="once a thread had a run it reports busy for ever"),
    Mutant("state-drops-tool-message",
           ("DT-ROLLBACK-STATE-SECOND-ONLY", "DT-INTERRUPT-KEEPS-PARTIAL", "DT-PENDING-INTERRUPT-NEVER-RUNS",
            "DT-ENQUEUE-IN-ORDER", "DT-DEFAULT-IS-ENQUEUE", "DT-ENQUEUE-CHAIN-ORDER", "DT-REJECT-FIRST-CONTINUES",
            "DT-NOT-IN-FLIGHT-RUNS", "DT-HUMAN-WAIT-NOT-IN-FLIGHT", "DT-REPLACEMENT-DOUBLE-TEXT",
            "STATE-UPDATE-IN-FLIGHT-REFUSED", "STATELESS-NEVER-DOUBLE-TEXTS", "RUN-IF-NOT-EXISTS-CREATES",
            "SDK-ROLLBACK-STATE-SECOND-ONLY", "SDK-INTERRUPT-STATE-KEEPS-PARTIAL", "SDK-ENQUEUE-IN-ORDER",
            "SDK-REJECT-RAISES"),
           on_response=_drop_tool_messages, lanes=("contract", "sdk"),
           note="the state never shows tool messages: every check of a state holding a finished conversation "
                "fails; states cut before the tool ran (cancel, rollback-cleared) still pass"),
    Mutant("state-duplicates-input",
           ("DT-ROLLBACK-STATE-SECOND-ONLY", "DT-INTERRUPT-KEEPS-PARTIAL", "DT-PENDING-INTERRUPT-NEVER-RUNS",
            "DT-ENQUEUE-IN-ORDER", "DT-DEFAULT-IS-ENQUEUE", "DT-ENQUEUE-CHAIN-ORDER", "DT-REJECT-FIRST-CONTINUES",
            "DT-NOT-IN-FLIGHT-RUNS", "DT-HUMAN-WAIT-NOT-IN-FLIGHT", "DT-REPLACEMENT-DOUBLE-TEXT",
            "STATE-UPDATE-IN-FLIGHT-REFUSED", "STATELESS-NEVER-DOUBLE-TEXTS", "RUN-IF-NOT-EXISTS-CREATES",
            "CANCEL-INTERRUPT-KEEPS-PARTIAL"),
           on_response=_duplicate_input,
           note="every human message is in the state twice: every state check with a human message fails "
                "(only the emptied state after cancel action=rollback passes)"),
    Mutant("cancel-rollback-as-interrupt", ("CANCEL-ROLLBACK-DELETES-RUN", "CANCEL-ROLLBACK-CLEARS-STATE"),
           on_request=_cancel_rollback_as_interrupt, note="cancel action=rollback keeps the run, as interrupt"),
    Mutant("join-deleted-as-success", ("JOIN-DELETED-NOT-SUCCESS", "SDK-ROLLBACK-JOIN-NOT-SUCCESS", "RUN-SCOPED-TO-THREAD"),
           on_response=_join_deleted_as_success, lanes=("contract", "sdk"),
           note="join of a run the server cannot find answers 200 with the thread's values, like a success (through "
                "the SDKs too); a join through another thread's id finds no run either, and answers the same"),
    Mutant("join-stream-deleted-as-success", ("JOIN-STREAM-DELETED-NOT-SUCCESS",),
           on_request=_join_stream_deleted_as_success,
           note="joining the stream of a deleted run answers a stream that ends like a success"),
    Mutant("join-interrupted-fails", ("JOIN-INTERRUPTED-RETURNS", "JOIN-STREAM-INTERRUPTED-ENDS"),
           on_request=_join_interrupted_fails, note="joining an interrupted run, plain or as a stream, answers 500"),
    Mutant("replacing-runs-error", ("DT-INTERRUPT-SECOND-SUCCEEDS", "DT-ROLLBACK-SECOND-SUCCEEDS"),
           on_request=_note_replacing, on_response=_replacing_runs_error,
           note="a run that interrupted or rolled back a run in flight, and succeeded, reports error"),
    Mutant("strategy-not-echoed", ("DT-RUN-ECHOES-STRATEGY",),
           on_response=_drop_strategy_echo, note="run objects do not report multitask_strategy: SHOULD only"),
    Mutant("state-update-as-400", ("STATE-UPDATE-IN-FLIGHT-409",),
           on_response=_error_status(409, 400, _STATE), note="a state update while in flight is a 400: SHOULD only"),
    Mutant("failed-run-success", ("RUN-ERROR-AFTER-FAILURE",),
           on_response=_map_run_status("error", "success"), note="a run whose graph raised reports success"),
    Mutant("cancel-fails-after-cancelling",
           ("CANCEL-ACCEPTED", "CANCEL-INTERRUPT-KEEPS-RUN", "CANCEL-INTERRUPT-KEEPS-PARTIAL",
            "CANCEL-ROLLBACK-DELETES-RUN", "CANCEL-ROLLBACK-CLEARS-STATE", "CANCEL-WAIT-SETTLES", "CANCEL-STOPS-RUN"),
           on_response=_cancel_fails_after_cancelling,
           note="a cancel of one run does its work but answers 500: the script cannot rely on it, so every "
                "requirement of the cancel scenarios fails with that answer"),
    Mutant("cancel-finished-accepted", ("CANCEL-FINISHED-REFUSED", "RUN-SCOPED-TO-THREAD"),
           on_response=_error_status(404, 202, _RUN_CANCEL),
           note="cancelling a finished run answers 202 (as langhost and graphharbor do): a cancel's 404 becomes 202, "
                "so a cancel through another thread's id, which finds no run, answers 202 too"),
    Mutant("cancel-wait-hangs",
           ("CANCEL-ACCEPTED", "CANCEL-INTERRUPT-KEEPS-RUN", "CANCEL-INTERRUPT-KEEPS-PARTIAL",
            "CANCEL-ROLLBACK-DELETES-RUN", "CANCEL-ROLLBACK-CLEARS-STATE", "CANCEL-WAIT-SETTLES", "CANCEL-STOPS-RUN"),
           on_request=_cancel_wait_hangs,
           note="a cancel with wait=1 never answers, while the target goes on running other runs: a wait that runs "
                "out where the target had room fails the scenario's requirements"),
    Mutant("cancel-wait-ignored", ("CANCEL-WAIT-SETTLES",),
           on_request=_cancel_answers_before_settling,
           note="cancel with wait=1 answers at once and settles the run a second later"),
    Mutant("pending-shown-running",
           ("DT-ENQUEUE-SECOND-WAITS", "DT-ENQUEUE-CHAIN-ORDER", "DT-DEFAULT-IS-ENQUEUE", "THREAD-ONE-RUN-AT-A-TIME",
            "RUN-AFTER-SECONDS-DELAYS"),
           on_response=_map_run_status("pending", "running"),
           blinds=(*_AFTER_SECONDS_DOUBLE_TEXTS, "*.first-pending-behind-another.*", "thread-status.two-runs-in-flight:*"),
           blind_cause="the situation did not hold before the steps under test",
           note="queued and scheduled runs report running: every check that a queued run waits fails, the runs list "
                "shows two running, a run delayed by after_seconds is not pending; the situations that need a "
                "pending run are not reached"),
    Mutant("enqueued-run-errors",
           ("DT-ENQUEUE-ALL-SUCCEED", "DT-ENQUEUE-CHAIN-ORDER", "DT-REJECT-FIRST-CONTINUES", "DT-DEFAULT-IS-ENQUEUE",
            "DT-NOT-IN-FLIGHT-RUNS", "DT-HUMAN-WAIT-NOT-IN-FLIGHT", "RUN-IF-NOT-EXISTS-CREATES",
            "RACE-ENQUEUE-SERIAL", "RACE-CANCEL-AND-DOUBLE-TEXT"),
           on_response=_enqueued_runs_report_error, lanes=("contract", "race"),
           note="runs created with explicit enqueue end in error: the pending-behind situation's first run is one "
                "(reject and default scenarios), and so are enqueue runs on idle threads (finished, human, "
                "if_not_exists)"),
    Mutant("cancel-by-status-cancels-all", ("CANCEL-MANY-BY-STATUS",),
           on_request=_cancel_by_status_cancels_all, dedicated=True,
           note="POST /runs/cancel by status ignores the status and cancels running runs too (the reference "
                "then reports the held running run interrupted)"),
    Mutant("validation-as-500",
           ("API-NO-SERVER-ERROR", "API-REFUSED-4XX", "API-REFUSED-DOCUMENTED-CODE", "API-REFUSAL-NAMES-PROBLEM",
            "API-GENERATED-NO-SERVER-ERROR"),
           on_response=_validation_as_500, lanes=("schema",),
           blinds=("schema.runs.wait:API-BODIES-MATCH-DOCUMENT",), blind_cause="no answer this rule judges",
           note="every 422 is a 500 'Internal Server Error': refusals fail every refusal requirement, and the "
                "invalid requests drawn from the document are answered 5xx; runs/wait, drawn invalid only, then "
                "has no body the document judges: not reached"),
    Mutant("run-created-at-renamed", ("API-RUN-REQUIRED-FIELDS", "API-BODIES-MATCH-DOCUMENT"),
           on_response=_rename_created_at, lanes=("contract", "schema"), select="not command and not socket",
           note="run objects say created instead of created_at: a MUST of the schema lane; the contract lane, "
                "run too, does not notice (but for run.start's double-texts, judged on the runs' timestamps: left out)"),
    Mutant("reject-stale-read", ("RACE-REJECT-IDLE-ONE-WINNER",),
           on_request=_reject_on_stale_read, lanes=("contract", "race"),
           note="reject is decided on a read of the thread's runs taken before the run is written: one at a time it "
                "is right (the contract lane, run too, passes), but simultaneous rejects on an idle thread all read "
                "'idle' and are all created"),
    Mutant("thread-never-busy", ("THREAD-BUSY-WHILE-IN-FLIGHT",),
           on_response=_thread_never_busy, note="a thread reports idle while its run is in flight: SHOULD only"),
)  # fmt: skip

EQUIVALENT: tuple[Mutant, ...] = (
    Mutant("slow-150ms", (), delay=0.15, slow=True, note="every answer 150 ms later"),
    Mutant("late-stream-headers", (), stream_headers_delay=0.5,
           note="/runs/stream and /runs/wait send their headers 0.5 s after the run exists (some servers send "
                "them only when the run ends)"),
    Mutant("late-stream-headers-no-location", (), stream_headers_delay=0.5, stream_headers_drop=("content-location",),
           note="as late-stream-headers, and without Content-Location (as graphharbor's /runs/wait): the suite "
                "finds the run in the runs list"),
    Mutant("runs-without-metadata", (), on_response=_drop_run_metadata, stream_headers_delay=0.5,
           stream_headers_drop=("content-location",),
           note="run objects carry no metadata, and streamed answers come late without Content-Location: the "
                "suite finds a streamed run as the one run of its thread it does not know yet"),
    Mutant("extra-fields", (), on_response=_extra_fields, note="every JSON object answered has a field more"),
    Mutant("reordered-keys", (), on_response=_reorder_keys, note="every JSON object's keys in reverse order"),
    Mutant("other-error-texts", (), on_response=_other_error_texts, note="error bodies say something else"),
    Mutant("other-error-format", (), on_response=_other_error_format,
           note='errors as {"error": {"status", "message"}} instead of {"detail": "..."}'),
    Mutant("cancel-answers-200", (), on_response=_cancel_answers_200, dedicated=True,
           note="cancels answer 200 {} (not 202/204); run dedicated, so the cancel by status is answered so too"),
    Mutant("join-deleted-as-404", (), on_response=_join_deleted_as_404,
           note="join of a deleted run answers 404 (as the OpenAPI spec offers) instead of 200 __error__"),
)  # fmt: skip

MUTANTS: dict[str, Mutant] = {m.name: m for m in (*BREAKING, *BLINDING, *EQUIVALENT)}
"""Every breaking mutant fails exactly the requirements it breaks; every equivalent one passes."""
