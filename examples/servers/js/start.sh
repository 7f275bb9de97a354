#!/usr/bin/env bash
# @langchain/langgraph-api 2.0.0 (`langgraphjs dev`, in-memory, Node >= 20) serving the JS twin of the
# fixture graph (fixtures/js). Usage: start.sh [DIR]; env PORT. Prints the URL last. js-1.5/start.sh runs this
# with JS_RECIPE=js-1.5: the same server, another release pinned by that folder's package files.
source "$(dirname "$0")/../lib.sh"
JS_RECIPE="${JS_RECIPE:-js}"
setup "$JS_RECIPE" "$@"
refuse_if_running
command -v npm >/dev/null || { echo "node/npm not found (Node 20 is needed)" >&2; exit 2; }
PORT="${PORT:-$(free_port)}"
if [ ! -f "$DIR/node_modules/.installed" ]; then
  log "npm install into $DIR/node_modules (log: $DIR/install.log)"
  # exact versions: package.json pins the direct dependencies, package-lock.json the rest (npm install, not
  # npm ci: the lock was written on linux-x64 and lacks other platforms' optional packages)
  cp "$EXAMPLES/$JS_RECIPE/package.json" "$EXAMPLES/$JS_RECIPE/package-lock.json" "$DIR/"
  (cd "$DIR" && timeout 900 npm install --no-audit --no-fund >"$DIR/install.log" 2>&1) \
    || { echo "npm install failed; see $DIR/install.log" >&2; exit 2; }
  touch "$DIR/node_modules/.installed"
fi
# app/ sits under $DIR so that node resolves @langchain/* from $DIR/node_modules
rm -rf "$DIR/app"; mkdir -p "$DIR/app"
cp "$FIXTURES/js/agent.ts" "$FIXTURES/js/langgraph.json" "$FIXTURES/js/package.json" "$DIR/app/"
on_failure_stop
cd "$DIR/app"
start_group server "$DIR/server.log" "$DIR/node_modules/.bin/langgraphjs" dev --no-browser --host 127.0.0.1 --port "$PORT"
wait_health "http://127.0.0.1:$PORT/ok" 90 || { echo "not healthy after 90 s; see $DIR/server.log" >&2; false; }
started "http://127.0.0.1:$PORT"
