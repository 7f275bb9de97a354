"""``langgraph-conformance``: run the suite, serve the reference server, list the requirements."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import sys
import textwrap
from collections.abc import Callable, Sequence
from importlib.metadata import version
from pathlib import Path
from typing import TypeVar

import pytest

from conformance._usage import UsageWords
from conformance.core.errors import HarnessError
from conformance.lanes.sdk.js import JS_SDK_ENV, install_js_sdk, js_sdk_dir
from conformance.reports import (
    Diff,
    diff_reports,
    headlines,
    read_json,
    render_baseline,
    render_catalog,
    render_diff,
    render_summary,
    slim_report,
    write_html,
    write_json,
    write_markdown,
    write_matrix,
    write_site,
)
from conformance.requirements import REQUIREMENTS
from conformance.scenarios import CASES
from conformance.session.clean import clean_target
from conformance.session.gate import EXIT_CODES, USAGE_ERROR
from conformance.target.embedded import EmbeddedServer
from conformance.target.fixtures import SLOW_START_GRAPH, fixtures_dir
from conformance.target.probe import Target, parse_headers

__all__ = ["main"]

DEFAULT_REPORT_DIR = "reports/latest"
_DESCRIPTION = ("A conformance suite for servers of the LangGraph Agent Server HTTP API. Start with "
                "'langgraph-conformance run' (the embedded reference server) or 'run --target-url URL'.")
_WIDTH = 100
NO_AUTOLOAD = "PYTEST_DISABLE_PLUGIN_AUTOLOAD"


def _run(pytest_args: Sequence[str]) -> int:
    """The suite via pytest; every option of the plugin (``--target-url`` ...) passes through."""
    # The suite runs the same wherever it is started: no config file of the current directory, and no plugin
    # but its own (the others installed beside it cost a second and a half of imports on every run).
    # Its own settings and rootdir, so that node ids name its test file whatever the current directory holds
    # (an existing report directory given as a separate argument was taken for a path to test).
    suite = Path(__file__).resolve().parent / "suite"
    args = ["--pyargs", "conformance.suite", "-c", str(suite / "suite.ini"), f"--rootdir={suite}",
            "-p", "conformance.plugin", "-p", "no:cacheprovider", "-r", "fEsx",
            "-W", "ignore::pytest.PytestAssertRewriteWarning", f"--report-dir={DEFAULT_REPORT_DIR}", *pytest_args]  # fmt: skip
    autoload = os.environ.get(NO_AUTOLOAD)
    os.environ[NO_AUTOLOAD] = "1"
    try:
        return int(pytest.main(args, plugins=[UsageWords()]))
    finally:  # as it was, for whoever called this in-process
        if autoload is None:
            del os.environ[NO_AUTOLOAD]
        else:
            os.environ[NO_AUTOLOAD] = autoload


_GROUPS = {
    "target": ("--target-url", "--api-key", "--header", "--assistant-id", "--dedicated-target"),
    "lanes": ("--lane", "--storm", "--race-repeat", "--race-schedule", "--race-seed", "--race-budget", "--faults"),
    "timing": ("--concurrency", "--wait-timeout", "--max-time", "--time-scale"),
    "gate": ("--level", "--baseline", "--strict-baseline"),
    "reports": ("--report-dir",),
}


class _Options:
    """Stands in for pytest's parser: collects the plugin's options for ``run --help``."""

    def __init__(self) -> None:
        self.options: dict[str, dict[str, object]] = {}

    def getgroup(self, *_: object) -> _Options:
        return self

    def addoption(self, name: str, **kwargs: object) -> None:
        self.options[name] = kwargs


def _run_help() -> int:
    """``run --help``: the suite's options in groups, then where pytest's are."""
    from conformance.plugin import pytest_addoption  # the options are declared once, for pytest

    collected = _Options()
    pytest_addoption(collected)  # type: ignore[arg-type]
    print("usage: langgraph-conformance run [OPTIONS] [PYTEST ARGUMENTS]\n\n"
          "Run the suite against --target-url (none: the embedded reference server) and write the reports.")  # fmt: skip
    for group, names in _GROUPS.items():
        print(f"\n{group}:")
        for name in names:
            option = collected.options[name]
            metavar = "" if option.get("action") in ("store_true",) else f" {option.get('metavar') or 'VALUE'}"
            default = option.get("default")
            secret = name in ("--api-key", "--header")  # its default comes from the environment: never printed
            shown = "" if secret or default in (None, False) or "default" in str(option["help"]) else f" (default: {default})"
            print(f"  {name}{metavar}")
            print(textwrap.fill(f"{option['help']}{shown}", _WIDTH, initial_indent=" " * 6, subsequent_indent=" " * 6))
    print()
    print(textwrap.fill("Any other argument goes to pytest: -k EXPRESSION (a scenario or a requirement ID), -v, -x, -q; "
                        "'pytest --help' lists them all.", _WIDTH))  # fmt: skip
    print("Exit codes: 0 conformant, 1 nonconformant, 2 error (could not judge), 3 interrupted, 4 usage error.")
    return 0


def _serve(port: int | None) -> int:
    """The embedded reference server in the foreground until Ctrl-C."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # leave through the with: the server stops too
    try:
        with EmbeddedServer(port) as server:
            print(f"langgraph-conformance: reference server with the fixtures at {server.url} (Ctrl-C stops it)")
            print(f"log: {server.log_path}", flush=True)
            server.wait()
    except HarnessError as exc:
        print(f"langgraph-conformance: {exc}", file=sys.stderr)
        return EXIT_CODES["error"]
    except KeyboardInterrupt:
        pass
    return 0


