"""What a requirement is: an ID, a level, one sentence and where it comes from."""

from __future__ import annotations

import enum
from dataclasses import dataclass

__all__ = [
    "DOC_API", "DOC_DOUBLE_TEXTING", "DOC_HUMAN", "DOC_TASK_QUEUE", "PROTOCOL", "REFERENCE", "SDK_DOCS", "SEED", "Level",
    "Requirement",
]  # fmt: skip

SEED = "LangGraph docs: double texting, rollback how-to"
DOC_DOUBLE_TEXTING = "LangGraph docs: double texting concepts (multitask_strategy)"
DOC_API = "Agent Server API reference (OpenAPI: runs, threads, cancel, join)"
DOC_HUMAN = "LangGraph docs: human-in-the-loop (interrupt) on the Agent Server"
SDK_DOCS = "LangGraph SDK references: langgraph-sdk (Python) and @langchain/langgraph-sdk (JS), runs and threads"
DOC_TASK_QUEUE = "LangGraph Server concepts: task queue (no request dropped), horizontally scalable"
PROTOCOL = ("the thread-centric protocol's typed contract (langchain-protocol: langchain_protocol/protocol.py, the "
            "command and its answer, ErrorCode) and the SDKs that speak it (langgraph-sdk 0.4, @langchain/langgraph-sdk "
            "1.15: client.threads.stream)")
REFERENCE = "reference behaviour: langgraph-api 0.16.7 + langgraph-runtime-inmem 0.36.7"


class Level(enum.Enum):
    """How binding a requirement is (RFC 2119), plus INFO for behaviour the docs leave open."""

    MUST = "MUST"
    SHOULD = "SHOULD"
    MAY = "MAY"
    INFO = "INFO"


@dataclass(frozen=True)
class Requirement:
    """One checkable statement of the contract."""

    id: str
    level: Level
    statement: str
    source: str

    @property
    def title(self) -> str:
        """``LEVEL statement``, as shown in test output and reports."""
        return f"{self.level.value} {self.statement}"
