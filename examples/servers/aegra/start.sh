#!/usr/bin/env bash
# aegra 0.11.0 (`aegra dev`, aegra-api + aegra-cli, Python >= 3.12: on 3.11 pip silently picks 0.6.0) with a
# private PostgreSQL, serving fixtures/graph.py. AEGRA_REDIS=1 adds a Redis broker.
# Usage: start.sh [DIR]; env PORT PGPORT REDISPORT PYTHON AEGRA_REDIS.
source "$(dirname "$0")/../lib.sh"
setup aegra "$@"
refuse_if_running
PORT="${PORT:-$(free_port)}"; PGPORT="${PGPORT:-$(free_port)}"; DB=aegra
make_venv "$(find_python 3.12)" "$EXAMPLES/aegra/constraints.txt" aegra-api==0.11.0 aegra-cli==0.11.0
mkdir -p "$DIR/app"; cp "$FIXTURES/graph.py" "$DIR/app/"
# aegra reads aegra.json (graphs only) and .env from its working directory; noop auth = no credentials
echo '{"graphs": {"agent": "./graph.py:graph"}}' > "$DIR/app/aegra.json"
cat > "$DIR/app/.env" <<ENV
POSTGRES_USER=postgres
POSTGRES_PASSWORD=postgres
POSTGRES_HOST=127.0.0.1
POSTGRES_PORT=$PGPORT
POSTGRES_DB=$DB
AUTH_TYPE=noop
ENV
on_failure_stop
start_pg "$PGPORT" "$DB"
if [ "${AEGRA_REDIS:-0}" = 1 ]; then
  REDISPORT="${REDISPORT:-$(free_port)}"
  start_redis "$REDISPORT"
  printf 'REDIS_BROKER_ENABLED=true\nREDIS_URL=redis://127.0.0.1:%s/2\n' "$REDISPORT" >> "$DIR/app/.env"
fi
cd "$DIR/app"
start_group server "$DIR/server.log" "$DIR/v/bin/aegra" dev --no-db-check --no-reload --host 127.0.0.1 --port "$PORT"
# aegra serves /health, not /ok
wait_health "http://127.0.0.1:$PORT/health" 120 || { echo "not healthy after 120 s; see $DIR/server.log" >&2; false; }
started "http://127.0.0.1:$PORT"
