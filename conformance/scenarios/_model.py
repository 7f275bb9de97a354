"""The vocabulary scenarios are written in: steps that drive runs, checks that judge the result.

A scenario is an ordered script on one fresh thread. Steps never judge the server: they
record what it answered, each request under a label (a run's name for its creation,
``join:first`` for a join, ``cancel:first`` for a cancel). Checks judge, each tied to one
requirement ID by ``Expect``: at the end of the script, or at a point in it with ``CheckNow``.
Where the contract allows several outcomes, ``OneOf`` declares them up front and the result
records which one the server showed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, TypeAlias

__all__ = [
    "CLIENT_ERROR",
    "PROTOCOL_ENDPOINTS",
    "RUN_ENDS",
    "STARTS",
    "SUCCESS",
    "Answered",
    "AnsweredError",
    "AnsweredInFlight",
    "AppliedWhileBusy",
    "AwaitControl",
    "AwaitHeld",
    "Cancel",
    "CancelAction",
    "CancelByStatus",
    "CancelMany",
    "Check",
    "CheckNow",
    "Command",
    "CommandAnswered",
    "DeleteThread",
    "Endpoint",
    "Expect",
    "Given",
    "HistoryLimit",
    "HistoryNames",
    "HoldAt",
    "Join",
    "JoinStream",
    "Lane",
    "Lifecycle",
    "ListedNone",
    "NoServerError",
    "Node",
    "NotBegun",
    "OneOf",
    "OneRunExecuting",
    "OtherThread",
    "PendingBeforeDue",
    "Raised",
    "RefusalTyped",
    "Refused",
    "Release",
    "Replayed",
    "Request",
    "ReturnedMessages",
    "ReturnedRun",
    "RunField",
    "RunGone",
    "RunSettled",
    "RunStatus",
    "RunsListed",
    "Scenario",
    "Sdk",
    "SdkCall",
    "SdkMethod",
    "SdkNote",
    "Start",
    "StartStateless",
    "StayedStopped",
    "Step",
    "Strategy",
    "Subscribe",
    "ThreadMessages",
    "ThreadStatus",
    "UpdateState",
    "ViaOtherThread",
    "WaitingJoin",
    "WaitsOnHuman",
    "WatchStop",
]

Strategy: TypeAlias = Literal["reject", "enqueue", "interrupt", "rollback"]
Endpoint: TypeAlias = Literal["create", "stream", "wait", "command", "socket"]
"""How a run is created: ``POST /threads/{id}/runs`` (``create``), ``/runs/stream``, ``/runs/wait``; or through the
thread-centric protocol, ``run.start`` sent to ``POST /threads/{id}/commands`` (``command``) or over a WebSocket on
``/threads/{id}/stream/events`` (``socket``)."""
PROTOCOL_ENDPOINTS: tuple[Endpoint, ...] = ("command", "socket")
Node: TypeAlias = Literal["agent", "tools"]
HoldAt: TypeAlias = Literal["start", "agent", "tools"]
"""Where a run is held: in one of the graph's nodes, or at ``start``, while its graph is being built (the worker
has taken it, nothing of it is written yet: the fixture's slow-start graph)."""
OtherAction: TypeAlias = Literal["get", "join", "cancel", "list"]
CancelAction: TypeAlias = Literal["interrupt", "rollback"]
Lane: TypeAlias = Literal["contract", "schema", "sdk", "race", "faults"]
Sdk: TypeAlias = Literal["python", "js"]
SdkMethod: TypeAlias = Literal["runs.create", "run.start", "runs.get", "runs.join", "threads.get_state", "thread.output"]
"""``run.start``: through the SDK's thread stream (``client.threads.stream(...).run.start``), the thread-centric
protocol; ``thread.output``: the state values that stream's ``output`` resolves with (the Python SDK's; the stream
its ``run.start`` opened stays open until then)."""
STARTS: tuple[SdkMethod, ...] = ("runs.create", "run.start")
"""The SDK methods that start a run."""
SUCCESS: tuple[int, ...] = tuple(range(200, 300))
CLIENT_ERROR: tuple[int, ...] = tuple(range(400, 500))


def _codes(statuses: tuple[int, ...]) -> str:
    named = {SUCCESS: "a 2xx", CLIENT_ERROR: "a 4xx"}
    return named.get(statuses) or " or ".join(map(str, statuses))


