"""The fault lane: double-texts in flight through a fault the user's commands inject and heal."""