T = TypeVar("T")


def _or_error(failure: str, work: Callable[[], T]) -> T | None:
    """``work()`` of a ``report`` command; where a report cannot be read or written, one line saying ``failure`` and
    why, and None."""
    try:
        return work()
    except (OSError, ValueError, KeyError) as exc:
        print(f"langgraph-conformance: {failure}: {exc}", file=sys.stderr)
        return None


def _matrix(paths: Sequence[str], out: str) -> int:
    """``report matrix``: servers x requirements from several ``report.json`` files."""
    written = _or_error("cannot build the matrix", lambda: write_matrix([Path(p) for p in paths], Path(out)))
    if written is None:
        return EXIT_CODES["error"]
    print(f"langgraph-conformance: matrix written to {written[0]} and {written[1]}")
    return 0


def _html(path: str, out: str | None) -> int:
    """``report html``: a written report.json rendered again as one HTML page."""
    target = Path(out) if out else Path(path).with_name("report.html")

    def render() -> Path:
        write_html(read_json(Path(path)), target)
        return target

    if _or_error(f"cannot render {path}", render) is None:
        return EXIT_CODES["error"]
    print(f"langgraph-conformance: {target} written")
    return 0


def _diff(old: str, new: str, out: str | None) -> int:
    """``report diff``: what changed; exit 1 on a gated regression, 2 where the comparison cannot say."""

    def compare() -> tuple[Diff, str]:
        before, after = read_json(Path(old)), read_json(Path(new))
        comparison = diff_reports(before, after)
        text = render_diff(before, after, comparison)
        if out:
            Path(out).write_text(text)
        return comparison, text

    compared = _or_error(f"cannot compare {old} with {new}", compare)
    if compared is None:
        return EXIT_CODES["error"]
    print(compared[1], end="")
    return compared[0].exit_code


def _baseline(path: str, out: str | None) -> int:
    """``report baseline``: the report's failures as a ``--baseline`` file."""

    def write() -> str:
        text = render_baseline(read_json(Path(path)))
        if out:
            Path(out).write_text(text)
        return text

    text = _or_error(f"cannot write a baseline from {path}", write)
    if text is None:
        return EXIT_CODES["error"]
    print(f"langgraph-conformance: baseline written to {out}" if out else text, end="\n" if out else "")
    return 0


def _site(paths: list[str], out: str) -> int:
    """``report site``: the static site of several reports."""
    index = _or_error("cannot write the site", lambda: write_site([Path(p) for p in paths], Path(out)))
    if index is None:
        return EXIT_CODES["error"]
    print(f"langgraph-conformance: site written, open {index}")
    return 0


def _summary(path: str) -> int:
    """``report summary``: a CI job's summary of a report."""
    text = _or_error(f"cannot summarise {path}", lambda: render_summary(read_json(Path(path))))
    if text is None:
        return EXIT_CODES["error"]
    print(text, end="")
    return 0


def _slim(args: argparse.Namespace) -> int:
    """``report slim``: the slim form of a full report, and its Markdown."""
    out = Path(args.out)

    def write() -> Path:
        report = slim_report(read_json(Path(args.report)), commit=args.commit, command=args.produced_by)
        out.mkdir(parents=True, exist_ok=True)
        write_json(report, out / "report.json")
        write_markdown(headlines(report), out / "report.md")
        return out

    if _or_error("cannot make the slim report", write) is None:
        return EXIT_CODES["error"]
    print(f"langgraph-conformance: slim report written to {out}/report.json and report.md")
    return 0


