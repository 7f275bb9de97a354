#!/usr/bin/env bash
# A release line of the reference (langgraph-api VERSION + langgraph-runtime-inmem, `langgraph dev`, in-memory), pinned
# by VERSION.txt beside this script (the `pip freeze` of the tested install), serving the fixture project copied into
# DIR/app on one port in its own process group. Usage: start.sh VERSION [DIR]; env PORT PYTHON.
# DIR defaults to .../langgraph-conformance-servers/reference-VERSION. Needs `langgraph-conformance` on PATH (the suite).
source "$(dirname "$0")/../lib.sh"
[ $# -ge 1 ] || { echo "usage: start.sh VERSION [DIR]; VERSION: $(cd "$EXAMPLES/reference-line" && ls *.txt | sed 's/\.txt$//' | sort -V | xargs)" >&2; exit 2; }
VERSION="$1"; shift
CONSTRAINTS="$EXAMPLES/reference-line/$VERSION.txt"
[ -f "$CONSTRAINTS" ] || { echo "no constraints for langgraph-api $VERSION ($CONSTRAINTS)" >&2; exit 2; }
setup "reference-$VERSION" "$@"
refuse_if_running
command -v langgraph-conformance >/dev/null || { echo "langgraph-conformance not on PATH (it copies the fixture)" >&2; exit 2; }
PORT="${PORT:-$(free_port)}"
echo "$PORT" > "$DIR/port"
# lib.sh's on_failure_stop calls examples/servers/NAME/stop.sh: this recipe's stop.sh takes the version first
trap '"$EXAMPLES/reference-line/stop.sh" "$VERSION" "$DIR" >/dev/null 2>&1 || true' ERR
# langgraph-cli: the newest whose [inmem] extra admits the line (pinned in VERSION.txt)
make_venv "$(find_python 3.11)" "$CONSTRAINTS" "langgraph-cli[inmem]" "langgraph-api==$VERSION"
installed="$("$DIR/v/bin/python" -c 'import importlib.metadata as m; print(m.version("langgraph-api"))')"
[ "$installed" = "$VERSION" ] || { echo "$DIR/v has langgraph-api $installed, not $VERSION: name another DIR" >&2; exit 2; }
rm -rf "$DIR/app" && langgraph-conformance fixtures "$DIR/app" >/dev/null
( cd "$DIR/app" && LANGGRAPH_NO_VERSION_CHECK=true start_group server "$DIR/server.log" "$DIR/v/bin/langgraph" dev \
  --no-browser --no-reload --host 127.0.0.1 --port "$PORT" --config langgraph.json --n-jobs-per-worker 16 )
wait_health "http://127.0.0.1:$PORT/ok" 90 || { echo "not healthy after 90 s; see $DIR/server.log" >&2; false; }
started "http://127.0.0.1:$PORT"
