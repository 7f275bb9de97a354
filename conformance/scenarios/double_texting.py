"""The double-texting matrix: where the thread stands x the second run's strategy x how it is created.

A ``Situation`` brings the thread to a point (a run starting, held in a node, pending, waiting on a
human, finished, or executing a timed wait it ends by itself) and proves it: its set-up ends with the premises the double-text relies on, read
before it is sent (a refusal or a premise that does not hold leaves the requirements not reached,
with the cause). It says what its runs leave in the thread when they are interrupted or when they
finish, and how a run the double-text stops is watched. A strategy's rule, written once below,
says what the contract expects of each situation. Every combination is one scenario.

The double-text is sent through each classic route and through ``run.start`` (``command``: the thread-centric
protocol, where it gets the same semantics), and the first run of one situation is started through ``run.start``
too. A server may apply a request at any moment between its send and its answer: where the first run can end by
itself (the timed situation), a strategy is judged only where it was applied while that run was in flight, and
whether the server waited for the run to end is judged by the promptness requirements, with the times.
"""

from __future__ import annotations

from dataclasses import dataclass

from conformance.scenarios._model import (
    CLIENT_ERROR,
    PROTOCOL_ENDPOINTS,
    RUN_ENDS,
    Answered,
    AnsweredInFlight,
    AppliedWhileBusy,
    AwaitControl,
    AwaitHeld,
    AwaitSettled,
    Check,
    CheckNow,
    CommandAnswered,
    Endpoint,
    Expect,
    Given,
    HistoryNames,
    Join,
    Lifecycle,
    NoServerError,
    NotBegun,
    OneOf,
    OneRunExecuting,
    PendingBeforeDue,
    RefusalTyped,
    Refused,
    Release,
    Replayed,
    RunGone,
    RunSettled,
    RunsListed,
    RunStatus,
    Scenario,
    Start,
    StayedStopped,
    Step,
    Strategy,
    Subscribe,
    ThreadMessages,
    WaitsOnHuman,
    WatchStop,
)  # fmt: skip
from conformance.scenarios.questions import ASK
from conformance.scenarios.transcripts import asked, conversation, until_tool_call

__all__ = ["DOUBLE_TEXTING", "SITUATIONS", "stopped"]

AFTER_SECONDS = 10  # long enough that a control run finishes well before it, on a busy machine too
TIMED_SECONDS = 2.0
"""How long the timed situation's first run goes on after the double-text was sent (times ``--time-scale``), then
ends by itself, as a model call does: long enough that a double-text applied at once lands well inside it, on a busy
machine too, and short enough that a server that waits 5 s for the run in flight (the reference's run.start) meets
its end, its last steps slowed by a busy machine too."""
ENDPOINTS: tuple[Endpoint, ...] = ("create", "stream", "wait", "command")
"""How the double-text is sent in every situation; ``socket`` (a WebSocket) in the held-in-agent one alone."""
STRATEGIES: tuple[Strategy | None, ...] = ("rollback", "interrupt", "enqueue", "reject", None)


@dataclass(frozen=True)
class Situation:
    """Where the thread stands when the second run arrives."""

    id: str
    setup: tuple[Step, ...]
    in_flight: tuple[str, ...] = ()
    before: tuple[str, ...] = ()
    partial: tuple[str, ...] = ()
    partial_or: tuple[str, ...] | None = None
    """Where the docs allow either: what an interrupted run may leave instead of ``partial``."""
    complete: tuple[str, ...] = ()
    finish: tuple[Step, ...] = ()
    pending: tuple[str, ...] = ()
    settled: Check = RunStatus("first", "success")
    queue_order_open: bool = False
    watch: tuple[WatchStop, ...] = ()
    """How the runs a double-text stops are watched (the held ones): right after the double-text, or with
    ``release`` once the second run finished (a graph being built ends by itself)."""
    endpoints: tuple[Endpoint, ...] = ENDPOINTS
    """How the double-text is sent."""
    ends_by_itself: bool = False
    """Whether the first run ends on its own (a timed wait, not a hold): then the strategy requirements need the
    double-text applied while it was in flight, and the promptness requirements judge when it was answered."""
    events: bool = False
    """Whether a double-text through ``run.start`` is also judged on the thread's event stream, read from before
    the first run starts."""

    @property
    def started(self) -> tuple[str, ...]:
        """Every run the setup starts."""
        return tuple(s.run for s in self.setup if isinstance(s, Start))