def _fixtures(directory: str) -> int:
    """Copy the fixture project (the graph a target must serve) into ``directory``."""
    target = Path(directory)
    if target.exists() and any(target.iterdir()):
        print(f"langgraph-conformance: {target} is not empty; name a new directory", file=sys.stderr)
        return USAGE_ERROR
    shutil.copytree(fixtures_dir(), target, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("__pycache__", "node_modules", ".langgraph_api"))  # fmt: skip
    print(f"langgraph-conformance: fixture project copied to {target} (graph id 'agent'; JS twin in js/)\n"
          f"  to serve it beside your own graphs, add to the \"graphs\" of the langgraph.json in this directory\n"
          f"  (an id of your own where 'agent' is taken, passed as --assistant-id):\n"
          f"    \"conformance\": \"./{os.path.relpath(target)}/graph.py:graph\"\n"
          f"  and the graph factory that holds runs while they start (its scenarios are skipped without it):\n"
          f"    \"{SLOW_START_GRAPH[0]}\": \"./{os.path.relpath(target)}/graph.py:slow_start\"\n"
          f"  and serve with enough workers for runs at once (langgraph dev runs one by default):\n"
          f"    langgraph dev --n-jobs-per-worker 16\n"
          f"  then: langgraph-conformance run --target-url URL --assistant-id conformance")
    return 0


def _clean(args: argparse.Namespace) -> int:
    """``clean``: delete the suite's leftovers on a target (one session's, or every session's)."""
    if not args.target_url:
        print("langgraph-conformance: clean needs --target-url (or LANGGRAPH_CONFORMANCE_URL)", file=sys.stderr)
        return USAGE_ERROR
    try:
        target = Target(args.target_url.rstrip("/"), parse_headers(args.header, args.api_key))
        cleaned = asyncio.run(clean_target(target, args.session))
    except HarnessError as exc:
        print(f"langgraph-conformance: {exc}", file=sys.stderr)
        return EXIT_CODES["error"]
    for line in [*cleaned.threads, *(f"store item {item}" for item in cleaned.items)]:
        print(f"deleted {line}")
    for line in cleaned.failed:
        print(f"could not delete {line}", file=sys.stderr)
    whose = f"session {args.session}" if args.session else f"{len(cleaned.sessions)} session(s)"
    print(f"langgraph-conformance: deleted {len(cleaned.threads)} threads and {len(cleaned.items)} store items "
          f"of the suite ({whose}) on {target.url}")  # fmt: skip
    return EXIT_CODES["error"] if cleaned.failed else 0


def _install_js_sdk(directory: str | None) -> int:
    """``install-js-sdk``: the pinned JS SDK for the sdk lane, with npm, ahead of any run."""
    target = Path(directory) if directory else js_sdk_dir()
    try:
        install_js_sdk(target)
    except HarnessError as exc:
        print(f"langgraph-conformance: {exc}", file=sys.stderr)
        return EXIT_CODES["error"]
    hint = "" if target == js_sdk_dir() else f" (set {JS_SDK_ENV}={target} for runs)"
    print(f"langgraph-conformance: JS SDK installed in {target}{hint}")
    return 0


