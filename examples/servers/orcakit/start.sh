#!/usr/bin/env bash
# orcakit-cli 2.0.7 (`orcakit dev`: a renamed fork of langgraph-api 0.6.x, orcakit-runner 0.6.3, in-memory
# runtime 0.18.0) serving fixtures/graph.py. Usage: start.sh [DIR]; env PORT PYTHON.
source "$(dirname "$0")/../lib.sh"
setup orcakit "$@"
refuse_if_running
PORT="${PORT:-$(free_port)}"
# langchain-mcp-adapters: a dependency orcakit imports but does not declare
make_venv "$(find_python 3.11)" "$EXAMPLES/orcakit/constraints.txt" orcakit-cli==2.0.7 langchain-mcp-adapters
copy_python_fixture
on_failure_stop
cd "$DIR/app"
# it starts 1 job per worker despite its help text: ask for 10
LANGGRAPH_NO_VERSION_CHECK=true start_group server "$DIR/server.log" "$DIR/v/bin/orcakit" dev --no-browser --no-reload \
  --host 127.0.0.1 --port "$PORT" --config langgraph.json --n-jobs-per-worker 10
wait_health "http://127.0.0.1:$PORT/ok" 90 || { echo "not healthy after 90 s; see $DIR/server.log" >&2; false; }
started "http://127.0.0.1:$PORT"
