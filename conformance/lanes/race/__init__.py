"""The race lane: storms of simultaneous double-texts, their recorded histories, and the rules on them.
"""

__all__: list[str] = []
