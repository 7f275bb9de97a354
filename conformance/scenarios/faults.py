"""The fault lane: one scenario per fault the lane knows, each judged by every fault invariant."""

from __future__ import annotations

from conformance.core.faults import FAULT_KINDS
from conformance.scenarios._fault_model import Nemesis

__all__ = ["FAULTS"]

_INVARIANTS = ("FAULT-NO-RUN-LOST", "FAULT-ONE-AT-A-TIME", "FAULT-ROLLBACK-CLEAN", "FAULT-NODE-ONCE",
               "FAULT-THREAD-SETTLES")  # fmt: skip
_TITLES = {"replica-kill": "kill -9 of one API replica (with its worker), then its restart",
           "replica-pause": "one replica stops answering (paused), then comes back",
           "server-kill": "kill -9 of the whole server, then its restart"}  # fmt: skip

FAULTS: tuple[Nemesis, ...] = tuple(Nemesis(f"faults.{kind}", _TITLES[kind], kind, _INVARIANTS) for kind in FAULT_KINDS)