# --- checks ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ThreadMessages:
    """The thread's state holds exactly these messages, in transcript notation."""

    lines: tuple[str, ...]

    def __str__(self) -> str:
        return f"thread state holds these {len(self.lines)} messages"


@dataclass(frozen=True)
class RunStatus:
    """``GET`` of ``run`` answers 200 with this status."""

    run: str
    status: str

    def __str__(self) -> str:
        return f"{self.run} has status {self.status}"


@dataclass(frozen=True)
class RunField:
    """``GET`` of ``run`` answers 200 with ``field`` equal to ``value``."""

    run: str
    field: str
    value: str

    def __str__(self) -> str:
        return f"{self.run} reports {self.field}={self.value}"


@dataclass(frozen=True)
class RunSettled:
    """``run`` is no longer pending or running: any other status, or 404."""

    run: str

    def __str__(self) -> str:
        return f"{self.run} is no longer pending or running"


@dataclass(frozen=True)
class RunGone:
    """``GET`` of ``run`` answers 404."""

    run: str

    def __str__(self) -> str:
        return f"GET {self.run} answers 404"


@dataclass(frozen=True)
class RunsListed:
    """The thread's runs list holds exactly these runs (any order)."""

    runs: tuple[str, ...]

    def __str__(self) -> str:
        return f"the thread's runs list holds exactly: {', '.join(self.runs) or 'nothing'}"


@dataclass(frozen=True)
class ThreadStatus:
    """``GET`` of the thread answers this status."""

    status: str

    def __str__(self) -> str:
        return f"thread status is {self.status}"


@dataclass(frozen=True)
class HistoryNames:
    """Whether any checkpoint in the thread's history names ``run`` in its metadata.

    ``witness``: a run whose checkpoints the history must name for the check to see anything (a
    history that is empty, or names no run at all, cannot show that ``run``'s are gone).
    """

    run: str
    present: bool
    witness: str = ""

    def __str__(self) -> str:
        return f"thread history {'names' if self.present else 'names no checkpoint of'} {self.run}"


@dataclass(frozen=True)
class HistoryLimit:
    """``POST /threads/{t}/history`` with this ``limit`` answers 200 with a list."""

    limit: int

    def __str__(self) -> str:
        return f"the thread history is read with limit={self.limit}"


@dataclass(frozen=True)
class Answered:
    """The request labelled ``label`` answered one of ``statuses``."""

    label: str
    statuses: tuple[int, ...]

    def __str__(self) -> str:
        return f"{self.label} answered {_codes(self.statuses)}"


@dataclass(frozen=True)
class AnsweredError:
    """The request labelled ``label`` answered 200 but its body reports an error (``__error__`` or an error event)."""

    label: str

    def __str__(self) -> str:
        return f"{self.label} answered 200 with an error in its body"


@dataclass(frozen=True)
class Raised:
    """The SDK call labelled ``label`` raised an HTTP error carrying one of ``statuses`` (none: any error, as a
    protocol error that carries no HTTP status)."""

    label: str
    statuses: tuple[int, ...] = ()

    def __str__(self) -> str:
        return f"{self.label} raised an HTTP error with {_codes(self.statuses)}" if self.statuses else \
            f"{self.label} raised an error"  # fmt: skip


@dataclass(frozen=True)
class ReturnedRun:
    """The SDK call labelled ``label`` returned a run with this status."""

    label: str
    status: str

    def __str__(self) -> str:
        return f"{self.label} returned a run with status {self.status}"


@dataclass(frozen=True)
class ReturnedMessages:
    """The SDK call labelled ``label`` returned a thread state holding exactly these messages."""

    label: str
    lines: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.label} returned a state holding these {len(self.lines)} messages"


@dataclass(frozen=True)
class NotBegun:
    """No node of ``run`` has begun: the graph recorded no entry of it (without records: its question is not in
    the thread's state)."""

    run: str

    def __str__(self) -> str:
        return f"no node of {self.run} has begun"


@dataclass(frozen=True)
class PendingBeforeDue:
    """``run``, created with ``after_seconds``, is still pending and has begun no node, read before that many seconds
    have passed since it was sent (a read later than that shows nothing either way)."""

    run: str

    def __str__(self) -> str:
        return f"{self.run} is still pending, no node of it begun, before its after_seconds passed"


