"""The race lane's judgement: each repetition's history against its storm's requirement, then k of R.

Every rule returns what it found wrong in one history, in words, with the runs named as the
suite named them (``first``, ``dt1`` ... ``dt6``). "Executing at once" is read from the graph's
own enter/exit records where the target has a store; otherwise from the statuses polled.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable, Sequence

from conformance.core.results import CheckResult, Event
from conformance.lanes.race.history import History, RunSeen
from conformance.lanes.race.power import Power
from conformance.scenarios._race_model import Storm
from conformance.scenarios.transcripts import asked, conversation

__all__ = ["judge_storm", "timeline"]

SUCCESS, INTERRUPTED, DELETED = "success", "interrupted", "deleted (404)"
_NO_START = "the graph saw it enter no node, and no checkpoint of the thread's history is its own"


def judge_storm(
    storm: Storm, histories: Sequence[History], planned: int | None = None, *, evidence_note: str = ""
) -> tuple[CheckResult, History | None, Power]:
    """``violated in k of R`` and what R rules out (of ``planned``, where a budget cut them), with the evidence of
    the first violating repetition (that one, to draw)."""
    rule = _RULES[storm.requirement]
    for history in histories:
        history.violations = rule(history)
    violating = [h for h in histories if h.violations]
    shown = violating[0] if violating else (histories[-1] if histories else None)
    total = len(histories)
    power = Power(total, planned or total, len(violating))
    evidence = ""
    if violating:
        first = violating[0]
        evidence = "\n".join([f"violated in {len(violating)} of {total} repetitions; repetition {first.index}:",
                              *(f"  - {v}" for v in first.violations), "  its history:", *_history_lines(first)])  # fmt: skip
    if evidence_note:
        evidence = f"{evidence}\n({evidence_note})" if evidence else ""
    said = power.statement() + (f" ({evidence_note})" if evidence_note else "")
    check = CheckResult(storm.requirement, "every repetition keeps it", "failed" if violating else "passed",
                        f"violated in 0 of {total}", f"violated in {len(violating)} of {total}", diff=evidence,
                        shown=said)  # fmt: skip
    return check, shown, power


def timeline(history: History, started: float) -> list[Event]:
    """The repetition's statuses and the graph's records as timeline events (records mapped by wall clock)."""
    begun = history.started_wall
    events = [Event(started + at, run.name, status) for run in history.runs.values() for at, status in run.statuses]
    for record in history.records or []:
        events.append(Event(started + max(0.0, record.at - begun), record.run, f"{record.event} {record.node}"))
    return sorted(events, key=lambda e: e.at)


def _history_lines(history: History) -> list[str]:
    lines = []
    for run in history.runs.values():
        seen = " -> ".join(f"{status}@+{at:.3f}s" for at, status in run.statuses) or "-"
        lines.append(f"    {run.name} ({run.ask!r}): created {run.created}, statuses seen {seen}, final {run.final}"
                     f"{', listed' if run.listed else ''}")  # fmt: skip
    if history.offsets:
        lines.append("    sent after the gate: " + ", ".join(f"{name} +{at:.3f}s" for name, at in history.offsets.items()))
    if history.answers:
        lines.append(f"    other answers: {history.answers}")
    if history.records is not None:
        begun = history.records[0].at if history.records else 0.0
        lines.append("    graph records: " + (", ".join(f"{r.run} {r.event} {r.node} +{r.at - begun:.3f}s"
                                                          for r in history.records) or "none"))  # fmt: skip
    writers = history.checkpointed
    lines.append(f"    checkpoints written by: {'(the history names no run)' if writers is None else ', '.join(writers) or 'no run the suite created'}")
    lines.append(f"    state: {list(history.state)}")
    return lines


# --- what a history shows --------------------------------------------------------------------


def _storm(history: History) -> list[RunSeen]:
    return [r for r in history.runs.values() if r.name != "first"]


def _created(run: RunSeen) -> bool:
    return run.created is not None and 200 <= run.created < 300


def _refused(run: RunSeen) -> bool:
    return run.created is not None and 400 <= run.created < 500


def _entered(history: History) -> set[str] | None:
    """The runs the graph saw executing (None: no records to tell)."""
    return None if history.records is None else {r.run for r in history.records if r.event == "enter"}


def _started(history: History) -> set[str] | None:
    """The runs that began executing: the graph saw them enter a node, or the thread's history holds a checkpoint
    of theirs (a run writes its input before its first node). None: no records, or a history that names no run,
    to tell (a run may write its input and be stopped before its first node)."""
    entered = _entered(history)
    return None if entered is None or history.checkpointed is None else entered | set(history.checkpointed)


def _spans(history: History) -> dict[str, tuple[float, float | None]]:
    """Per run, from its first entry to its last exit (None: an entry with no exit after it)."""
    spans: dict[str, tuple[float, float | None]] = {}
    if history.records is not None:
        for record in history.records:
            start = spans[record.run][0] if record.run in spans else record.at
            spans[record.run] = (start, record.at if record.event == "exit" else None)
        return spans
    for run in history.runs.values():  # weaker: the times the suite saw a run running
        for (at, status), following in itertools.zip_longest(run.statuses, run.statuses[1:]):
            if status == "running":
                spans[run.name] = (at, following[0] if following else None)
    return spans


def _at_once(history: History) -> list[str]:
    """Every pair of runs that executed at the same time, as far as exits are on record (a run with no exit on
    record shows no end: nothing is read from it)."""
    found = []
    ordered = sorted(_spans(history).items(), key=lambda item: item[1][0])
    for (a, (a_start, a_end)), (b, (b_start, _)) in itertools.combinations(ordered, 2):
        if a_end is not None and a_end > b_start:
            found.append(f"{a} and {b} executed at once: {b} entered +{b_start - a_start:.3f}s after {a}, "
                         f"which ran until +{a_end - a_start:.3f}s")  # fmt: skip
    return found


def _answers(runs: Sequence[RunSeen], want: Callable[[RunSeen], bool], what: str) -> list[str]:
    return [f"{r.name} answered {r.created if r.created is not None else 'nothing'}, not {what}"
            for r in runs if not want(r)]  # fmt: skip


def _finals(runs: Sequence[RunSeen], final: str) -> list[str]:
    return [f"{r.name} ended {r.final}, not {final}" for r in runs if r.final != final]


def _state_is(history: History, expected: Sequence[str]) -> list[str]:
    actual = list(history.state)
    if actual == list(expected):
        return []
    for number, (want, got) in enumerate(itertools.zip_longest(expected, actual), 1):
        if want != got:
            return [(f"the state holds {len(actual)} messages, not the {len(expected)} expected: message {number} "
                     f"is {got!r}, not {want!r}")]  # fmt: skip
    return []


def _listed_exactly(history: History, names: set[str]) -> list[str]:
    listed = {r.name for r in history.runs.values() if r.listed}
    return [] if listed == names else [f"the runs list holds {sorted(listed)}, not {sorted(names)}"]


def _owned_parts(history: History) -> tuple[list[tuple[RunSeen, list[str]]], list[str]]:
    """The state's parts, each with the run that asked its question; and a violation per part no run asked."""
    by_question = {f"human: {r.ask}": r for r in history.runs.values()}
    owned, unasked = [], []
    for part in _segments(history.state):
        run = by_question.get(part[0])
        if run is None:
            unasked.append(f"the state holds {part[0]!r}, which no run asked")
        else:
            owned.append((run, part))
    return owned, unasked


