"""Targets the suite cannot test: one clear line, exit 2, evidence in the report, never a verdict."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.conftest import run_suite


class _Fixed(BaseHTTPRequestHandler):
    """Answers every request with the same status, content type and body."""

    status, content_type, body = 500, "text/plain", b""

    def _answer(self) -> None:
        self.send_response(self.status)
        self.send_header("content-type", self.content_type)
        self.send_header("content-length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    do_GET = do_POST = do_PUT = do_DELETE = _answer

    def log_message(self, *args: object) -> None:
        return None


class _Refusing(_Fixed):
    """A deployment without the right key."""

    status, content_type, body = 401, "application/json", b'{"detail": "Missing authentication"}'


class _Garbage(_Fixed):
    """Not an Agent Server: an HTML page for everything."""

    status, content_type, body = 200, "text/html", b"<html><body>It works!</body></html>"


def _serve(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def refusing_url() -> Iterator[str]:
    yield from _serve(_Refusing)


@pytest.fixture
def garbage_url() -> Iterator[str]:
    yield from _serve(_Garbage)


def test_refused_credentials(refusing_url: str, tmp_path) -> None:
    run = run_suite(tmp_path, "--target-url", refusing_url, "--api-key", "wrong-key-123")
    assert run.exit_code == 2
    assert "refused our credentials" in run.output and "--api-key" in run.output
    assert "Traceback" not in run.output and "wrong-key-123" not in run.output
    assert "refused our credentials" in run.report["harness_error"]
    assert "wrong-key-123" not in (tmp_path / "report.html").read_text()


def test_garbage_answers(garbage_url: str, tmp_path) -> None:
    run = run_suite(tmp_path, "--target-url", garbage_url)
    assert run.exit_code == 2
    assert "not JSON" in run.output and "Traceback" not in run.output
    assert run.report["summary"]["verdict"] == "error"


def test_bad_header_option(tmp_path) -> None:
    run = run_suite(tmp_path, "--target-url", "http://127.0.0.1:9", "--header", "no-equals-sign")
    assert run.exit_code == 2 and "--header takes NAME=VALUE" in run.output


def test_another_graph_behind_the_assistant_id_stops_the_session_in_seconds(proxy_url, tmp_path) -> None:
    run = run_suite(tmp_path, "--target-url", proxy_url("another-graph"), "-k", "rollback")
    assert run.exit_code == 2, run.output[-2000:]
    assert run.elapsed < 20
    line = run.report["harness_error"]
    assert line.startswith("assistant 'agent' is not the suite's fixture graph") and "--assistant-id" in line, line
    assert "Hello! How can I help you today?" in line and run.report["summary"]["failed"] == 0
    assert line in run.output and "Traceback" not in run.output


@pytest.mark.parametrize(("option", "value", "says"), [
    ("--concurrency", "0", "--concurrency must be at least 1, got 0"),
    ("--concurrency", "-3", "--concurrency must be at least 1, got -3"),
    ("--wait-timeout", "0", "--wait-timeout must be more than 0, got 0"),
    ("--storm", "1", "--storm must be at least 2, got 1"),
    ("--race-repeat", "0", "--race-repeat must be at least 1, got 0"),
])  # fmt: skip
def test_bad_option_values_are_refused_before_anything_runs(option: str, value: str, says: str, tmp_path) -> None:
    run = run_suite(tmp_path, "--target-url", "http://127.0.0.1:9", option, value)
    assert run.exit_code == 4, run.output[-2000:]
    assert f"langgraph-conformance run: {says}" in run.output
    assert run.elapsed < 15 and len(run.output.splitlines()) < 10 and "Traceback" not in run.output