@dataclass(frozen=True)
class WaitsOnHuman:
    """The thread's state holds an interrupt that waits on a human."""

    def __str__(self) -> str:
        return "the thread's state holds an interrupt waiting on a human"


@dataclass(frozen=True)
class OneRunExecuting:
    """One reply of the thread's runs list shows at most one of its runs ``running`` (a reply that shows fewer than two
    in flight shows nothing either way)."""

    def __str__(self) -> str:
        return "the thread's runs list shows at most one run running"


@dataclass(frozen=True)
class NoServerError:
    """The request labelled ``label`` was answered, and not with a 5xx."""

    label: str

    def __str__(self) -> str:
        return f"{self.label} answered no 5xx"


@dataclass(frozen=True)
class ListedNone:
    """The request labelled ``label`` answered 200 with a list that holds none of the scenario's runs."""

    label: str

    def __str__(self) -> str:
        return f"{self.label} answered 200 with a list holding none of this thread's runs"


@dataclass(frozen=True)
class StayedStopped:
    """``run``, once stopped, executed nothing more: the place it was held in ended without completing (a graph
    being built may complete), and no node of it began after the stop (``WatchStop`` watched it)."""

    run: str

    def __str__(self) -> str:
        return f"{self.run} executed no node after it was stopped"


@dataclass(frozen=True)
class Refused:
    """The request labelled ``label`` was refused: a 4xx; through ``run.start`` also HTTP 200 with an answer of type
    ``error`` (the protocol's way)."""

    label: str

    def __str__(self) -> str:
        return f"{self.label} was refused (a 4xx, or an error answer to its command)"


@dataclass(frozen=True)
class CommandAnswered:
    """The command labelled ``label`` was answered HTTP 200 with the protocol's envelope: ``type`` ``success`` or
    ``error``, and the command's ``id`` echoed; ``answer``: an answer of this kind (``success``, or an error with this
    code), whatever id it echoes (the envelope's own check judges that)."""

    label: str
    answer: str = ""

    def __str__(self) -> str:
        if not self.answer:
            return f"{self.label} answered 200 with the protocol's envelope (success or error, its id echoed)"
        what = "success" if self.answer == "success" else f"an error {self.answer}"
        return f"{self.label} answered 200 with {what}"


@dataclass(frozen=True)
class RefusalTyped:
    """The command labelled ``label``, refused, names a code of the protocol's typed set other than the catch-all
    ``unknown_error``."""

    label: str

    def __str__(self) -> str:
        return f"{self.label}'s refusal names a typed error code other than unknown_error"


@dataclass(frozen=True)
class AppliedWhileBusy:
    """The double-text labelled ``label`` met ``run`` in flight: it is not so that ``run`` ended in success and the
    double-text's run was created after that end (by the server's own ``updated_at`` and ``created_at``).

    A server may apply a request at any moment between its send and its answer: a strategy applied once ``run``
    had ended met an idle thread, and shows nothing of what it does to a run in flight."""

    label: str
    run: str

    def __str__(self) -> str:
        return f"{self.label} was applied while {self.run} was in flight"


@dataclass(frozen=True)
class AnsweredInFlight:
    """The double-text labelled ``label``, sent while ``run`` was running, was answered before ``run`` ended: a read
    of ``run`` right after the answer shows it in flight or stopped; it fails where the double-text was applied after
    ``run`` ended by itself (``AppliedWhileBusy`` does not hold)."""

    label: str
    run: str

    def __str__(self) -> str:
        return f"{self.label} was answered while {self.run} was still in flight"


RUN_ENDS: tuple[str, ...] = ("completed", "failed", "interrupted")
"""The root lifecycle events of the thread's event stream that end a run."""


@dataclass(frozen=True)
class Lifecycle:
    """The thread's event stream, read live since ``Subscribe``, shows these root lifecycle events in this order (each
    item: the events accepted there), and no more."""

    expected: tuple[tuple[str, ...], ...]
    label: str = "events"

    def __str__(self) -> str:
        return f"the thread's event stream shows root lifecycle {' > '.join('|'.join(e) for e in self.expected)}"


@dataclass(frozen=True)
class Replayed:
    """A new connection to the thread's event stream delivers what the live one (``Subscribe``) did, frame for frame
    with the same seq, method, namespace and data (not the timestamp: when it was delivered); ``since``: asked for
    what came after the live stream's first frame, it delivers exactly the frames after that one."""

    since: bool = False
    after: int = 0
    """How many root lifecycle events the live stream shows before it is compared (two per run: waited for, bounded,
    or until it shows each run begun and the last one ended, where a server sends no end for a run it deleted)."""
    label: str = "events"

    def __str__(self) -> str:
        if self.since:
            return "a new connection with since=<first seq> delivers exactly the later frames"
        return "a new connection replays the thread's events with the same seq"


