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
