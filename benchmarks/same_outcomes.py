"""Whether two runs of the suite gave the same verdicts: every test's outcome, every check's texts.

    python benchmarks/same_outcomes.py BEFORE/report.json AFTER/report.json [--known TEST ...]

For a change that must not change what the suite says (a move of modules, a refactoring): run
the same command before and after, then compare. Timestamps, durations, ids, ports and
counts of milliseconds are masked; what is left must be equal, test by test and check by
check. ``--known`` names tests known to vary from run to run (a probabilistic finding, the
reference's now-and-then schema finding): they are listed, not counted. Exit 0 when equal.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

KNOWN = ("schema.*:API-BODIES-MATCH-DOCUMENT", "race.*")
_MASKS = (
    (re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{1,4}[0-9a-f-]*"), "<uuid>"),  # also one cut short by "..."
    (re.compile(r"UUID\('[0-9a-f-]*"), "UUID('<uuid>"),
    (re.compile(r"\b[0-9a-f]{12}\b"), "<hex>"),
    (re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(\+\d\d:\d\d|Z)?"), "<time>"),
    (re.compile(r"127\.0\.0\.1:\d+"), "127.0.0.1:<port>"),
    (re.compile(r"\b\d+(\.\d+)?\s?(s|ms)\b"), "<seconds>"),
    (re.compile(r"[+]\d+\.\d+s"), "+<at>"),
)


def masked(text: str) -> str:
    for pattern, replacement in _MASKS:
        text = pattern.sub(replacement, text)
    return text


def verdicts(report: dict[str, Any]) -> dict[str, str]:
    """``test id`` -> its outcome; ``test id/check n`` -> the check's outcome, expected and actual text, masked."""
    found = {r["test_id"]: r["outcome"] for r in report["results"]}
    for scenario in report["scenarios"]:
        for n, check in enumerate(scenario.get("checks", [])):
            key = f"{scenario['id']}:{check['requirement']}/check {n}"
            found[key] = masked(f"{check['outcome']} | {check['expected']} | {check['actual']} | {check.get('diff', '')}")
    return found


def _known(test: str, known: tuple[str, ...]) -> bool:
    return any(re.fullmatch(pattern.replace(".", r"\.").replace("*", ".*"), test.split("/")[0]) for pattern in known)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--known", action="append", default=list(KNOWN), help="a test id pattern known to vary")
    args = parser.parse_args()
    before, after = (verdicts(json.loads(p.read_text())) for p in (args.before, args.after))
    known = tuple(args.known)
    differ = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    counted = [k for k in differ if not _known(k, known)]
    varying = [k for k in differ if _known(k, known)]
    tests = [k for k in before if "/" not in k]
    print(f"{len(tests)} tests, {len(before) - len(tests)} checks compared; {len(counted)} differ; "
          f"{len(varying)} differ among the known to vary ({', '.join(known)})")  # fmt: skip
    for key in counted + varying:
        print(f"  {'known ' if key in varying else ''}{key}\n    before: {before.get(key)}\n    after:  {after.get(key)}")
    return 1 if counted else 0


if __name__ == "__main__":
    sys.exit(main())
