"""A test double of a server that does not stop runs: the fixture graph, whose held node shrugs off its cancellation.

Served beside the fixture (``graph.py`` copied into the same project), as ``agent``: a node held by the suite
that is cancelled keeps holding, and once let go it completes its work, as a tool call that ignores the
cancellation would. Never shipped in ``fixtures/``.
"""

from __future__ import annotations

import asyncio
from typing import Any

import graph as fixture  # the fixture's graph.py, copied beside this file

_hold = fixture._hold


async def _stubborn_hold(node: str, directives: dict[str, Any], *, once: bool = False) -> None:
    while True:
        try:
            await _hold(node, directives, once=once)
            return
        except asyncio.CancelledError:  # the work goes on
            continue


fixture._hold = _stubborn_hold
graph = fixture.graph
slow_start = fixture.slow_start