SF = ASK["first"]
DELAYED = "first was not held back by its after_seconds"
SITUATIONS: tuple[Situation, ...] = (
    Situation(
        "first-starting",
        setup=(Start("first", SF, hold_at="start"), AwaitHeld("first"), Given(NotBegun("first"))),
        # The docs do not say whether a run interrupted before its first node keeps its question: either.
        in_flight=("first",), partial=(), partial_or=asked(SF), complete=conversation(SF),
        finish=(Release("first"),), watch=(WatchStop("first", release=True),),
    ),
    Situation(
        "first-held-in-agent",
        setup=(Start("first", SF, hold_at="agent"), AwaitHeld("first")),
        in_flight=("first",), partial=asked(SF), complete=conversation(SF), finish=(Release("first"),),
        watch=(WatchStop("first"),), events=True, endpoints=(*ENDPOINTS, "socket"),
    ),
    Situation(
        "first-held-in-agent-via-command",
        setup=(Start("first", SF, hold_at="agent", endpoint="command"), AwaitHeld("first")),
        in_flight=("first",), partial=asked(SF), complete=conversation(SF), finish=(Release("first"),),
        watch=(WatchStop("first"),), endpoints=("create", "command"), events=True,
    ),
    Situation(
        "first-running-timed",
        setup=(Start("first", SF, hold_at="agent", hold_for=TIMED_SECONDS), AwaitHeld("first"),
               Given(RunStatus("first", "running"))),
        in_flight=("first",), partial=asked(SF), complete=conversation(SF), endpoints=("create", "command"),
        ends_by_itself=True,
    ),
    Situation(
        "first-running-timed-via-command",
        setup=(Start("first", SF, hold_at="agent", hold_for=TIMED_SECONDS, endpoint="command"), AwaitHeld("first"),
               Given(RunStatus("first", "running"))),
        in_flight=("first",), partial=asked(SF), complete=conversation(SF), endpoints=("create", "command"),
        ends_by_itself=True,
    ),
    Situation(
        "first-held-in-tools",
        setup=(Start("first", SF, hold_at="tools"), AwaitHeld("first")),
        in_flight=("first",), partial=until_tool_call(SF), complete=conversation(SF), finish=(Release("first"),),
        watch=(WatchStop("first"),),
    ),
    Situation(
        "first-pending-behind-another",
        setup=(Start("ahead", ASK["ahead"], hold_at="agent"), AwaitHeld("ahead"),
               Start("first", SF, strategy="enqueue"), Given(RunStatus("first", "pending")),
               Given(NotBegun("first"), "THREAD-ONE-RUN-AT-A-TIME", "first began while ahead was held")),
        in_flight=("ahead", "first"), pending=("first",), partial=asked(ASK["ahead"]),
        complete=(*conversation(ASK["ahead"]), *conversation(SF)), finish=(Release("ahead"),),
        watch=(WatchStop("ahead"),),
    ),
    Situation(
        "first-pending-after-seconds",
        # pending for its delay, not only for a worker: a plain run created after it has already finished
        setup=(Start("first", SF, after_seconds=AFTER_SECONDS), AwaitControl(),
               Given(PendingBeforeDue("first"), "RUN-AFTER-SECONDS-DELAYS", DELAYED)),
        in_flight=("first",), pending=("first",), partial=(), complete=conversation(SF),
        queue_order_open=True,  # the docs do not say whether a run enqueued now waits for one due later
        # run.start may wait up to 5 s for the thread to settle (the reference's does): on a busy machine that meets
        # the first run's due time, and the situation would hold or not by load
        endpoints=ENDPOINTS[:3],
    ),
    Situation(
        "first-waiting-on-human",
        setup=(Start("first", SF, ask_human_at="agent"), Join("first"), Given(WaitsOnHuman())),
        before=asked(SF),
        # The docs do not say how a run that stopped at interrupt() ends: the reference says success.
        settled=OneOf((RunStatus("first", "success"), RunStatus("first", "interrupted"))),
        endpoints=ENDPOINTS[:3],  # run.start's input on a thread waiting on a human is the answer to it, not a turn
    ),
    Situation(
        "first-finished",
        setup=(Start("first", SF), Join("first"), Given(RunSettled("first"))),
        before=conversation(SF),
    ),
)  # fmt: skip


