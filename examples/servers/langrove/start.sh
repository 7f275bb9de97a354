#!/usr/bin/env bash
# langrove 0.3.0 (Python >= 3.12): `langrove serve` (HTTP API) + `langrove worker` (Celery on an asyncio pool;
# without it runs stay pending), a private PostgreSQL and Redis, serving fixtures/graph.py.
# Usage: start.sh [DIR]; env PORT PGPORT REDISPORT PYTHON.
source "$(dirname "$0")/../lib.sh"
setup langrove "$@"
refuse_if_running
PORT="${PORT:-$(free_port)}"; PGPORT="${PGPORT:-$(free_port)}"; REDISPORT="${REDISPORT:-$(free_port)}"; DB=langrove
make_venv "$(find_python 3.12)" "$EXAMPLES/langrove/constraints.txt" langrove==0.3.0
copy_python_fixture
on_failure_stop
start_pg "$PGPORT" "$DB"
start_redis "$REDISPORT"
cd "$DIR/app"
# Settings come from LANGROVE_* (a .env would override them: app/ has none). `--config` only names the file
# whose `env` is loaded; serve and worker read the graphs from LANGROVE_CONFIG_PATH (default: ./langgraph.json).
export LANGROVE_DATABASE_URL="postgresql://postgres:postgres@127.0.0.1:$PGPORT/$DB"
export LANGROVE_REDIS_URL="redis://127.0.0.1:$REDISPORT/0"
export LANGROVE_CONFIG_PATH="$DIR/app/langgraph.json"
export LANGROVE_WORKER_CONCURRENCY=16
timeout 120 "$DIR/v/bin/langrove" migrate >"$DIR/migrate.log" 2>&1 \
  || { echo "migration failed; see $DIR/migrate.log" >&2; false; }
start_group server "$DIR/server.log" "$DIR/v/bin/langrove" serve --host 127.0.0.1 --port "$PORT"
start_group worker "$DIR/worker.log" "$DIR/v/bin/langrove" worker
wait_health "http://127.0.0.1:$PORT/ok" 90 || { echo "not healthy after 90 s; see $DIR/server.log" >&2; false; }
started "http://127.0.0.1:$PORT"
