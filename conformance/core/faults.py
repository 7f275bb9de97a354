"""The faults a user gives the fault lane: named, each a command that injects it and one that heals it.

``--faults FILE`` names a TOML file::

    [faults.replica-kill]          # kill -9 of one API replica (with its worker)
    inject = "./replica.sh kill 2"
    heal = "./replica.sh restart 2"
    replica = 2                    # the --target-url (1-based) it takes away; leave out: the whole server

The suite runs each command with ``sh -c`` in the file's directory and never guesses a process
itself: the same lane works against Kubernetes, docker, systemd or a local recipe.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from conformance.core.errors import HarnessError

__all__ = ["FAULT_KINDS", "Fault", "load_faults"]

FAULT_KINDS = ("replica-kill", "replica-pause", "server-kill")
"""The faults the lane has a scenario for: kill -9 of one replica and its restart, a replica that stops
answering and comes back, kill -9 of the whole server and its restart."""
DEFAULT_SECONDS = 3.0
COMMAND_TIMEOUT = 120.0


@dataclass(frozen=True)
class Fault:
    """One named fault: how to inject it, how to heal it, and whom it takes away."""

    name: str
    inject: str
    heal: str
    directory: Path
    replica: int | None = None
    """The 1-based ``--target-url`` the fault takes away (None: every one)."""
    seconds: float = DEFAULT_SECONDS
    """How long the fault lasts before it is healed (the nemesis's schedule, not a wait on the target)."""
    timeout: float = COMMAND_TIMEOUT


def load_faults(path: Path) -> tuple[Fault, ...]:
    """The faults the file names; a malformed file or an unknown fault name is a harness error naming it."""
    try:
        document = tomllib.loads(path.read_text())
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise HarnessError(f"--faults {path}: cannot read it: {exc}") from None
    table = document.get("faults")
    if not isinstance(table, dict) or not table:
        raise HarnessError(f"--faults {path}: no [faults.NAME] table (names: {', '.join(FAULT_KINDS)})")
    faults = []
    for name, spec in table.items():
        if name not in FAULT_KINDS:
            raise HarnessError(f"--faults {path}: unknown fault {name!r}: the lane knows {', '.join(FAULT_KINDS)}")
        if not isinstance(spec, dict) or not all(isinstance(spec.get(k), str) and spec[k] for k in ("inject", "heal")):
            raise HarnessError(f"--faults {path}: [faults.{name}] needs an inject and a heal command")
        replica = spec.get("replica")
        if replica is not None and (not isinstance(replica, int) or replica < 1):
            raise HarnessError(f"--faults {path}: [faults.{name}] replica must be a --target-url number from 1")
        faults.append(Fault(name, spec["inject"], spec["heal"], path.resolve().parent, replica,
                            float(spec.get("seconds", DEFAULT_SECONDS)), float(spec.get("timeout", COMMAND_TIMEOUT))))  # fmt: skip
    return tuple(faults)
