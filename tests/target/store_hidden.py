"""A store-less target for the project's tests: the reference behind a proxy that hides its store.

``store-hidden`` answers 404 to every ``/store/...`` request, and takes the fixture's store
directives (``hold_token``, ``record_token``) out of every run it creates: the graph then never
touches the store it has inside the server, as on a server whose graph has none. The suite sees
what it sees on such a server: no hold through the store, timed holds, no graph records.
Registered in ``tests/mutants/proxy.py``; ``start_proxy(upstream, "store-hidden", workdir)``.
"""

from __future__ import annotations

from tests.mutants.catalog import Exchange, Mutant

__all__ = ["STORE_HIDDEN"]

_STORE_DIRECTIVES = ("hold_token", "record_token")


def _hide_store(x: Exchange) -> None:
    if x.path == "/store" or x.path.startswith("/store/"):
        x.status, x.reply = 404, {"detail": "Not Found"}
        return
    config = x.body.get("config") if x.method == "POST" and isinstance(x.body, dict) else None
    configurable = config.get("configurable") if isinstance(config, dict) else None
    if isinstance(configurable, dict):
        for key in _STORE_DIRECTIVES:
            if configurable.get(key) is not None:
                configurable[key] = None


STORE_HIDDEN: dict[str, Mutant] = {
    "store-hidden": Mutant("store-hidden", (), on_request=_hide_store,
                           note="no store: /store answers 404, and the graph is given no hold or record token"),
}  # fmt: skip