def stopped(run: str) -> Check:
    """``run`` was stopped: deleted, or ended otherwise than in success (a run that ended in success was not)."""
    return OneOf((RunGone(run), RunStatus(run, "interrupted"), RunStatus(run, "error")))


def _second(strategy: Strategy | None, endpoint: Endpoint) -> Start:
    return Start("second", ASK["second"], strategy=strategy, endpoint=endpoint)


def _stopping(s: Situation, endpoint: Endpoint, strategy: Strategy) -> tuple[tuple[Step, ...], tuple[Expect, ...]]:
    """The double-text that stops the runs in flight, the second run's end, and each held run watched as it stops
    (judged where the double-text did stop it: whatever the strategy's requirements say of how)."""
    steps = (_second(strategy, endpoint), *(w for w in s.watch if not w.release), Join("second"),
             *(w for w in s.watch if w.release))  # fmt: skip
    watched = tuple(Expect("DT-STOPPED-RUN-STOPS", StayedStopped(w.run), given=stopped(w.run)) for w in s.watch)
    return steps, watched


def _rollback(s: Situation, endpoint: Endpoint) -> tuple[tuple[Step, ...], tuple[Expect, ...]]:
    kept = tuple(r for r in s.started if r not in s.in_flight)
    steps, watched = _stopping(s, endpoint, "rollback")
    expect = (
        *(Expect("DT-ROLLBACK-FIRST-404", RunGone(r)) for r in s.in_flight),
        Expect("DT-ROLLBACK-FIRST-UNLISTED", RunsListed((*kept, "second"))),
        Expect("DT-ROLLBACK-STATE-SECOND-ONLY", ThreadMessages((*s.before, *conversation(ASK["second"])))),
        *(Expect("DT-ROLLBACK-HISTORY-CLEAN", HistoryNames(r, present=False, witness="second")) for r in s.in_flight),
        Expect("DT-ROLLBACK-SECOND-SUCCEEDS", RunStatus("second", "success")),
        *watched,
    )
    return steps, expect


def _interrupt(s: Situation, endpoint: Endpoint) -> tuple[tuple[Step, ...], tuple[Expect, ...]]:
    steps, watched = _stopping(s, endpoint, "interrupt")
    second = conversation(ASK["second"])
    state: Check = ThreadMessages((*s.before, *s.partial, *second))
    if s.partial_or is not None:
        state = OneOf((state, ThreadMessages((*s.before, *s.partial_or, *second))))
    expect = (
        *(Expect("DT-INTERRUPT-FIRST-INTERRUPTED", RunStatus(r, "interrupted")) for r in s.in_flight),
        Expect("DT-INTERRUPT-KEEPS-PARTIAL", state),
        *(Expect("DT-PENDING-INTERRUPT-NEVER-RUNS", check) for check in
          ((state, *(RunStatus(r, "interrupted") for r in s.pending)) if s.pending else ())),
        Expect("DT-INTERRUPT-SECOND-SUCCEEDS", RunStatus("second", "success")),
        *watched,
    )
    return steps, expect


