"""The fault lane: double-texts in flight through a fault the user's commands inject and heal, judged after it."""

__all__: list[str] = []
