"""What the report says about an SDK's own behaviour (``SdkNote``): never a verdict on the server."""

from __future__ import annotations

from conformance.core.exchange import Reply
from conformance.core.notation import render_message
from conformance.lanes.state import ScenarioState

__all__ = ["returned_messages", "sdk_notes"]


def returned_messages(reply: Reply) -> list[str] | None:
    """The messages of the state an SDK call returned, rendered; None where it raised."""
    body = reply.body
    if isinstance(body, dict) and "raised" in body:
        return None
    values = body.get("values") if isinstance(body, dict) else None
    messages = values.get("messages", []) if isinstance(values, dict) else []
    return [render_message(m) for m in messages]


def sdk_notes(state: ScenarioState) -> list[str]:
    """Each of the scenario's notes whose call returned another state than its ``final`` one, or raised."""
    notes = []
    for note in state.scenario.notes:
        got, final = state.replies.get(note.label), state.replies.get(note.final)
        if got is None or final is None or (ended := returned_messages(final)) is None:
            continue
        said = returned_messages(got)
        if said is None:
            error = got.body if isinstance(got.body, dict) else {}
            notes.append(f"{note.says}: {note.label} raised {error.get('raised')}: {str(error.get('message'))[:200]}")
        elif said != ended:
            notes.append(f"{note.says}: {note.label} resolved with {len(said)} messages (the last {_last(said)}), "
                         f"where {note.final} once the runs ended returned {len(ended)} (the last {_last(ended)})")  # fmt: skip
    return notes


def _last(lines: list[str]) -> str:
    return repr(lines[-1]) if lines else "none"
