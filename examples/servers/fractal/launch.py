"""Starts fractal-agents-runtime with the suite's fixture graph registered as graph id ``agent``.

fractal serves only the graphs in its registry (its own ``agent`` is a ReAct agent that needs an
LLM), so the fixture's builder replaces it before the app starts. Run from the app directory.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path.cwd()))

import graph as fixture  # noqa: E402  (the fixture graph, copied into the app directory)
from graphs.registry import register_graph  # noqa: E402
from server.app import main  # noqa: E402


async def _fixture(config: Any, *, checkpointer: Any = None, store: Any = None, **_: Any) -> Any:
    return fixture.builder.compile(checkpointer=checkpointer, store=store)


register_graph("agent", _fixture)
main()
