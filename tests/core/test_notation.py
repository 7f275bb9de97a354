"""Transcript notation and id masking."""

from __future__ import annotations

from conformance.core.notation import mask_ids, render_message


def test_renders_each_kind_of_message() -> None:
    assert render_message({"type": "human", "content": "hi"}) == "human: hi"
    assert render_message({"role": "user", "content": "hi"}) == "human: hi"
    assert render_message({"type": "ai", "content": [{"type": "text", "text": "a"}, {"type": "text", "text": "b"}]}) == "ai: ab"
    call = {"name": "search", "args": {"query": "weather in sf"}, "id": "x"}
    assert render_message({"type": "ai", "content": "", "tool_calls": [call]}) == "ai -> search(weather in sf)"
    assert render_message({"type": "ai", "content": "ok", "tool_calls": [call]}) == "ai: ok -> search(weather in sf)"
    assert render_message({"type": "tool", "content": "[1]"}) == "tool: [1]"


def test_masks_known_ids_by_name_and_other_uuids() -> None:
    run = "01a20a1b-2930-7559-b825-e973e740547f"
    other = "fe096781-5601-53d2-b2f6-0d3403f7e9ca"
    assert mask_ids(f"/runs/{run} by {other}", {run: "first"}) == "/runs/<first> by <id>"
