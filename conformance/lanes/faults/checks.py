"""The fault lane's judgement: what the server shows after the heal, against each fault invariant.

A run whose creation's answer the fault ate is indeterminate: it counts as accepted only where
the server lists it afterwards, and is never a failure by itself.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from conformance.core.results import CheckResult

__all__ = ["FaultRecord", "RunFate", "ThreadFate", "judge"]

TERMINAL = {"success", "error", "interrupted", "timeout"}
DELETED = "deleted (404)"


@dataclass(frozen=True)
class FaultRecord:
    """One entry to or exit from a node, as the fixture graph wrote it."""

    run: str
    node: str
    event: str
    at: float
    step: int | None = None
    completed: bool | None = None


@dataclass
class RunFate:
    """One run: how its creation was answered, and what the server shows of it after the heal."""

    name: str
    ask: str
    created: int | None = None  # HTTP status of its creation (None: the fault ate the answer)
    run_id: str | None = None
    listed: bool = False  # the runs list shows it after the heal (an indeterminate creation: it was accepted)
    final: str | None = None  # its status after the heal, or "deleted (404)"
    replaced_by_rollback: bool = False

    @property
    def accepted(self) -> bool:
        return (self.created is not None and 200 <= self.created < 300) or (self.created is None and self.listed)


@dataclass
class ThreadFate:
    """One thread of the scenario: its strategy, runs, what its state and the graph's records show."""

    strategy: str
    runs: dict[str, RunFate] = field(default_factory=dict)
    state: list[str] | None = None
    status: str | None = None  # the thread's status once its runs ended
    records: list[FaultRecord] | None = None  # None: no store to read them from


def judge(threads: Sequence[ThreadFate], bound: float) -> list[CheckResult]:
    """One check per invariant, over every thread."""
    return [rule(requirement, threads, bound) for requirement, rule in _RULES.items()]


def _check(requirement: str, expectation: str, found: list[str], unseen: str = "") -> CheckResult:
    if found:
        return CheckResult(requirement, expectation, "failed", "no violation", f"{len(found)} violations",
                           diff="\n".join(f"  - {f}" for f in found))  # fmt: skip
    if unseen:
        return CheckResult(requirement, expectation, "not_reached", "no violation", unseen)
    return CheckResult(requirement, expectation, "passed", "no violation", "no violation")


def _no_run_lost(requirement: str, threads: Sequence[ThreadFate], bound: float) -> CheckResult:
    found, judged = [], 0
    for thread in threads:
        for run in thread.runs.values():
            if not run.accepted:
                continue
            judged += 1
            how = f"{thread.strategy} thread: {run.name} (created {run.created if run.created is not None else 'with no answer, listed after'})"
            if run.final == DELETED and not run.replaced_by_rollback:
                found.append(f"{how} answers 404 after the heal, and no rollback replaced it: lost")
            elif run.final != DELETED and run.final not in TERMINAL:
                found.append(f"{how} is {run.final} {bound:g} s after the heal: never ran to an end")
    return _check(requirement, "every accepted run ends, or is deleted by a rollback", found,
                  "" if judged else "no run's creation was accepted")  # fmt: skip


def _intervals(records: Sequence[FaultRecord]) -> list[tuple[str, float, float]]:
    """Each node visit that has both an entry and an exit on record (a visit a kill cut short shows no end)."""
    open_at: dict[tuple[str, str], float] = {}
    spans = []
    for record in sorted(records, key=lambda r: r.at):
        key = (record.run, record.node)
        if record.event == "enter":
            open_at[key] = record.at
        elif key in open_at:
            spans.append((record.run, open_at.pop(key), record.at))
    return spans


def _one_at_a_time(requirement: str, threads: Sequence[ThreadFate], bound: float) -> CheckResult:
    found = []
    shown = [t for t in threads if t.records]
    if not shown:
        return _check(requirement, "never two runs of a thread at once", [],
                      "no thread's records of the graph could be read after the heal (no store, or none kept)")  # fmt: skip
    for thread in shown:
        for (a, a_in, a_out), (b, b_in, b_out) in itertools.combinations(_intervals(thread.records or []), 2):
            if a != b and a_in < b_out and b_in < a_out:
                found.append(f"{thread.strategy} thread: {a} and {b} executed at once (node visits "
                             f"{a_in:.3f}-{a_out:.3f} and {b_in:.3f}-{b_out:.3f}, server time)")  # fmt: skip
    return _check(requirement, "never two runs of a thread at once", found)


def _rollback_clean(requirement: str, threads: Sequence[ThreadFate], bound: float) -> CheckResult:
    found, rolled = [], 0
    for thread in threads:
        for run in thread.runs.values():
            if run.final == DELETED and run.replaced_by_rollback and thread.state is not None:
                rolled += 1
                if f"human: {run.ask}" in thread.state:
                    found.append(f"{thread.strategy} thread: {run.name} was rolled back (404), but its input is "
                                 f"in the state: {thread.state}")  # fmt: skip
    return _check(requirement, "a rolled-back run leaves nothing in the state", found,
                  "" if rolled else "no run was rolled back where the state could be read after the heal")  # fmt: skip


def _node_once(requirement: str, threads: Sequence[ThreadFate], bound: float) -> CheckResult:
    found = []
    records = [r for t in threads for r in t.records or []]
    if not records or any(r.event == "exit" and r.completed is None for r in records):
        return _check(requirement, "no node completes twice", [], "the graph's records do not say which node "
                      "visits completed (no store, or a fixture without 'completed')")  # fmt: skip
    for thread in threads:
        done = [(r.run, r.node, r.step) for r in thread.records or [] if r.event == "exit" and r.completed]
        found += [f"{thread.strategy} thread: {run} completed {node} at step {step} {done.count((run, node, step))} "
                  f"times" for run, node, step in sorted(set(done), key=str) if done.count((run, node, step)) > 1]  # fmt: skip
    return _check(requirement, "no node completes twice", found)


def _thread_settles(requirement: str, threads: Sequence[ThreadFate], bound: float) -> CheckResult:
    ended = [t for t in threads if t.status in ("idle", "busy", "interrupted", "error")
             and all(r.final in TERMINAL | {DELETED} for r in t.runs.values() if r.accepted)]  # fmt: skip
    found = [f"{t.strategy} thread is still busy {bound:g} s after the heal, its runs ended" for t in ended
             if t.status == "busy"]  # fmt: skip
    return _check(requirement, "no thread stays busy after the heal", found,
                  "" if ended else "no thread whose runs all ended showed its status after the heal")  # fmt: skip


_RULES: dict[str, Callable[[str, Sequence[ThreadFate], float], CheckResult]] = {
    "FAULT-NO-RUN-LOST": _no_run_lost,
    "FAULT-ONE-AT-A-TIME": _one_at_a_time,
    "FAULT-ROLLBACK-CLEAN": _rollback_clean,
    "FAULT-NODE-ONCE": _node_once,
    "FAULT-THREAD-SETTLES": _thread_settles,
}
