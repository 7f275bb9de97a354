"""Whether a held run has arrived: the fixture's ``arrived`` item under ``("conformance", token)``.

``GET /store/items`` is the cheap read, but it takes its namespace as a query parameter that
the document gives as an array and the SDK sends dotted, and servers read it either way (one
answers 500 to the dotted form). The probe tries it; where it fails, the session reads by
``POST /store/items/search`` with a JSON namespace prefix, which every server reads alike.
Searches ask for pages of at most 100 items (``SEARCH_PAGE``): the document allows more, but
servers cap it (one answers 422 above 100), and a refused read must not look like an empty one.
"""

from __future__ import annotations

from typing import Any, Literal

from conformance.core.exchange import Reply
from conformance.target.http import Http

__all__ = ["HOLD_NAMESPACE", "SEARCH_PAGE", "HoldRead", "arrived_version", "hold_arrived", "search_items"]

HOLD_NAMESPACE = "conformance"
HoldRead = Literal["get", "search"]
SEARCH_PAGE = 100
_MAX_PAGES = 50


async def hold_arrived(
    http: Http, token: str, via: HoldRead, *, timeout: float | None = None
) -> tuple[bool, Reply]:
    """Whether the run holding with ``token`` wrote its ``arrived`` item; the reply, for a caller that names it."""
    if via == "get":
        reply = await http.request("GET", "/store/items", timeout=timeout,
                                   params={"namespace": f"{HOLD_NAMESPACE}.{token}", "key": "arrived"})  # fmt: skip
        return reply.status == 200 and isinstance(reply.body, dict) and reply.body.get("key") == "arrived", reply
    reply = await http.request("POST", "/store/items/search", timeout=timeout,
                               json_body={"namespace_prefix": [HOLD_NAMESPACE, token], "limit": 10})  # fmt: skip
    items = reply.body.get("items") if reply.status == 200 and isinstance(reply.body, dict) else None
    found = any(isinstance(item, dict) and item.get("key") == "arrived" for item in items or [])
    return found, reply


def arrived_version(reply: Reply) -> int | None:
    """The fixture version an ``arrived`` item carries, from the reply ``hold_arrived`` read it in (None: none)."""
    body = reply.body if isinstance(reply.body, dict) else {}
    items = body.get("items") if isinstance(body.get("items"), list) else [body]
    for item in items:
        value = item.get("value") if isinstance(item, dict) and item.get("key") == "arrived" else None
        if isinstance(value, dict) and isinstance(value.get("fixture"), int):
            return int(value["fixture"])
    return None


async def search_items(
    http: Http, prefix: list[str], *, timeout: float | None = None
) -> tuple[list[dict[str, Any]] | None, Reply]:
    """Every item under ``prefix``, read in pages of ``SEARCH_PAGE`` with ``offset``.

    None (with the refusing reply) where a page is not a 200 with an ``items`` list: a read the
    target refused is not an empty store.
    """
    found: list[dict[str, Any]] = []
    for page in range(_MAX_PAGES):
        reply = await http.request("POST", "/store/items/search", timeout=timeout,
                                   json_body={"namespace_prefix": prefix, "limit": SEARCH_PAGE,
                                              "offset": page * SEARCH_PAGE})  # fmt: skip
        items = reply.body.get("items") if reply.status == 200 and isinstance(reply.body, dict) else None
        if not isinstance(items, list):
            return None, reply
        found.extend(item for item in items if isinstance(item, dict))
        if len(items) < SEARCH_PAGE:
            break
    return found, reply
