"""What the suite sent and what the target answered: plain data every layer may import."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Exchange", "Reply"]


@dataclass
class Exchange:
    """One request and its response, as a reader of a failure needs it (no headers: no secrets)."""

    at: float
    method: str
    path: str
    request: Any
    status: int | None = None
    response: Any = None
    elapsed: float = 0.0
    via: str = ""
    """The replica that answered (``r2``), when the target is several."""

    def line(self, start: float) -> str:
        """``+0.512s POST /threads/.../runs -> 200 {...}`` (body cut to one line)."""
        status = self.status if self.status is not None else "no answer"
        body = json.dumps(self.response, sort_keys=True) if not isinstance(self.response, str) else self.response
        body = body.replace("\n", " ")
        if len(body) > 300:
            body = body[:300] + "..."
        sent = f" {json.dumps(self.request, sort_keys=True)}" if self.request is not None else ""
        via = f" [{self.via}]" if self.via else ""
        return f"+{self.at - start:.3f}s {self.method} {self.path}{via}{sent} -> {status} {body}"


@dataclass(frozen=True)
class Reply:
    """A response: status code, decoded body (JSON, else text) and headers."""

    status: int
    body: Any
    headers: Mapping[str, str] = field(default_factory=dict)