@dataclass(frozen=True)
class OneOf:
    """Any one of ``options`` (declared up front); the result names the one the server showed."""

    options: tuple[Check, ...]

    def __str__(self) -> str:
        return " | ".join(str(o) for o in self.options)


Check: TypeAlias = (
    ThreadMessages | RunStatus | RunField | RunSettled | RunGone | RunsListed | ThreadStatus | HistoryNames
    | HistoryLimit | Answered | AnsweredError | NotBegun | PendingBeforeDue | WaitsOnHuman | OneRunExecuting | NoServerError
    | ListedNone | StayedStopped | Raised | ReturnedRun | ReturnedMessages | Refused | CommandAnswered | RefusalTyped
    | AppliedWhileBusy | AnsweredInFlight | Lifecycle | Replayed | OneOf
)


@dataclass(frozen=True)
class SdkNote:
    """Where the SDK call ``label`` returned a state whose messages differ from what ``final`` (a later
    ``threads.get_state``) returned, the report says so with ``says``: what the SDK itself does, on every server,
    never a verdict on the server."""

    label: str
    final: str
    says: str

    def __str__(self) -> str:
        return f"{self.label} returned the state {self.final} returned (else a note: {self.says})"


@dataclass(frozen=True)
class Expect:
    """``check`` must hold, as evidence for requirement ``requirement``.

    ``given`` is the situation the requirement is about, where a step under test must bring it
    about (a run that a double-text interrupted): where it does not hold, the check is not
    reached, naming what was seen; that step's own requirement judges the step.
    """

    requirement: str
    check: Check
    given: Check | None = None


# --- steps -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Start:
    """Start run ``run`` on the scenario's thread with the human message ``ask``."""

    run: str
    ask: str
    strategy: Strategy | None = None
    endpoint: Endpoint = "create"
    hold_at: HoldAt | None = None
    ask_human_at: Node | None = None
    fail_at: Node | None = None
    after_seconds: int | None = None
    if_not_exists: Literal["create", "reject"] | None = None
    hold_for: float | None = None
    """The run ends by itself this many seconds (times ``--time-scale``) after the next run's creation was sent,
    whatever the server answers it, as a model call would: the suite lets its hold at ``hold_at`` go then. Without a
    server store the fixture holds it twice as long from its hold, the double-text following after a read of the
    thread and a send."""

    @property
    def label(self) -> str:
        """A run's creation is recorded under the run's name."""
        return self.run

    def __str__(self) -> str:
        key = "multitaskStrategy" if self.endpoint in PROTOCOL_ENDPOINTS else "multitask_strategy"
        how = f"{key}={self.strategy}" if self.strategy else f"no {key}"
        extras = [f"{k}={v}" for k in ("hold_at", "hold_for", "ask_human_at", "fail_at", "after_seconds", "if_not_exists")
                  if (v := getattr(self, k)) is not None]  # fmt: skip
        via = {"command": "run.start (POST /commands)", "socket": "run.start (WebSocket)"}.get(self.endpoint, self.endpoint)
        return f"start {self.run} via {via}: {self.ask!r} ({', '.join([how, *extras])})"


@dataclass(frozen=True)
class StartStateless:
    """A stateless run (``POST /runs/wait``, a thread of its own), labelled ``label``."""

    label: str
    ask: str
    strategy: Strategy | None = None

    def __str__(self) -> str:
        return f"stateless run {self.label}: {self.ask!r}"


@dataclass(frozen=True)
class Given:
    """A premise of the situation, proven by reads that complete before the behaviour under test is sent.

    Where it does not hold, every requirement of the scenario is not reached, naming what was seen:
    the scenario never got to the situation its checks are about. ``requirement``: the premise
    rests on a feature the API promises (``after_seconds`` delays a run), and is that requirement's
    evidence too, passed or failed.
    """

    check: Check
    requirement: str = ""
    otherwise: str = ""
    """What it means where it does not hold, in a few words for the reader."""

    def __str__(self) -> str:
        return f"given {self.check}"


