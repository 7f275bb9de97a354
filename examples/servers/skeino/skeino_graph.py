"""The fixture graph as a builder ``(checkpointer) -> graph``, the form skeino gives a checkpointer to.

skeino compiles nothing itself: a precompiled graph in langgraph.json gets no checkpointer (GET state
then answers 500 "No checkpointer set"), a callable gets the one skeino opened. Lives in the app
directory beside the copy of ``fixtures/graph.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import graph as fixture  # noqa: E402  (the fixture graph, copied into the app directory)


def graph(checkpointer: Any) -> Any:
    return fixture.builder.compile(checkpointer=checkpointer)