def _segments(lines: Sequence[str]) -> list[list[str]]:
    """The state cut into one part per question (each human message starts one)."""
    parts: list[list[str]] = []
    for line in lines:
        if line.startswith("human: ") or not parts:
            parts.append([])
        parts[-1].append(line)
    return parts


# --- the rules, one per requirement -------------------------------------------------------------


def _reject_idle(history: History) -> list[str]:
    storm = _storm(history)
    found = [f"{r.name} answered {r.created if r.created is not None else 'nothing'}, neither created nor refused"
             for r in storm if not (_created(r) or _refused(r))]  # fmt: skip
    winners = [r for r in storm if _created(r)]
    if len(winners) != 1:
        found.append(f"{len(winners)} of {len(storm)} runs were created: {[r.name for r in winners]}")
    if len(winners) == 1:
        winner = winners[0]
        found += _finals(winners, SUCCESS) + _state_is(history, conversation(winner.ask))
        found += _listed_exactly(history, {winner.name})
    entered = _entered(history)
    if entered is not None and entered - {r.name for r in winners}:
        found.append(f"refused runs executed: {sorted(entered - {r.name for r in winners})}")
    return found + _at_once(history)


def _reject_busy(history: History) -> list[str]:
    first = history.runs["first"]
    found = _answers(_storm(history), _refused, "a 4xx") + _finals([first], SUCCESS)
    found += _state_is(history, conversation(first.ask)) + _listed_exactly(history, {"first"})
    entered = _entered(history)
    if entered is not None and entered - {"first"}:
        found.append(f"refused runs executed: {sorted(entered - {'first'})}")
    return found


