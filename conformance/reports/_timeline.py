"""A scenario's runs as lifelines on one time axis (inline SVG), so overlap is seen, not read."""

from __future__ import annotations

from html import escape
from typing import Any

__all__ = ["render_timeline"]

WIDTH, LEFT, RIGHT, LANE, TOP = 760, 80, 150, 34, 26
FINAL_COLOURS = {"success": "#2e7d32", "interrupted": "#7b1fa2", "error": "#c62828", "timeout": "#c62828",
                 "deleted (404)": "#111", "pending": "#9e9e9e", "running": "#9e9e9e",
                 "healed": "#1565c0"}  # fmt: skip


def _lanes(events: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    lanes: dict[str, list[dict[str, Any]]] = {}
    for event in events:
        lanes.setdefault(event["run"], []).append(event)
    return lanes


def _final(events: list[dict[str, Any]]) -> str:
    for event in reversed(events):
        if event["what"].startswith("final: "):
            return event["what"][len("final: "):]
        if event["what"].startswith("created") and not event["what"].endswith((": 200", ": listed")):
            return "refused " + event["what"].rsplit(": ", 1)[-1]
    return "unknown"


def _cause(lanes: dict[str, list[dict[str, Any]]], run: str, held: float, until: float) -> tuple[str, float, str] | None:
    """The first interrupt or rollback request of another run while ``run`` was held: it ended the hold."""
    causes = [(other, e["at_s"], e["what"]) for other, events in lanes.items() if other != run for e in events
              if e["what"].startswith(("created (interrupt)", "created (rollback)")) and held <= e["at_s"] <= until]  # fmt: skip
    return min(causes, key=lambda c: c[1]) if causes else None


def render_timeline(scenario: dict[str, Any]) -> str:
    """The scenario's runs, created to final state, with holds shaded and every event marked."""
    lanes = _lanes(scenario["events"])
    span = max([scenario["duration_s"], *(e["at_s"] for e in scenario["events"])] or [1.0]) or 1.0
    plot = WIDTH - LEFT - RIGHT

    def x(at: float) -> float:
        return LEFT + plot * at / span

    height = TOP + LANE * max(len(lanes), 1) + 10
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline" width="{WIDTH}" height="{height}" '
             f'viewBox="0 0 {WIDTH} {height}" role="img" aria-label="timeline of {escape(scenario["id"])}">',
             f'<line x1="{LEFT}" y1="{TOP - 8}" x2="{LEFT + plot}" y2="{TOP - 8}" stroke="#999"/>']  # fmt: skip
    for i in range(6):
        at = span * i / 5
        parts.append(f'<text x="{x(at):.1f}" y="{TOP - 12}" font-size="9" text-anchor="middle" fill="#666">{at:.2f}s</text>')
    for row, (run, events) in enumerate(lanes.items()):
        y = TOP + row * LANE + 8
        start = events[0]["at_s"]
        end = max(e["at_s"] for e in events)
        final = _final(events)
        parts.append(f'<text x="{LEFT - 8}" y="{y + 5}" font-size="12" text-anchor="end">{escape(run)}</text>')
        parts.append(f'<rect x="{x(start):.1f}" y="{y - 5}" width="{max(x(end) - x(start), 2):.1f}" height="10" '
                     f'fill="#cfd8e3"><title>{escape(run)}: created to {escape(final)}</title></rect>')  # fmt: skip
        held = next((e["at_s"] for e in events if e["what"] == "held"), None)
        if held is not None:
            released = next((e["at_s"] for e in events if e["what"].startswith(("released", "cancel", "final"))
                             and e["at_s"] >= held), end)  # fmt: skip
            cause = _cause(lanes, run, held, released)
            if cause is not None:
                released = cause[1]
                other = list(lanes).index(cause[0])
                parts.append(f'<line x1="{x(released):.1f}" y1="{TOP + other * LANE + 8}" x2="{x(released):.1f}" '
                             f'y2="{y}" stroke="#c62828" stroke-dasharray="3,2"><title>{escape(cause[0])} '
                             f'{escape(cause[2])} cut {escape(run)}</title></line>')  # fmt: skip
            parts.append(f'<rect x="{x(held):.1f}" y="{y - 5}" width="{max(x(released) - x(held), 2):.1f}" '
                         f'height="10" fill="#f5b041"><title>{escape(run)} held</title></rect>')  # fmt: skip
        for event in events:
            parts.append(f'<line x1="{x(event["at_s"]):.1f}" y1="{y - 9}" x2="{x(event["at_s"]):.1f}" y2="{y + 9}" '
                         f'stroke="#333"><title>+{event["at_s"]:.3f}s {escape(run)}: {escape(event["what"])}</title></line>')  # fmt: skip
        colour = FINAL_COLOURS.get(final, "#c62828")
        parts.append(f'<circle cx="{x(end):.1f}" cy="{y}" r="6" fill="{colour}"><title>{escape(final)}</title></circle>')
        parts.append(f'<text x="{x(end) + 10:.1f}" y="{y + 4}" font-size="11" fill="{colour}">{escape(final)}</text>')
    parts.append("</svg>")
    return "".join(parts)
