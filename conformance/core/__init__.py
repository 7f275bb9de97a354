"""The core every other part may import: errors, exchanges, results and their outcomes, the rule on waits
(room), the monitor and its breaker, the settings. It imports nothing else of the package.
"""

__all__: list[str] = []