@dataclass(frozen=True)
class AwaitControl:
    """Start a plain run on a thread of its own and wait until it finished: a worker took a run created after every
    run before it, so one of those still pending is held back by more than the queue."""

    def __str__(self) -> str:
        return "a plain control run on a thread of its own, created now, finishes"


@dataclass(frozen=True)
class AwaitHeld:
    """Wait until ``run`` has reached its hold (the graph wrote its ``arrived`` store item)."""

    run: str

    def __str__(self) -> str:
        return f"wait until {self.run} is held"


@dataclass(frozen=True)
class AwaitSettled:
    """Wait until the thread's runs list shows none of its runs pending or running, bounded by ``--wait-timeout``
    (then the checks read what the thread shows, said on the timeline): a run the server accepted against the
    strategy has ended, and what it wrote is in what they read."""

    def __str__(self) -> str:
        return "wait until the thread's runs list shows no run pending or running"


@dataclass(frozen=True)
class Release:
    """Let ``run`` go on past its hold."""

    run: str

    def __str__(self) -> str:
        return f"release {self.run}"


@dataclass(frozen=True)
class WatchStop:
    """Watch ``run``, which the step before stopped while the suite held it: the suite keeps holding it and waits,
    within ``--wait-timeout``, for the graph's record that its hold ended; where none comes, it lets the hold go
    and waits for that record then. ``release``: let the hold go at once (a graph being built ends by itself).
    What the records show is judged by ``StayedStopped``."""

    run: str
    release: bool = False

    def __str__(self) -> str:
        return f"watch {self.run} stop{' once its hold is let go' if self.release else ''}"


@dataclass(frozen=True)
class WaitingJoin:
    """Join ``run`` (``stream``: its join stream) and leave the request waiting, labelled ``waiting_join:RUN``
    (``waiting_join_stream:RUN``); its answer is awaited where a check reads it.

    The premise that it waits: its request was sent whole (a stream: answered with its headers), and a
    read of the run answered after that, before the next step is sent.
    """

    run: str
    stream: bool = False

    @property
    def label(self) -> str:
        return f"waiting_join{'_stream' if self.stream else ''}:{self.run}"

    def __str__(self) -> str:
        return f"join {'the stream of ' if self.stream else ''}{self.run}, and leave the join waiting"


@dataclass(frozen=True)
class OtherThread:
    """Create a second thread of the suite's: the other thread, through which ``ViaOtherThread`` asks."""

    def __str__(self) -> str:
        return "create another thread"


@dataclass(frozen=True)
class ViaOtherThread:
    """Ask about ``run`` through the other thread's id (``get``, ``join``, ``cancel``), or list the other thread's
    runs (``list``); labelled ``other:ACTION[:RUN]``."""

    action: OtherAction
    run: str = ""

    @property
    def label(self) -> str:
        return f"other:{self.action}:{self.run}" if self.run else f"other:{self.action}"

    def __str__(self) -> str:
        what = {"get": "GET", "join": "join", "cancel": "cancel", "list": "list the runs of"}[self.action]
        return f"{what} {self.run + ' through ' if self.run else ''}the other thread"


@dataclass(frozen=True)
class DeleteThread:
    """``DELETE`` the scenario's thread (labelled ``delete_thread``), whatever runs on it."""

    label = "delete_thread"

    def __str__(self) -> str:
        return "delete the thread"


@dataclass(frozen=True)
class Join:
    """``GET .../join`` (labelled ``join:RUN``), then wait until ``run`` is no longer pending or running."""

    run: str

    @property
    def label(self) -> str:
        return f"join:{self.run}"

    def __str__(self) -> str:
        return f"join {self.run}"


@dataclass(frozen=True)
class JoinStream:
    """``GET .../runs/RUN/stream`` read to its end (labelled ``join_stream:RUN``)."""

    run: str

    @property
    def label(self) -> str:
        return f"join_stream:{self.run}"

    def __str__(self) -> str:
        return f"join the stream of {self.run}"


@dataclass(frozen=True)
class Cancel:
    """``POST .../runs/RUN/cancel`` (labelled ``cancel:RUN``); unless a refusal is expected, a non-2xx stops the script."""

    run: str
    action: CancelAction = "interrupt"
    wait: bool = False
    refusal_expected: bool = False

    @property
    def label(self) -> str:
        return f"cancel:{self.run}"

    def __str__(self) -> str:
        return f"cancel {self.run} (action={self.action}, wait={int(self.wait)})"


