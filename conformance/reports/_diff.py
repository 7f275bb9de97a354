"""Two reports compared, for an upgrade gate: requirement by requirement and test by test, what changed.

A requirement that passed in the old report and fails in the new one is a regression (exit 1); one that
passed and is no longer judged, or a new report whose verdict is ``error``, leaves the gate unable to say
(exit 2), as do reports that cannot be compared (another schema, another fixture). A requirement or a test
present in one report only is a change of the suite, never of the server. The race lane's requirements are
probabilistic (violated in k of R repetitions): they are shown, and never decide.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from conformance.core.outcomes import OUTCOMES, outcome_of
from conformance.reports._text import deciding, gated, server_name

__all__ = ["Diff", "diff_reports", "render_diff"]

_PROBABILISTIC = "RACE-"


@dataclass
class Diff:
    """What changed from ``old`` to ``new``, and the exit code a gate reads from it."""

    regressions: list[str] = field(default_factory=list)
    """Gated requirements that passed and now fail (with the new failure's deciding line)."""
    below: list[str] = field(default_factory=list)
    """The same, below the gate: shown, never deciding."""
    fixed: list[str] = field(default_factory=list)
    unjudged_gated: list[str] = field(default_factory=list)
    """Gated requirements that passed, not reached or skipped now (with the cause): the gate cannot say they hold."""
    unjudged: list[str] = field(default_factory=list)
    """The other requirements judged before, not reached or skipped now (with the cause)."""
    judged: list[str] = field(default_factory=list)
    probabilistic: list[str] = field(default_factory=list)
    suite: list[str] = field(default_factory=list)
    tests: list[str] = field(default_factory=list)
    incomparable: str = ""
    new_error: str = ""

    @property
    def exit_code(self) -> int:
        """1: a gated requirement regressed; 2: the gate cannot say (not comparable, the new verdict ``error``, a
        gated requirement that passed no longer judged); 0: nothing that passed fails."""
        if self.regressions:
            return 1
        return 2 if self.incomparable or self.new_error or self.unjudged_gated else 0


def _requirements(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in report["requirements"]}


def _tests(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["test_id"]: r for r in report["results"]}


def _outcome(tests: dict[str, dict[str, Any]], rid: str, shared: set[str]) -> str | None:
    """``rid``'s outcome over the tests both reports hold, as a report reads it (evidence first: failed anywhere,
    else passed, else not reached, else skipped); None where they share none of its tests."""
    seen = {outcome_of(t["outcome"]) for k, t in tests.items() if k in shared and t["requirement"] == rid}
    return next((o for o in ("failed", "passed", "not_reached", "skipped") if o in seen), None)


def _turned(old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]], rid: str, shared: set[str]) -> bool:
    """Whether a test of ``rid`` that passed in ``old`` fails in ``new`` (a failure in a test skipped or not reached
    before is judged now, no regression)."""
    return any(old[k]["requirement"] == rid and outcome_of(old[k]["outcome"]) == "passed"
               and outcome_of(new[k]["outcome"]) == "failed" for k in shared)  # fmt: skip


def _fixture(report: dict[str, Any]) -> Any:
    return (report["target"].get("fixture") or {}).get("version")