def _enqueue(s: Situation, endpoint: Endpoint, strategy: Strategy | None) -> tuple[tuple[Step, ...], tuple[Expect, ...]]:
    def under(requirement: str) -> str:
        """Without a strategy every check is evidence of the default alone: explicit enqueue covers the rest."""
        return requirement if strategy else "DT-DEFAULT-IS-ENQUEUE"

    # while the first runs the second waits, and the runs list shows one running (where the docs leave the queue
    # order open, the second may already have run)
    waits = () if s.queue_order_open else (Expect("THREAD-ONE-RUN-AT-A-TIME", OneRunExecuting()),
                                           Expect(under("DT-ENQUEUE-SECOND-WAITS"), RunStatus("second", "pending")))  # fmt: skip
    steps = (
        _second(strategy, endpoint),
        *(CheckNow(e) for e in waits),
        *s.finish,
        *(Join(r) for r in (*s.in_flight, "second")),
    )
    after = ThreadMessages((*s.before, *s.complete, *conversation(ASK["second"])))
    before = ThreadMessages((*s.before, *conversation(ASK["second"]), *s.complete))
    expect = (
        *(Expect(under("DT-ENQUEUE-ALL-SUCCEED"), RunStatus(r, "success")) for r in (*s.in_flight, "second")),
        Expect(under("DT-ENQUEUE-IN-ORDER"), OneOf((after, before)) if s.queue_order_open else after),
    )
    return steps, expect


def _reject(s: Situation, endpoint: Endpoint) -> tuple[tuple[Step, ...], tuple[Expect, ...]]:
    steps = (_second("reject", endpoint), *s.finish, *(Join(r) for r in s.in_flight), AwaitSettled())
    # through run.start a refusal is an error answer, and its code is an observation (no code says "conflict")
    refusal = (Expect("DT-REJECT-REFUSED", Refused("second")),
               Expect("CMD-REFUSAL-TYPED", RefusalTyped("second"), given=Refused("second"))) \
        if endpoint in PROTOCOL_ENDPOINTS else \
        (Expect("DT-REJECT-REFUSED", Answered("second", CLIENT_ERROR)), Expect("DT-REJECT-409", Answered("second", (409,))))  # fmt: skip
    expect = (
        *refusal,
        Expect("DT-REJECT-NO-RUN", RunsListed(s.started)),
        *(Expect("DT-REJECT-FIRST-CONTINUES", RunStatus(r, "success")) for r in s.in_flight),
        Expect("DT-REJECT-FIRST-CONTINUES", ThreadMessages((*s.before, *s.complete))),
    )
    return steps, expect


def _not_in_flight(s: Situation, endpoint: Endpoint, strategy: Strategy | None) -> tuple[tuple[Step, ...], tuple[Expect, ...]]:
    req = "DT-HUMAN-WAIT-NOT-IN-FLIGHT" if s.id == "first-waiting-on-human" else "DT-NOT-IN-FLIGHT-RUNS"
    steps = (_second(strategy, endpoint), Join("second"))
    expect = (
        Expect(req, CommandAnswered("second", "success") if endpoint in PROTOCOL_ENDPOINTS else Answered("second", (200,))),
        Expect(req, RunStatus("second", "success")),
        Expect(req, ThreadMessages((*s.before, *conversation(ASK["second"])))),
        Expect(req, s.settled),
    )
    return steps, expect


