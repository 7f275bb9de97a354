"""What the suite tests: a URL with credentials, checked once before any scenario runs."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from conformance._errors import HarnessError
from conformance._http import Http, Reply

__all__ = ["PROBE_TIMEOUT", "Target", "TargetInfo", "parse_headers", "probe"]

PROBE_TIMEOUT = 10.0
_HOLD_NAMESPACE = "conformance"


@dataclass(frozen=True)
class Target:
    """A deployment URL, the headers that authenticate us, and the fixture's assistant."""

    url: str
    headers: Mapping[str, str] = field(default_factory=dict)
    assistant_id: str = "agent"
    embedded: bool = False

    def redact(self, text: str) -> str:
        """``text`` with every credential we send replaced by ``***``."""
        for value in self.headers.values():
            if len(value) >= 4:
                text = text.replace(value, "***")
        return text


@dataclass(frozen=True)
class TargetInfo:
    """What the probe learned: the server's ``/info``, its OpenAPI paths (if served), whether its store works."""

    info: Mapping[str, Any] | None
    store: bool
    paths: frozenset[str] | None = None


def parse_headers(pairs: list[str] | None, api_key: str | None) -> dict[str, str]:
    """``NAME=VALUE`` strings (and an API key, sent as ``x-api-key``) as a header mapping."""
    headers: dict[str, str] = {}
    for pair in pairs or ():
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise HarnessError(f"--header takes NAME=VALUE, got {pair.split('=')[0]!r}...")
        headers[name.strip()] = value
    if api_key:
        headers["x-api-key"] = api_key
    return headers


def _json_or_garbage(reply: Reply, what: str) -> Any:
    if isinstance(reply.body, str) or reply.body is None:
        raise HarnessError(f"the target answered {what} with something that is not JSON: {str(reply.body)[:80]!r}")
    return reply.body


def _refused(reply: Reply, what: str) -> None:
    if reply.status in (401, 403):
        raise HarnessError(
            f"the target refused our credentials on {what} (HTTP {reply.status}): pass --api-key or --header"
        )
    if reply.status >= 500:
        raise HarnessError(f"the target failed on {what} (HTTP {reply.status}): is it healthy?")


async def probe(http: Http, target: Target) -> TargetInfo:
    """Check that the target answers, accepts us and serves the fixture graph; learn its capabilities."""
    try:
        info_reply = await http.request("GET", "/info", timeout=PROBE_TIMEOUT)
    except HarnessError:
        raise HarnessError(f"cannot reach {target.url}: is the server running, and is --target-url right?") from None
    _refused(info_reply, "GET /info")
    info = _json_or_garbage(info_reply, "GET /info") if info_reply.status == 200 else None

    search = await http.request(
        "POST", "/assistants/search", json_body={"graph_id": target.assistant_id, "limit": 1}, timeout=PROBE_TIMEOUT
    )
    _refused(search, "POST /assistants/search")
    found = search.status == 200 and bool(_json_or_garbage(search, "POST /assistants/search"))
    if not found:
        direct = await http.request("GET", f"/assistants/{target.assistant_id}", timeout=PROBE_TIMEOUT)
        found = direct.status == 200
    if not found:
        raise HarnessError(
            f"the fixture graph {target.assistant_id!r} is not deployed on {target.url}: deploy the suite's "
            "fixtures/ beside your graphs (graph id 'agent'), or name its assistant with --assistant-id"
        )
    return TargetInfo(info=info, store=await _store_round_trip(http), paths=await _openapi_paths(http))


async def _openapi_paths(http: Http) -> frozenset[str] | None:
    """The paths of the target's OpenAPI spec; None when it serves none (then nothing is skipped)."""
    reply = await http.request("GET", "/openapi.json", timeout=PROBE_TIMEOUT)
    paths = reply.body.get("paths") if reply.status == 200 and isinstance(reply.body, dict) else None
    return frozenset(paths) if isinstance(paths, dict) else None


async def _store_round_trip(http: Http) -> bool:
    """Put, read back and delete one item: the hold directive needs a working store."""
    item = {"namespace": [_HOLD_NAMESPACE, f"probe-{uuid.uuid4().hex}"], "key": "probe"}
    try:
        put = await http.request("PUT", "/store/items", json_body={**item, "value": {"ok": True}}, timeout=PROBE_TIMEOUT)
        if put.status >= 300:
            return False
        got = await http.request(
            "GET",
            "/store/items",
            params={"namespace": ".".join(item["namespace"]), "key": item["key"]},
            timeout=PROBE_TIMEOUT,
        )
        await http.request("DELETE", "/store/items", json_body=item, timeout=PROBE_TIMEOUT)
    except httpx.HTTPError:
        return False
    return got.status == 200 and isinstance(got.body, dict) and got.body.get("value") == {"ok": True}
