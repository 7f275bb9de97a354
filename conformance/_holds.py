"""Whether a held run has arrived: the fixture's ``arrived`` item under ``("conformance", token)``, read by search.

The suite reads it with ``POST /store/items/search`` and a JSON namespace prefix: the one form
every server reads alike (``GET /store/items`` takes its namespace as a query parameter that
the document gives as an array and the SDK sends dotted; servers read it either way).
"""

from __future__ import annotations

from conformance._exchange import Reply
from conformance._http import Http

__all__ = ["HOLD_NAMESPACE", "hold_arrived"]

HOLD_NAMESPACE = "conformance"


async def hold_arrived(http: Http, token: str, *, timeout: float | None = None) -> tuple[bool, Reply]:
    """Whether the run holding with ``token`` wrote its ``arrived`` item; the reply, for a caller that names it."""
    reply = await http.request("POST", "/store/items/search", timeout=timeout,
                               json_body={"namespace_prefix": [HOLD_NAMESPACE, token], "limit": 10})  # fmt: skip
    items = reply.body.get("items") if reply.status == 200 and isinstance(reply.body, dict) else None
    found = any(isinstance(item, dict) and item.get("key") == "arrived" for item in items or [])
    return found, reply
