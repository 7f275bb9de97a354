"""The questions runs ask: one per run name, so every transcript line says which run wrote it."""

from __future__ import annotations

__all__ = ["ASK"]

ASK: dict[str, str] = {
    "ahead": "what's the weather in la?",
    "first": "what's the weather in sf?",
    "second": "what's the weather in nyc?",
    "third": "what's the weather in paris?",
    "fourth": "what's the weather in tokyo?",
    "stateless": "what's the weather in rome?",
    "update": "what's the weather in oslo?",
}
