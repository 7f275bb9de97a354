#!/usr/bin/env bash
# langgraph-runtime-pg 0.11.1.post1 with the `langhost serve` CLI (langgraph-api 0.11.1), a private
# PostgreSQL and Redis, serving fixtures/graph.py. Usage: start.sh [DIR]; env PORT PGPORT REDISPORT PYTHON.
# REPLICAS=N (default 1) starts N `langhost serve` API processes (each with its queue worker) over the
# one PostgreSQL and Redis: one deployment, N URLs, printed space-separated on the last line.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/serve.sh"
setup langhost "$@"
refuse_if_running
PORT="${PORT:-$(free_port)}"; PGPORT="${PGPORT:-$(free_port)}"; REDISPORT="${REDISPORT:-$(free_port)}"; DB=langhost
make_venv "$(find_python 3.11)" "$EXAMPLES/langhost/constraints.txt" langgraph-runtime-pg==0.11.1.post1 langhost==0.11.1.post1
copy_python_fixture
on_failure_stop
start_pg "$PGPORT" "$DB"
start_redis "$REDISPORT"
save_serve_env
serve() {  # PORT LOG
  langhost_serve "$1" "$2"
  wait_health "http://127.0.0.1:$1/ok" 90 || { echo "not healthy after 90 s; see $2" >&2; false; }
}
urls="http://127.0.0.1:$PORT"
serve "$PORT" "$(replica_log 1)"  # the first alone: it migrates the database
for n in $(seq 2 "${REPLICAS:-1}"); do
  port="$(free_port)"
  serve "$port" "$(replica_log "$n")"
  urls="$urls http://127.0.0.1:$port"
done
started "$urls"
