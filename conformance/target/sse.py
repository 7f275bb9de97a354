"""Server-sent events, as the runs stream endpoints send them."""

from __future__ import annotations

import json
from typing import Any

__all__ = ["parse_events"]


def parse_events(text: str) -> list[dict[str, Any]]:
    """``[{"event": name, "data": decoded}]`` for every complete event in ``text``."""
    events = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        name, data = "message", []
        for line in block.splitlines():
            if line.startswith("event:"):
                name = line[6:].strip()
            elif line.startswith("data:"):
                data.append(line[5:].lstrip())
        if data or name != "message":
            raw = "\n".join(data)
            try:
                decoded: Any = json.loads(raw) if raw else None
            except ValueError:
                decoded = raw
            events.append({"event": name, "data": decoded})
    return events
