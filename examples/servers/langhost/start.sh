#!/usr/bin/env bash
# langgraph-runtime-pg 0.11.1.post1 with the `langhost serve` CLI (langgraph-api 0.11.1), a private
# PostgreSQL and Redis, serving fixtures/graph.py. Usage: start.sh [DIR]; env PORT PGPORT REDISPORT PYTHON.
# REPLICAS=N (default 1) starts N `langhost serve` API processes (each with its queue worker) over the
# one PostgreSQL and Redis: one deployment, N URLs, printed space-separated on the last line.
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
serve() {  # PORT LOG
  LANGGRAPH_NO_VERSION_CHECK=true start_group "server-$1" "$2" "$DIR/v/bin/langhost" serve --no-browser \
    --host 127.0.0.1 --port "$1" -c langgraph.json --n-jobs-per-worker 10 \
    --database-uri "postgresql://postgres:postgres@127.0.0.1:$PGPORT/$DB" --redis-uri "redis://127.0.0.1:$REDISPORT/0"
  wait_health "http://127.0.0.1:$1/ok" 90 || { echo "not healthy after 90 s; see $2" >&2; false; }
}
urls="http://127.0.0.1:$PORT"
serve "$PORT" "$DIR/server.log"  # the first alone: it migrates the database
for n in $(seq 2 "${REPLICAS:-1}"); do
  port="$(free_port)"
  serve "$port" "$DIR/server-$n.log"
  urls="$urls http://127.0.0.1:$port"
done
started "$urls"