def _requirements(as_json: bool, as_markdown: bool = False) -> int:
    rows = list(REQUIREMENTS.values())
    if as_markdown:
        print(render_catalog(), end="")
        return 0
    if as_json:
        cases = {r.id: [c for c in CASES if c.requirement.id == r.id] for r in rows}
        print(json.dumps([{"id": r.id, "level": r.level.value, "statement": r.statement, "source": r.source,
                           "lanes": sorted({c.lane for c in cases[r.id]}), "scenarios": [c.scenario.id for c in cases[r.id]]}
                          for r in rows], indent=2))  # fmt: skip
        return 0
    for r in rows:
        print(f"{r.id:<36} {r.level.value:<6} {r.statement}\n{'':<43} source: {r.source}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script."""
    parser = argparse.ArgumentParser(prog="langgraph-conformance", description=_DESCRIPTION)
    parser.add_argument("--version", action="version", version=f"langgraph-conformance {version('langgraph-conformance')}")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run the suite (no --target-url: against the embedded reference server)",
                              description="Any further arguments go to pytest, e.g. --target-url URL, "
                                          "--api-key KEY, --report-dir DIR, -k rollback.")  # fmt: skip
    run.add_argument("pytest_args", nargs=argparse.REMAINDER)
    serve = commands.add_parser("serve", help="start the embedded reference server in the foreground")
    serve.add_argument("--port", type=int, default=None, help="the port on 127.0.0.1 (default: a free one, printed)")
    report = commands.add_parser("report", help="work with written reports")
    report_commands = report.add_subparsers(dest="report_command", required=True)
    matrix = report_commands.add_parser("matrix", help="servers x requirements from several report.json files")
    matrix.add_argument("reports", nargs="+", metavar="REPORT.json")
    matrix.add_argument("--out", default="reports/matrix", help="directory for matrix.md and matrix.html")
    html = report_commands.add_parser("html", help="render a report.json (full or slim) as report.html")
    html.add_argument("report", metavar="REPORT.json")
    html.add_argument("--out", default=None, help="where to write it (default: report.html beside the report)")
    compare = report_commands.add_parser("diff", help="what changed from one report.json to another (an upgrade gate: "
                                                      "exit 1 on a regression, 2 where it cannot say)")  # fmt: skip
    compare.add_argument("old", metavar="OLD.json")
    compare.add_argument("new", metavar="NEW.json")
    compare.add_argument("--out", default=None, help="also write the comparison (Markdown) there")
    baseline = report_commands.add_parser("baseline", help="a --baseline file of the requirements a report failed")
    baseline.add_argument("report", metavar="REPORT.json")
    baseline.add_argument("--out", default=None, help="where to write it (default: standard output)")
    site = report_commands.add_parser("site", help="a static site of several report.json files: an index with verdicts "
                                                   "and badges, the grid, a page per server")  # fmt: skip
    site.add_argument("reports", nargs="+", metavar="REPORT.json")
    site.add_argument("--out", required=True, help="the site's directory")
    summary = report_commands.add_parser("summary", help="a CI job's summary (Markdown) of a report.json: the verdict, "
                                                         "what was not judged, each failure in a line")  # fmt: skip
    summary.add_argument("report", metavar="REPORT.json")
    slim = report_commands.add_parser("slim", help="a report.json made slim, beside its report.md (to keep in a repository)")
    slim.add_argument("report", metavar="REPORT.json", help="a full report.json")
    slim.add_argument("--out", required=True, help="directory for the slim report.json and its report.md")
    slim.add_argument("--commit", required=True, help="the suite's commit that produced the full report")
    slim.add_argument("--command", dest="produced_by", required=True, help="the command that produced it")
    fixtures = commands.add_parser("fixtures", help="copy the fixture project to deploy beside your graphs")
    fixtures.add_argument("directory", help="where to copy it (created; prints the langgraph.json line to add)")
    clean = commands.add_parser("clean", help="delete what earlier sessions of the suite left on a target")
    clean.add_argument("--target-url", default=os.environ.get("LANGGRAPH_CONFORMANCE_URL"),
                       help="the deployment to clean (env LANGGRAPH_CONFORMANCE_URL)")
    clean.add_argument("--session", default=None, help="only this session's (report.json names it); default: all")
    clean.add_argument("--api-key", default=os.environ.get("LANGGRAPH_CONFORMANCE_API_KEY"),
                       help="sent as x-api-key (env LANGGRAPH_CONFORMANCE_API_KEY); never written anywhere")
    clean.add_argument("--header", action="append", metavar="NAME=VALUE", default=[],
                       help="an extra request header, repeatable (for a gateway's credentials)")
    js_sdk = commands.add_parser("install-js-sdk", help="install the JS SDK the sdk lane drives (Node 20, npm)")
    js_sdk.add_argument("--dir", default=None, help=f"where (default: ${JS_SDK_ENV}, else ~/.cache/langgraph-conformance/js-sdk)")
    listing = commands.add_parser("requirements", help="list the requirements the suite checks")
    listing.add_argument("--json", action="store_true", help="as JSON, one object per requirement")
    listing.add_argument("--markdown", action="store_true", help="as the table docs/requirements.md holds")
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["run"] and {"-h", "--help"} & set(argv[1:]):
        return _run_help()
    if argv[:1] == ["run"]:
        return _run(argv[1:])  # argparse cannot pass options through untouched
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse's usage error (2) is the suite's usage error; --help and --version stay 0
        return USAGE_ERROR if exc.code else 0
    if args.command == "run":
        return _run(args.pytest_args)
    if args.command == "serve":
        return _serve(args.port)
    if args.command == "fixtures":
        return _fixtures(args.directory)
    if args.command == "report" and args.report_command == "slim":
        return _slim(args)
    if args.command == "report" and args.report_command == "html":
        return _html(args.report, args.out)
    if args.command == "report" and args.report_command == "diff":
        return _diff(args.old, args.new, args.out)
    if args.command == "report" and args.report_command == "baseline":
        return _baseline(args.report, args.out)
    if args.command == "report" and args.report_command == "summary":
        return _summary(args.report)
    if args.command == "report" and args.report_command == "site":
        return _site(args.reports, args.out)
    if args.command == "report":
        return _matrix(args.reports, args.out)
    if args.command == "clean":
        return _clean(args)
    if args.command == "install-js-sdk":
        return _install_js_sdk(args.dir)
    return _requirements(args.json, args.markdown)
