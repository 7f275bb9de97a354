#!/usr/bin/env bash
# The reference (langgraph-api + langgraph-runtime-inmem, as installed with the suite): `langgraph dev` serving
# the fixture project copied into DIR/app, on one port in its own process group. Usage: start.sh [DIR]; env PORT.
source "$(dirname "$0")/../lib.sh"
setup reference "$@"
refuse_if_running
PORT="${PORT:-$(free_port)}"
echo "$PORT" > "$DIR/port"
on_failure_stop
rm -rf "$DIR/app" && langgraph-conformance fixtures "$DIR/app" >/dev/null
source "$(dirname "$0")/serve.sh"
reference_serve "$PORT"
wait_health "http://127.0.0.1:$PORT/ok" 90 || { echo "not healthy after 90 s; see $DIR/server.log" >&2; false; }
started "http://127.0.0.1:$PORT"
