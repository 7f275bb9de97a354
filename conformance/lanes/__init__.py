"""The lanes, one folder each (as ``--lane`` names them), and what they share here: a scenario's state on
the target, its clean-up, the words that explain a failure. A lane imports the core, the target, the
contract as data and these shared modules, never another lane.
"""

__all__: list[str] = []
