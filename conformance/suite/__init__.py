"""The conformance suite itself, shipped in the package: ``pytest --pyargs conformance.suite``."""

from __future__ import annotations

__all__: list[str] = []
