"""What a number of repetitions rules out: the power statement of a race scenario.

With no violation in R independent repetitions, every violation rate ``p`` with
``1 - (1 - p) ** R >= 95 %`` would have shown at least once with 95 % probability; the
statement names the least such rate as "1 of N repetitions".
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

__all__ = ["CONFIDENCE", "Power", "repetitions_for", "rules_out"]

CONFIDENCE = 0.95


def rules_out(repetitions: int) -> int:
    """N such that a violation in 1 of N repetitions or more shows in ``repetitions`` with 95 % probability."""
    if repetitions < 1:
        return 0
    least_rate = 1.0 - (1.0 - CONFIDENCE) ** (1.0 / repetitions)
    return max(1, math.floor(1.0 / least_rate + 1e-9))


def repetitions_for(rate: float) -> int:
    """The least repetitions that find a violation of per-repetition ``rate`` with 95 % probability."""
    if rate >= 1.0:
        return 1
    return math.ceil(math.log(1.0 - CONFIDENCE) / math.log(1.0 - rate))


def _rate(repetitions: int) -> str:
    """The least rate ruled out, in words: "1 of 13 repetitions"; above one in two, a percentage."""
    n = rules_out(repetitions)
    if n >= 2:
        return f"1 of {n} repetitions"
    return f"{1.0 - (1.0 - CONFIDENCE) ** (1.0 / repetitions):.0%} of repetitions"


@dataclass(frozen=True)
class Power:
    """The repetitions a storm ran (of those planned), and in how many a violation showed."""

    ran: int
    planned: int
    violated: int

    @property
    def underpowered(self) -> bool:
        """Whether ``--race-budget`` cut repetitions."""
        return self.ran < self.planned

    def statement(self) -> str:
        """One line for the report: k of R, or what no violation in R rules out."""
        if self.violated:
            said = f"violated in {self.violated} of {self.ran} repetitions"
        else:
            said = (f"no violation in {self.ran} repetitions: a violation occurring in {_rate(self.ran)} "
                    f"or more would have been seen with {CONFIDENCE:.0%} probability")  # fmt: skip
        if self.underpowered:
            said = f"underpowered: --race-budget let {self.ran} of {self.planned} repetitions run; {said}"
        return said

    def as_dict(self) -> dict[str, Any]:
        return {"repetitions": self.ran, "planned": self.planned, "violated": self.violated,
                "underpowered": self.underpowered, "power": self.statement()}  # fmt: skip
