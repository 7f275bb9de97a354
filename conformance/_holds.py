"""Whether a held run has arrived: the fixture's ``arrived`` item under ``("conformance", token)``.

``GET /store/items`` is the cheap read, but it takes its namespace as a query parameter that
the document gives as an array and the SDK sends dotted, and servers read it either way (one
answers 500 to the dotted form). The probe tries it; where it fails, the session reads by
``POST /store/items/search`` with a JSON namespace prefix, which every server reads alike.
"""

from __future__ import annotations

from typing import Literal

from conformance._exchange import Reply
from conformance._http import Http

__all__ = ["HOLD_NAMESPACE", "HoldRead", "hold_arrived"]

HOLD_NAMESPACE = "conformance"
HoldRead = Literal["get", "search"]


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
