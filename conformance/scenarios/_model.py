"""The vocabulary scenarios are written in: steps that drive runs, and expectations on the result.

A scenario is an ordered script. Steps never judge the server; they record what it answered.
Expectations judge, each for one requirement ID, once the steps are done.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, TypeAlias

__all__ = [
    "Accepted",
    "AwaitHeld",
    "Endpoint",
    "Expectation",
    "Join",
    "Node",
    "Refused",
    "Release",
    "RunGone",
    "RunStatus",
    "RunsListed",
    "Scenario",
    "Start",
    "Step",
    "Strategy",
    "ThreadMessages",
]

Strategy: TypeAlias = Literal["reject", "enqueue", "interrupt", "rollback"]
Endpoint: TypeAlias = Literal["create", "stream", "wait"]
Node: TypeAlias = Literal["agent", "tools"]


# --- steps -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Start:
    """Start run ``run`` on the scenario's thread with the human message ``ask``."""

    run: str
    ask: str
    strategy: Strategy | None = None
    endpoint: Endpoint = "create"
    hold_at: Node | None = None

    def __str__(self) -> str:
        how = f"multitask_strategy={self.strategy}" if self.strategy else "no multitask_strategy"
        hold = f", held at {self.hold_at}" if self.hold_at else ""
        return f"start {self.run} via {self.endpoint}: {self.ask!r} ({how}{hold})"


@dataclass(frozen=True)
class AwaitHeld:
    """Wait until ``run`` has reached its hold (the graph wrote its ``arrived`` store item)."""

    run: str

    def __str__(self) -> str:
        return f"wait until {self.run} is held"


@dataclass(frozen=True)
class Release:
    """Let ``run`` go on past its hold."""

    run: str

    def __str__(self) -> str:
        return f"release {self.run}"


@dataclass(frozen=True)
class Join:
    """Wait until ``run`` is no longer pending or running."""

    run: str

    def __str__(self) -> str:
        return f"join {self.run}"


Step: TypeAlias = Start | AwaitHeld | Release | Join


# --- expectations ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ThreadMessages:
    """The thread's state holds exactly these messages, in transcript notation."""

    requirement: str
    lines: tuple[str, ...]

    def __str__(self) -> str:
        return f"thread state holds {len(self.lines)} messages"


@dataclass(frozen=True)
class RunStatus:
    """``GET`` of ``run`` answers 200 with this status."""

    requirement: str
    run: str
    status: str

    def __str__(self) -> str:
        return f"{self.run} has status {self.status}"


@dataclass(frozen=True)
class RunGone:
    """``GET`` of ``run`` answers 404."""

    requirement: str
    run: str

    def __str__(self) -> str:
        return f"GET {self.run} answers 404"


@dataclass(frozen=True)
class RunsListed:
    """The thread's runs list holds exactly these runs (any order)."""

    requirement: str
    runs: tuple[str, ...]

    def __str__(self) -> str:
        return f"runs list holds exactly {', '.join(self.runs) or 'nothing'}"


@dataclass(frozen=True)
class Accepted:
    """Creating ``run`` answered 200."""

    requirement: str
    run: str

    def __str__(self) -> str:
        return f"creating {self.run} answered 200"


@dataclass(frozen=True)
class Refused:
    """Creating ``run`` answered one of ``statuses``."""

    requirement: str
    run: str
    statuses: tuple[int, ...] = field(default=tuple(range(400, 500)))

    def __str__(self) -> str:
        codes = "a 4xx" if self.statuses == tuple(range(400, 500)) else " or ".join(map(str, self.statuses))
        return f"creating {self.run} was refused with {codes}"


Expectation: TypeAlias = ThreadMessages | RunStatus | RunGone | RunsListed | Accepted | Refused


@dataclass(frozen=True)
class Scenario:
    """An ordered script of steps on one fresh thread, and what must hold afterwards."""

    id: str
    title: str
    steps: tuple[Step, ...]
    expect: tuple[Expectation, ...]

    @property
    def requirement_ids(self) -> tuple[str, ...]:
        """The requirements this scenario checks, in order of first mention."""
        return tuple(dict.fromkeys(e.requirement for e in self.expect))
