"""One rule for every catalog: IDs are unique, and a duplicate stops the import."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, TypeVar

__all__ = ["unique_by_id"]


class _HasId(Protocol):
    @property
    def id(self) -> str: ...


T = TypeVar("T", bound=_HasId)


def unique_by_id(kind: str, *groups: Iterable[T]) -> dict[str, T]:
    """Index the items of ``groups`` by ``id``, in order; raise ``ValueError`` on a duplicate."""
    index: dict[str, T] = {}
    for group in groups:
        for item in group:
            if item.id in index:
                raise ValueError(f"duplicate {kind} ID {item.id}")
            index[item.id] = item
    return index
