#!/usr/bin/env bash
# skeino 4.0.0 (FastAPI under uvicorn, in-memory) serving fixtures/graph.py through skeino_graph.py (a builder
# `(checkpointer) -> graph`: a precompiled graph gets no checkpointer). One graph per process; the assistant
# id is the graph id, `agent`: langgraph-conformance run --target-url "$URL" --assistant-id agent
# Usage: start.sh [DIR]; env PORT PYTHON.
source "$(dirname "$0")/../lib.sh"
setup skeino "$@"
refuse_if_running
PORT="${PORT:-$(free_port)}"
make_venv "$(find_python 3.11)" "$EXAMPLES/skeino/constraints.txt" skeino==4.0.0
copy_python_fixture
cp "$EXAMPLES/skeino/app.py" "$EXAMPLES/skeino/skeino_graph.py" "$DIR/app/"
echo '{"graphs": {"agent": "./skeino_graph.py:graph"}}' > "$DIR/app/langgraph.json"
on_failure_stop
cd "$DIR/app"
start_group server "$DIR/server.log" "$DIR/v/bin/uvicorn" app:app --host 127.0.0.1 --port "$PORT"
# skeino serves /api/health, not /ok
wait_health "http://127.0.0.1:$PORT/api/health" 90 || { echo "not healthy after 90 s; see $DIR/server.log" >&2; false; }
started "http://127.0.0.1:$PORT"