def diff_reports(old: dict[str, Any], new: dict[str, Any]) -> Diff:
    """Compare ``old`` with ``new`` (the gate of ``old`` says which requirements count)."""
    diff = Diff()
    if old.get("schema_version") != new.get("schema_version"):
        diff.incomparable = f"report schemas differ ({old.get('schema_version')} and {new.get('schema_version')})"
        return diff
    if _fixture(old) is not None and _fixture(new) is not None and _fixture(old) != _fixture(new):
        diff.incomparable = f"the targets served other fixtures (version {_fixture(old)} and {_fixture(new)})"
        return diff
    if new["summary"]["verdict"] == "error":
        diff.new_error = new.get("harness_error") or "the new report's verdict is error"
    before, after = _requirements(old), _requirements(new)
    old_tests, new_tests = _tests(old), _tests(new)
    shared = set(old_tests) & set(new_tests)  # a test in one report only is the suite's change, never the server's
    for rid in sorted(set(before) | set(after)):
        if rid not in after or rid not in before:
            where = "the new" if rid in after else "the old"
            diff.suite.append(f"{rid}: judged in {where} report only (a change of the suite's selection or catalogue)")
            continue
        was, now = _outcome(old_tests, rid, shared), _outcome(new_tests, rid, shared)
        if was is None or now is None:
            continue  # its tests are in one report only: listed below as the suite's change
        if was == now:
            continue
        mine = [k for k in shared if new_tests[k]["requirement"] == rid and outcome_of(new_tests[k]["outcome"]) == now]
        changed = [k for k in mine if outcome_of(old_tests[k]["outcome"]) != now]  # what changed decides the words
        failing = new_tests[min(changed or mine)] if mine else None
        line = f"{rid} ({after[rid]['level']}): {OUTCOMES[was].words} -> {OUTCOMES[now].words}"
        if failing is not None and now != "passed":
            line += f" in {failing['scenario']}: {deciding(failing['detail'], 200)}"
        if rid.startswith(_PROBABILISTIC):
            diff.probabilistic.append(line + " (probabilistic: never decides)")
        elif was == "passed" and now == "failed" and _turned(old_tests, new_tests, rid, shared):
            (diff.regressions if gated(old, rid, after[rid]["level"]) else diff.below).append(line)
        elif was == "passed" and now == "failed":
            diff.judged.append(line + " (in a test the old report did not judge)")
        elif now == "passed":
            diff.fixed.append(line)
        elif was in ("passed", "failed") and now in ("not_reached", "skipped"):
            gate_cannot_say = was == "passed" and gated(old, rid, after[rid]["level"])
            (diff.unjudged_gated if gate_cannot_say else diff.unjudged).append(line)
        else:
            diff.judged.append(line)
    for test_id in sorted(set(old_tests) | set(new_tests)):
        if test_id not in old_tests or test_id not in new_tests:
            diff.suite.append(f"{test_id}: in the {'new' if test_id in new_tests else 'old'} report only")
            continue
        was, now = outcome_of(old_tests[test_id]["outcome"]), outcome_of(new_tests[test_id]["outcome"])
        if was != now:
            diff.tests.append(f"{test_id}: {OUTCOMES[was].words} -> {OUTCOMES[now].words}")
    return diff


def _about(report: dict[str, Any]) -> str:
    """The server, when, the verdict, and the suite that judged it (its version, commit and fixture digest)."""
    suite = report["suite"]
    judged_by = ", ".join(str(v) for v in (suite.get("version"), suite.get("commit"), suite.get("fixture_digest")) if v)
    return f"{server_name(report)}, started {report['started_at']}, verdict {report['summary']['verdict']} (suite {judged_by})"


def render_diff(old: dict[str, Any], new: dict[str, Any], diff: Diff) -> str:
    """The comparison as Markdown (it reads as plain text in a terminal), the deciding part first."""
    lines = ["# langgraph-conformance report diff", "", f"old: {_about(old)}", f"new: {_about(new)}", ""]
    if diff.incomparable:
        return "\n".join([*lines, f"**Cannot compare:** {diff.incomparable} (exit 2)", ""])
    if diff.new_error:
        lines += [f"**The new report could not judge:** {diff.new_error}", ""]
    sections = [("Regressions (passed, now failed)", diff.regressions),
                ("Passed before, not judged now (the gate cannot say they still hold)", diff.unjudged_gated),
                ("Regressions below the gate", diff.below), ("Fixed (now passed)", diff.fixed),
                ("Judged before, not judged now", diff.unjudged),
                ("Judged now, not before", diff.judged), ("Race lane (probabilistic, never decides)", diff.probabilistic),
                ("Changes of the suite (in one report only)", diff.suite), ("Tests whose outcome changed", diff.tests)]  # fmt: skip
    for title, shown in sections:
        if shown:
            lines += [f"## {title} ({len(shown)})", "", *(f"- {line}" for line in shown), ""]
    if not any(shown for _, shown in sections):
        lines += ["No change.", ""]
    lines.append(f"exit {diff.exit_code}")
    return "\n".join(lines) + "\n"
