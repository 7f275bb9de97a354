"""One call of an official SDK method on behalf of a scenario, whichever SDK makes it.

The call's outcome is what a reader of the how-to would see: the value the method returned,
or the error it raised (its class name, its HTTP status if it carries one, its message).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from conformance.scenarios._model import SdkMethod

__all__ = ["SdkOutcome", "SdkRequest"]


@dataclass(frozen=True)
class SdkRequest:
    """An SDK method and its arguments; ``body`` holds ``runs.create``'s keyword arguments."""

    method: SdkMethod
    url: str
    headers: Mapping[str, str]
    thread_id: str
    run_id: str = ""
    assistant_id: str = ""
    body: Mapping[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"method": self.method, "url": self.url, "headers": dict(self.headers), "thread_id": self.thread_id,
                "run_id": self.run_id, "assistant_id": self.assistant_id, "body": dict(self.body)}  # fmt: skip


@dataclass(frozen=True)
class SdkOutcome:
    """What the method returned, or (``raised`` set) the error it raised."""

    returned: Any = None
    raised: str | None = None
    status: int | None = None
    message: str = ""

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SdkOutcome:
        if "raised" in data:
            error = data["raised"]
            return cls(raised=str(error.get("raised")), status=error.get("status"), message=str(error.get("message")))
        return cls(returned=data.get("returned"))