def _scenario(s: Situation, strategy: Strategy | None, endpoint: Endpoint) -> Scenario:
    if not s.in_flight:
        steps, expect = _not_in_flight(s, endpoint, strategy)
    elif strategy == "rollback":
        steps, expect = _rollback(s, endpoint)
    elif strategy == "interrupt":
        steps, expect = _interrupt(s, endpoint)
    elif strategy == "reject":
        steps, expect = _reject(s, endpoint)
    else:
        steps, expect = _enqueue(s, endpoint, strategy)
    if s.ends_by_itself:
        steps, expect = _applied_in_flight(steps, expect, strategy, prompt=True)
    elif s.in_flight and endpoint in PROTOCOL_ENDPOINTS:  # run.start may answer once the first run ended: then too
        steps, expect = _applied_in_flight(steps, expect, strategy, prompt=False)
    if s.in_flight:
        expect = (*expect, Expect("RUN-CREATE-NO-SERVER-ERROR", NoServerError("second")))
    setup = s.setup
    if endpoint in PROTOCOL_ENDPOINTS:
        expect = (*expect, Expect("CMD-ANSWER-ENVELOPE", CommandAnswered("second")))
        if s.events and endpoint == "command":
            setup, expect = (Subscribe(), *setup), (*expect, *_on_the_stream(strategy))
    name = strategy or "default"
    # Where the second run's creation answers a 5xx, the same creation on an idle thread tells an endpoint that
    # fails anyway from a strategy that fails (conformance.session.endpoints).
    control = f"{name}.first-finished.{endpoint}" if s.in_flight else ""
    via = {"command": "run.start", "socket": "run.start over a WebSocket"}.get(endpoint, endpoint)
    return Scenario(f"{name}.{s.id}.{endpoint}", f"{name} double-text, {s.id.replace('-', ' ')}, second run via {via}",
                    steps, expect, setup=setup, control=control)  # fmt: skip


RUNS_ONE_AFTER_THE_OTHER = (("running",), ("completed",), ("running",), ("completed",))
ENDED_THEN_SECOND = (("running",), RUN_ENDS, ("running",), ("completed",))
"""Whatever the first run's end (its status is the strategy's requirement), it is on the stream before the second's
begin."""
STOPPED_THEN_SECOND = (("running",), ("interrupted", "failed"), ("running",), ("completed",))


def _on_the_stream(strategy: Strategy | None) -> tuple[Expect, ...]:
    """What the thread's event stream must show of the first run and the double-text's, and on a new connection."""
    applied = AppliedWhileBusy("second", "first")  # what a strategy shows on the stream, where it took effect
    shown = {
        "rollback": Expect("EVT-ROLLBACK-TERMINAL", Lifecycle(STOPPED_THEN_SECOND), RunGone("first")),
        "interrupt": Expect("EVT-RUN-LIFECYCLE", Lifecycle(ENDED_THEN_SECOND), applied),
        "reject": Expect("EVT-REJECT-SILENT", Lifecycle((("running",), ("completed",))), Refused("second")),
    }.get(strategy or "", Expect("EVT-RUN-LIFECYCLE", Lifecycle(RUNS_ONE_AFTER_THE_OTHER), applied))
    if strategy == "reject":  # judged where the thread's runs show on a new connection: after a run that executed
        return (shown,)
    assert isinstance(shown.check, Lifecycle)
    after = len(shown.check.expected)
    return shown, Expect("EVT-SEQ-STABLE", Replayed(after=after)), Expect("EVT-SINCE-RESUMES", Replayed(True, after))


def _applied_in_flight(steps: tuple[Step, ...], expect: tuple[Expect, ...], strategy: Strategy | None, *,
                       prompt: bool) -> tuple[tuple[Step, ...], tuple[Expect, ...]]:  # fmt: skip
    """Each strategy check needs the double-text applied while the first run was in flight (a server may apply it
    at any moment before its answer). ``prompt``: the first run ends by itself, so this premise is the situation's
    first (a refusal's code: refusal_typed says so itself), and whether the double-text was answered while it ran
    is the promptness requirement's; else a premise of a step (a stopped run watched) comes first."""
    applied = AppliedWhileBusy("second", "first")

    def given(e: Expect) -> Expect:
        return Expect(e.requirement, e.check, applied if prompt else e.given or applied)

    steps = tuple(CheckNow(given(s.expect)) if isinstance(s, CheckNow) else s for s in steps)
    if not prompt:
        return steps, tuple(map(given, expect))
    requirement = "DT-REJECT-PROMPT" if strategy == "reject" else "DT-STRATEGY-PROMPT"
    return steps, (*map(given, expect), Expect(requirement, AnsweredInFlight("second", "first")))


DOUBLE_TEXTING: tuple[Scenario, ...] = tuple(
    _scenario(s, strategy, endpoint) for s in SITUATIONS for strategy in STRATEGIES for endpoint in s.endpoints
)
