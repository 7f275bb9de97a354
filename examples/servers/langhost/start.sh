#!/usr/bin/env bash
# langgraph-runtime-pg 0.11.1.post1 with the `langhost serve` CLI (langgraph-api 0.11.1), a private
# PostgreSQL and Redis, serving fixtures/graph.py. Usage: start.sh [DIR]; env PORT PGPORT REDISPORT PYTHON.
source "$(dirname "$0")/../lib.sh"
setup langhost "$@"
refuse_if_running
PORT="${PORT:-$(free_port)}"; PGPORT="${PGPORT:-$(free_port)}"; REDISPORT="${REDISPORT:-$(free_port)}"; DB=langhost
make_venv "$(find_python 3.11)" "$EXAMPLES/langhost/constraints.txt" langgraph-runtime-pg==0.11.1.post1 langhost==0.11.1.post1
copy_python_fixture
on_failure_stop
start_pg "$PGPORT" "$DB"
start_redis "$REDISPORT"
cd "$DIR/app"
# the default is 1 job per worker: the suite's scenarios need several runs at once
LANGGRAPH_NO_VERSION_CHECK=true start_group server "$DIR/server.log" "$DIR/v/bin/langhost" serve --no-browser \
  --host 127.0.0.1 --port "$PORT" -c langgraph.json --n-jobs-per-worker 10 \
  --database-uri "postgresql://postgres:postgres@127.0.0.1:$PGPORT/$DB" --redis-uri "redis://127.0.0.1:$REDISPORT/0"
wait_health "http://127.0.0.1:$PORT/ok" 90 || { echo "not healthy after 90 s; see $DIR/server.log" >&2; false; }
started "http://127.0.0.1:$PORT"