def _enqueue(history: History) -> list[str]:
    """Each run's whole conversation once, one after another, in ``created_at`` order. Runs created at the
    same instant (as far as the server's clock shows: JS servers keep milliseconds) may run either way."""
    runs = list(history.runs.values())
    found = _answers(_storm(history), _created, "a 2xx") + _finals(runs, SUCCESS) + _at_once(history)
    read = {r.name: _created_at(r) for r in runs}
    instants = {name: instant for name, instant in read.items() if instant is not None}
    if len(instants) < len(read):
        unreadable = sorted(set(read) - set(instants))
        return [*found, f"{unreadable} report no created_at that is a timestamp: their order cannot be read"]
    owned, unasked = _owned_parts(history)
    found += unasked
    in_state = []
    for run, part in owned:
        if part != list(conversation(run.ask)):
            found.append(f"{run.name}'s messages in the state are not its whole conversation alone: {part}")
        in_state.append(run)
    names = [r.name for r in in_state]
    found += [f"{r.name}'s conversation is not in the state" for r in runs if r.name not in names]
    found += [f"{name}'s conversation is in the state {names.count(name)} times" for name in dict.fromkeys(names)
              if names.count(name) > 1]  # fmt: skip
    for earlier, later in itertools.pairwise(in_state):
        if instants[later.name] < instants[earlier.name]:
            found.append(f"{later.name} (created {later.created_at}) ran after {earlier.name} (created "
                         f"{earlier.created_at}): not in creation order")  # fmt: skip
    return found


def _created_at(run: RunSeen) -> float | None:
    """The run's ``created_at`` in seconds (None: none, or not ISO 8601)."""
    try:
        instant = datetime.datetime.fromisoformat(str(run.created_at))
    except ValueError:
        return None
    return (instant if instant.tzinfo else instant.replace(tzinfo=datetime.UTC)).timestamp()


def _interrupt(history: History) -> list[str]:
    runs = list(history.runs.values())
    found = _answers(_storm(history), _created, "a 2xx")
    survivors = [r for r in runs if r.final == SUCCESS]
    if len(survivors) != 1:
        found.append(f"{len(survivors)} runs ended success, not exactly one: {[r.name for r in survivors]}")
    found += [f"{r.name} ended {r.final}, not interrupted" for r in runs if r.final not in (SUCCESS, INTERRUPTED)]
    found += _at_once(history)
    parts = _segments(history.state)
    started = _started(history)
    owned, unasked = _owned_parts(history)
    found += unasked
    for run, part in owned:
        if part != list(conversation(run.ask))[: len(part)]:
            found.append(f"{run.name}'s messages in the state are not its own conversation: {part}")
        elif started is not None and run.name not in started:
            found.append(f"{run.name} never started ({_NO_START}), but its input is in the state")
    if len(survivors) == 1 and (not parts or parts[-1] != list(conversation(survivors[0].ask))):
        found.append(f"the state does not end with the survivor {survivors[0].name}'s whole conversation")
    return found


def _rollback(history: History) -> list[str]:
    runs = list(history.runs.values())
    found = _answers(_storm(history), _created, "a 2xx")
    survivors = [r for r in runs if r.final == SUCCESS]
    if len(survivors) != 1:
        found.append(f"{len(survivors)} runs survived and succeeded, not exactly one: {[r.name for r in survivors]}")
    others = [r for r in runs if r not in survivors]
    found += [f"{r.name} ended {r.final}: a rolled-back run must answer 404" for r in others if r.final != DELETED]
    found += [f"{r.name} is still in the runs list" for r in others if r.listed]
    if len(survivors) == 1:
        found += _state_is(history, conversation(survivors[0].ask))
    started = _started(history)
    owned, _unasked = _owned_parts(history)  # a part no run asked: with one survivor, _state_is names it
    for run, _part in owned:
        if run in others:
            how = f" and never started ({_NO_START})" if started is not None and run.name not in started else ""
            found.append(f"{run.name} was rolled back{how}, but its input is in the state")
    return found


def _cancel_and_enqueue(history: History) -> list[str]:
    first, second = history.runs["first"], history.runs["second"]
    cancel = history.answers.get("cancel first")
    found = [] if cancel is not None and 200 <= cancel < 300 else [f"the cancel of first answered {cancel}"]
    found += _answers([second], _created, "a 2xx") + _finals([first], INTERRUPTED) + _finals([second], SUCCESS)
    # a first run cancelled before it began leaves nothing, one cancelled after keeps its question (as an interrupted
    # pending run does); where nothing tells whether it began, either
    started = _started(history)
    kept = [*asked(first.ask), *conversation(second.ask)]
    if started is None and list(history.state) == list(conversation(second.ask)):
        kept = list(conversation(second.ask))
    elif started is not None and first.name not in started:
        kept = list(conversation(second.ask))
    found += _at_once(history) + _state_is(history, kept)
    return found


_RULES: dict[str, Callable[[History], list[str]]] = {
    "RACE-REJECT-IDLE-ONE-WINNER": _reject_idle,
    "RACE-REJECT-BUSY-ALL-REFUSED": _reject_busy,
    "RACE-ENQUEUE-SERIAL": _enqueue,
    "RACE-INTERRUPT-ONE-SURVIVOR": _interrupt,
    "RACE-ROLLBACK-ONE-SURVIVOR": _rollback,
    "RACE-CANCEL-AND-DOUBLE-TEXT": _cancel_and_enqueue,
}