@dataclass(frozen=True)
class CancelMany:
    """``POST /runs/cancel`` naming ``runs`` by id (labelled ``cancel_many``); a non-2xx stops the script."""

    runs: tuple[str, ...]
    action: CancelAction = "interrupt"

    label = "cancel_many"

    def __str__(self) -> str:
        return f"cancel {', '.join(self.runs)} in one request (action={self.action})"


@dataclass(frozen=True)
class CancelByStatus:
    """``POST /runs/cancel`` of every run in ``status`` on the whole server (labelled ``cancel_many``).

    It reaches beyond the scenario's thread, so a scenario with this step runs alone, and only
    on a server given to the suite alone (see ``Scenario.server_wide``); a non-2xx stops the script.
    """

    status: Literal["pending", "running"]
    action: CancelAction = "interrupt"

    label = "cancel_many"

    def __str__(self) -> str:
        return f"cancel every {self.status} run on the server (action={self.action})"


@dataclass(frozen=True)
class UpdateState:
    """``POST /threads/{t}/state`` adding the human message ``ask`` (labelled ``label``)."""

    label: str
    ask: str

    def __str__(self) -> str:
        return f"update the thread state with {self.ask!r}"


@dataclass(frozen=True)
class SdkCall:
    """One method of an official client library, called as a reader of the how-to calls it.

    ``runs.create`` (or ``run.start``, through the SDK's thread stream) starts run ``run`` with ``ask`` and
    ``strategy`` on the scenario's thread;
    ``runs.get`` and ``runs.join`` name ``run``; ``threads.get_state`` names none. What the method
    returned, or the HTTP error it raised, is recorded under ``METHOD:RUN`` (``threads.get_state``).
    """

    sdk: Sdk
    method: SdkMethod
    run: str = ""
    ask: str = ""
    strategy: Strategy | None = None

    @property
    def label(self) -> str:
        return f"{self.method}:{self.run}" if self.run else self.method

    def __str__(self) -> str:
        how = f", multitask_strategy={self.strategy}" if self.strategy else ""
        what = f"{self.run}: {self.ask!r}{how}" if self.method in STARTS else self.run or "the thread"
        return f"{self.sdk} SDK {self.method}({what})"


@dataclass(frozen=True)
class Command:
    """``POST /threads/{t}/commands`` with one command of the thread-centric protocol (labelled ``label``): ``method``
    with no params."""

    label: str
    method: str

    def __str__(self) -> str:
        return f"send the command {self.method!r}"


@dataclass(frozen=True)
class Subscribe:
    """Open the thread's event stream (``POST /threads/{t}/stream/events``, channel ``lifecycle``) and keep reading it
    in the background, labelled ``label``: what it shows is judged by ``Lifecycle`` and ``Replayed``."""

    label: str = "events"

    def __str__(self) -> str:
        return "subscribe to the thread's event stream (lifecycle)"


@dataclass(frozen=True)
class CheckNow:
    """Evaluate ``expect`` at this point of the script rather than at its end."""

    expect: Expect

    def __str__(self) -> str:
        return f"check now: {self.expect.check}"


Request: TypeAlias = (
    Start | StartStateless | Join | JoinStream | WaitingJoin | Cancel | CancelMany | CancelByStatus | UpdateState
    | SdkCall | ViaOtherThread | DeleteThread | Command | Subscribe
)
"""The steps that make a request, recorded under the step's ``label``."""
Step: TypeAlias = Request | Given | AwaitControl | AwaitHeld | AwaitSettled | Release | WatchStop | OtherThread | CheckNow


