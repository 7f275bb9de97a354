"""Starts langgraph-api 0.6.16 on the Firestore runtime, serving the fixture graph: ``launch.py PORT``.

``langgraph dev`` always picks the in-memory runtime; this calls the same entry point with
``runtime_edition="firestore"`` and an auth handler that gives every request one fixed identity
(with no auth at all, every thread call answers 401). Run from the app directory.
"""

from __future__ import annotations

import sys

from langgraph_api.cli import run_server

run_server("127.0.0.1", int(sys.argv[1]), False, {"agent": "./graph.py:graph"}, n_jobs_per_worker=10,
           open_browser=False, auth={"path": "./auth.py:auth"}, runtime_edition="firestore")  # type: ignore[arg-type]
