"""The contract lane: scripted scenarios run step by step, and their checks.
"""

__all__: list[str] = []
