"""What the fixture graph says, in the notation expectations are written in.

One line per message: ``human: TEXT``, ``ai: TEXT``, ``ai -> TOOL(ARG, ...)`` for a tool
call, ``tool: TEXT``. The fixture answers every question the same way; these functions
spell that answer out so that scenarios read as conversations.
"""

from __future__ import annotations

import json

__all__ = ["TOOL", "asked", "conversation", "until_tool_call", "search_query"]

TOOL = "tavily_search_results_json"


def search_query(question: str) -> str:
    """The query the fake model searches for: ``what's the weather in sf?`` -> ``weather in sf``."""
    text = question.strip().rstrip("?!. ").lower()
    for prefix in ("what's the ", "what is the ", "what's ", "what is "):
        if text.startswith(prefix):
            return text[len(prefix) :]
    return text


def asked(question: str) -> tuple[str, ...]:
    """The question alone: a run stopped before the model answered."""
    return (f"human: {question}",)


def until_tool_call(question: str) -> tuple[str, ...]:
    """The question and the model's tool call: a run stopped before the tool answered."""
    return (*asked(question), f"ai -> {TOOL}({search_query(question)})")


def conversation(question: str) -> tuple[str, ...]:
    """The whole exchange of one finished run: question, tool call, tool result, answer."""
    query = search_query(question)
    result = json.dumps(
        [{"url": "https://www.weatherapi.com/", "content": f"{query}: sunny, 29.4 C, wind 2.2 mph SSE"}]
    )
    answer = f"The search shows {query}: sunny, 29.4 C, with a light wind from the south-southeast."
    return (*until_tool_call(question), f"tool: {result}", f"ai: {answer}")
