"""A store-less target for the project's tests: the reference behind a proxy that hides its store.

``store-hidden`` answers 404 to every ``/store/...`` request, and sets the fixture's store
directives (``hold_token``, ``record_token``) to null in every run it creates: the graph then never
touches the store it has inside the server, as on a server whose graph has none. The suite sees
what it sees on such a server: no hold through the store, timed holds, no graph records.
``store-hidden-never-running`` also shows every ``running`` run as ``pending``, as a server does
whose runs go from ``pending`` to their end; ``store-hidden-overlap``'s runs list shows a queued run
``running`` beside the running one, as a server that executes both would. Registered in ``tests/mutants/proxy.py``:
``start_proxy(upstream, "store-hidden", workdir)``.
"""

from __future__ import annotations

from tests.mutants.catalog import Exchange, Mutant, list_shows_queued_running

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


def _never_running(x: Exchange) -> None:
    for run in x.run_objects():
        if run.get("status") == "running":
            run["status"] = "pending"


STORE_HIDDEN: dict[str, Mutant] = {
    "store-hidden": Mutant("store-hidden", (), on_request=_hide_store,
                           note="no store: /store answers 404, and the graph is given no hold or record token"),
    "store-hidden-never-running": Mutant("store-hidden-never-running", (), on_request=_hide_store,
                                         on_response=_never_running,
                                         note="no store, and a run goes from pending to its end: never running"),
    "store-hidden-overlap": Mutant("store-hidden-overlap", ("THREAD-ONE-RUN-AT-A-TIME",), on_request=_hide_store,
                                   on_response=list_shows_queued_running,
                                   note="no store, and the runs list shows a queued run running beside the first"),
}  # fmt: skip
