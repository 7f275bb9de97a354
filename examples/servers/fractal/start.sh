#!/usr/bin/env bash
# fractal-agents-runtime 0.1.1 (Robyn, Python 3.12) serving fixtures/graph.py through launch.py, with local
# HS256 bearer auth. Prints the URL last; the header the suite must send is in DIR/header, and the id of the
# assistant it creates for the fixture graph (fractal has none until one is created) in DIR/assistant:
#   langgraph-conformance run --target-url "$URL" --header "$(cat DIR/header)" --assistant-id "$(cat DIR/assistant)"
# Usage: start.sh [DIR]; env PORT PYTHON.
source "$(dirname "$0")/../lib.sh"
setup fractal "$@"
refuse_if_running
PORT="${PORT:-$(free_port)}"
make_venv "$(find_python 3.12)" "$EXAMPLES/fractal/constraints.txt" fractal-agents-runtime==0.1.1
copy_python_fixture
cp "$EXAMPLES/fractal/launch.py" "$DIR/app/"
SECRET="$(python3 -c 'import secrets; print(secrets.token_hex(32))')"
echo "Authorization=Bearer $(python3 "$EXAMPLES/fractal/token.py" "$SECRET")" > "$DIR/header"
on_failure_stop
cd "$DIR/app"
# Supabase is never reached (an unused port): tokens are checked locally against SUPABASE_JWT_SECRET.
SUPABASE_URL="http://127.0.0.1:$(free_port)" SUPABASE_KEY=dummy SUPABASE_JWT_SECRET="$SECRET" \
  ROBYN_HOST=127.0.0.1 ROBYN_PORT="$PORT" start_group server "$DIR/server.log" "$DIR/v/bin/python" launch.py
wait_health "http://127.0.0.1:$PORT/ok" 90 || wait_health "http://127.0.0.1:$PORT/health" 5 \
  || { echo "not healthy after 90 s; see $DIR/server.log" >&2; false; }
AUTH="Authorization: $(cut -d= -f2- "$DIR/header")"
curl -fsS -m 10 -X POST "http://127.0.0.1:$PORT/assistants" -H "$AUTH" -H content-type:application/json \
  -d '{"graph_id": "agent", "name": "conformance fixture"}' \
  | python3 -c 'import json, sys; print(json.load(sys.stdin)["assistant_id"])' > "$DIR/assistant"
started "http://127.0.0.1:$PORT"