@dataclass(frozen=True)
class Scenario:
    """An ordered script on one fresh thread: ``setup`` brings the thread to its situation, ``steps`` are the
    behaviour under test (the double-text itself always is), and ``expect`` what must hold afterwards.

    A set-up step the target refuses, or a wait in it that runs out, leaves the requirements not
    reached (with that step named), never failed: the scenario never got to what they are about.
    """

    id: str
    title: str
    steps: tuple[Step, ...]
    expect: tuple[Expect, ...]
    create_thread: bool = True
    lane: Lane = "contract"
    setup: tuple[Step, ...] = ()
    control: str = ""
    """A scenario that makes the same request as this one's double-text on an idle thread: where both answer a
    5xx, the endpoint fails whatever the strategy (``conformance.session.endpoints``)."""
    notes: tuple[SdkNote, ...] = ()
    """What the report says about an SDK's own behaviour, where the script shows it."""

    @property
    def script(self) -> tuple[Step, ...]:
        """Every step in order: the set-up, then the behaviour under test."""
        return (*self.setup, *self.steps)

    @property
    def expectations(self) -> tuple[Expect, ...]:
        """Every ``Expect`` of the scenario: its premises' requirements, those checked along the script, then those
        at its end."""
        premises = (Expect(s.requirement, s.check) for s in self.script if isinstance(s, Given) and s.requirement)
        return (*premises, *(s.expect for s in self.script if isinstance(s, CheckNow)), *self.expect)

    @property
    def labels(self) -> set[str]:
        """The labels the script's requests are recorded under (what ``Answered`` checks may name)."""
        return {step.label for step in self.script if isinstance(step, Request)}

    @property
    def server_wide(self) -> bool:
        """Whether a step acts on runs of other threads: then the scenario runs alone, on a dedicated target."""
        return any(isinstance(step, CancelByStatus) for step in self.script)

    @property
    def sdks(self) -> set[Sdk]:
        """The client libraries the script calls."""
        return {step.sdk for step in self.script if isinstance(step, SdkCall)}

    @property
    def holds(self) -> bool:
        """Whether the script waits for a run to show it is held in a node."""
        return any(isinstance(step, AwaitHeld) for step in self.script)

    @property
    def reads_records(self) -> bool:
        """Whether a check or a step reads the graph's enter and exit records (only then do its runs write them)."""
        checks = [e.check for e in self.expectations] + [s.check for s in self.script if isinstance(s, Given)]
        checks += [o for c in checks if isinstance(c, OneOf) for o in c.options]
        return any(isinstance(c, NotBegun | PendingBeforeDue | StayedStopped) for c in checks) or \
            any(isinstance(s, WatchStop) for s in self.script)  # fmt: skip

    @property
    def may_wait_long(self) -> bool:
        """Whether a step may wait a whole ``--wait-timeout`` on a server that breaks nothing but the requirement it
        is about (a stopped run that does not stop): such scenarios start first, so that the wait overlaps the rest."""
        return any(isinstance(step, WatchStop) and not step.release for step in self.script)

    @property
    def answers_watched(self) -> set[str]:
        """The requests whose answer is judged against the runs in flight when it came (``AnsweredInFlight``): right
        after each is answered, those runs are read."""
        return {e.check.label for e in self.expectations if isinstance(e.check, AnsweredInFlight)}

    @property
    def commands(self) -> bool:
        """Whether the script speaks the thread-centric protocol (``POST /threads/{id}/commands``)."""
        return any(isinstance(s, Command | Subscribe) or (isinstance(s, Start) and s.endpoint in PROTOCOL_ENDPOINTS)
                   for s in self.script)  # fmt: skip

    @property
    def sockets(self) -> bool:
        """Whether the script sends a command over a WebSocket."""
        return any(isinstance(s, Start) and s.endpoint == "socket" for s in self.script)

    @property
    def starts_held(self) -> bool:
        """Whether a run is held at ``start``, while its graph is being built (the fixture's slow-start graph)."""
        return any(isinstance(step, Start) and step.hold_at == "start" for step in self.script)

    @property
    def executing(self) -> int:
        """Runs the target must be able to execute at once for the script to show what it checks.

        One per thread it runs on (its own, and each stateless run's), and one more where a check
        says a run waits while another of its thread runs: a target that runs one run at a time
        would show that wait whatever its rules are, so the check would see nothing. One more where a
        stopped run keeps its worker until the double-text's run has ended (held while it starts,
        ``WatchStop(release=True)``): the double-text's run must execute beside it.
        """
        stateless = sum(isinstance(step, StartStateless) for step in self.script)
        waits = any(isinstance(step, CheckNow) and isinstance(step.expect.check, RunStatus)
                    and step.expect.check.status == "pending" for step in self.script)  # fmt: skip
        keeps = any(isinstance(step, WatchStop) and step.release for step in self.script)
        return 1 + stateless + int(waits) + int(keeps)

    @property
    def requirement_ids(self) -> tuple[str, ...]:
        """The requirements this scenario checks, in order of first mention."""
        return tuple(dict.fromkeys(e.requirement for e in self.expectations))
