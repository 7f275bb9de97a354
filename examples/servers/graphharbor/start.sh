#!/usr/bin/env bash
# graphharbor 0.13.0.post45: `graphharbor serve` (HTTP API) + `graphharbor worker` (executes runs; without
# it runs stay pending), a private PostgreSQL and Redis, serving fixtures/graph.py.
# Usage: start.sh [DIR]; env PORT PGPORT REDISPORT PYTHON.
source "$(dirname "$0")/../lib.sh"
setup graphharbor "$@"
refuse_if_running
PORT="${PORT:-$(free_port)}"; PGPORT="${PGPORT:-$(free_port)}"; REDISPORT="${REDISPORT:-$(free_port)}"; DB=graphharbor
make_venv "$(find_python 3.11)" "$EXAMPLES/graphharbor/constraints.txt" graphharbor==0.13.0.post45
copy_python_fixture
on_failure_stop
start_pg "$PGPORT" "$DB"
start_redis "$REDISPORT"
DBURI="postgresql://postgres:postgres@127.0.0.1:$PGPORT/$DB"; RURI="redis://127.0.0.1:$REDISPORT/0"
cd "$DIR/app"
DATABASE_URI="$DBURI" timeout 120 "$DIR/v/bin/graphharbor" migrate upgrade >"$DIR/migrate.log" 2>&1 \
  || { echo "migration failed; see $DIR/migrate.log" >&2; false; }
export LANGGRAPH_NO_VERSION_CHECK=true
start_group server "$DIR/server.log" "$DIR/v/bin/graphharbor" serve --no-browser --host 127.0.0.1 --port "$PORT" \
  -c langgraph.json --n-jobs-per-worker 10 --database-uri "$DBURI" --redis-uri "$RURI"
start_group worker "$DIR/worker.log" "$DIR/v/bin/graphharbor" worker --config langgraph.json \
  --n-jobs-per-worker 10 --database-uri "$DBURI" --redis-uri "$RURI"
wait_health "http://127.0.0.1:$PORT/ok" 90 || { echo "not healthy after 90 s; see $DIR/server.log" >&2; false; }
started "http://127.0.0.1:$PORT"
