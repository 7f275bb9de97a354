#!/usr/bin/env bash
# arcsitegraph 0.1.16 (`arcsitegraph up`, an early snapshot of aegra; Python 3.12) with a private PostgreSQL,
# serving fixtures/graph.py. Usage: start.sh [DIR]; env PORT PGPORT PYTHON.
source "$(dirname "$0")/../lib.sh"
setup arcsitegraph "$@"
refuse_if_running
PORT="${PORT:-$(free_port)}"; PGPORT="${PGPORT:-$(free_port)}"; DB=arcsitegraph
make_venv "$(find_python 3.12)" "$EXAMPLES/arcsitegraph/constraints.txt" arcsitegraph==0.1.16
mkdir -p "$DIR/app"; cp "$FIXTURES/graph.py" "$DIR/app/"
# `agent` only: arcsitegraph loads the fixture's graph factory `agent-slow-start` (./graph.py:slow_start) but calls it
# without its config, and every run of it fails (TypeError: slow_start() missing 1 required positional argument:
# 'config'), the race lane's unheld storms included; without it the `first-starting` scenarios are skipped, named.
echo '{"graphs": {"agent": "./graph.py:graph"}}' > "$DIR/app/aegra.json"
on_failure_stop
start_pg "$PGPORT" "$DB"
cd "$DIR/app"
# It runs its migrations with the `alembic` on PATH: the venv's. Its database pool defaults to 2 connections and
# no overflow: under the suite's 16 scenarios at once requests wait 30 s for a connection, then fail.
PATH="$DIR/v/bin:$PATH" SA_POOL_SIZE=20 SA_MAX_OVERFLOW=10 LG_POOL_SIZE=20 DATABASE_URL="postgresql+asyncpg://postgres:postgres@127.0.0.1:$PGPORT/$DB" AUTH_TYPE=noop \
  start_group server "$DIR/server.log" "$DIR/v/bin/arcsitegraph" up --host 127.0.0.1 --port "$PORT" --config aegra.json
wait_health "http://127.0.0.1:$PORT/health" 120 || { echo "not healthy after 120 s; see $DIR/server.log" >&2; false; }
started "http://127.0.0.1:$PORT"
