"""Messages as one readable line each, and server-assigned ids masked for comparison."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

__all__ = ["mask_ids", "render_message"]

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = [b.get("text", "") if isinstance(b, dict) else str(b) for b in content]
        return "".join(p for p in parts if p)
    return json.dumps(content, sort_keys=True)


def _call(call: Mapping[str, Any]) -> str:
    args = call.get("args") or {}
    shown = ", ".join(v if isinstance(v, str) else json.dumps(v, sort_keys=True) for v in args.values())
    return f"{call.get('name')}({shown})"


def render_message(message: Any) -> str:
    """``human: ...``, ``ai: ...``, ``ai -> tool(args)``, ``tool: ...`` (anything else as JSON)."""
    if not isinstance(message, dict):
        return f"?: {json.dumps(message, sort_keys=True)}"
    kind = {"user": "human", "assistant": "ai"}.get(str(message.get("type") or message.get("role")), None)
    kind = kind or str(message.get("type") or message.get("role") or "?")
    text = _text(message.get("content"))
    calls = message.get("tool_calls") or []
    if kind == "ai" and calls:
        said = f": {text}" if text else ""
        return f"ai{said} -> " + "; ".join(_call(c) for c in calls)
    return f"{kind}: {text}"


def mask_ids(text: str, aliases: Mapping[str, str]) -> str:
    """Replace known ids by their names (``<first>``) and any other UUID by ``<id>``."""
    for value, name in aliases.items():
        text = text.replace(value, f"<{name}>")
    return _UUID.sub("<id>", text)
