"""Small pieces every human-readable format shares."""

from __future__ import annotations

from typing import Any

__all__ = ["failures", "server_name", "target_line"]


def server_name(report: dict[str, Any]) -> str:
    """What the target says it is: ``langgraph-api 0.16.7``, or its URL."""
    info = report["target"].get("info") or {}
    version = info.get("version")
    if report["target"].get("embedded"):
        return f"embedded reference (langgraph-api {version})"
    return f"{report['target']['url']} ({version})" if version else str(report["target"]["url"])


def target_line(report: dict[str, Any]) -> str:
    """Target and suite, in one line."""
    suite = report["suite"]
    return f"target {server_name(report)}; {suite['name']} {suite['version']}; started {report['started_at']}"


def failures(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Failed and errored tests, in test id order."""
    return [r for r in report["results"] if r["outcome"] in ("failed", "error")]
