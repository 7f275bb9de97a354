#!/usr/bin/env bash
# langgraph-runtime-firestore 1.0.4 under langgraph-api 0.6.16 (Python 3.11), on the Firestore emulator (Debian's
# google-cloud-cli-firestore-emulator), serving fixtures/graph.py. Usage: start.sh [DIR]; env PORT EPORT PYTHON.
source "$(dirname "$0")/../lib.sh"
setup firestore "$@"
refuse_if_running
PORT="${PORT:-$(free_port)}"; EPORT="${EPORT:-$(free_port)}"
command -v gcloud >/dev/null || { echo "gcloud not found (apt-get install -y google-cloud-cli-firestore-emulator)" >&2; exit 2; }
make_venv "$(find_python 3.11)" "$EXAMPLES/firestore/constraints.txt" langgraph-runtime-firestore==1.0.4 langgraph-api==0.6.16
copy_python_fixture
cp "$EXAMPLES/firestore/launch.py" "$EXAMPLES/firestore/auth.py" "$DIR/app/"
# A made-up service account: the emulator checks no signature, the client library wants a well-formed key.
openssl genrsa 2048 2>/dev/null > "$DIR/app/fake-key.pem"
python3 - "$DIR/app" <<'PY'
import json, sys
key = open(f"{sys.argv[1]}/fake-key.pem").read()
json.dump({"type": "service_account", "project_id": "demo-lg", "private_key_id": "0", "private_key": key,
           "client_email": "fake@demo-lg.iam.gserviceaccount.com", "client_id": "0",
           "token_uri": "https://oauth2.googleapis.com/token"}, open(f"{sys.argv[1]}/fake-sa.json", "w"))
PY
on_failure_stop
start_group emulator-wrapper "$DIR/emulator.log" gcloud emulators firestore start --host-port="127.0.0.1:$EPORT"
# The wrapper starts java in a session of its own: record that process group too, by the PID listening on EPORT.
for _ in $(seq 1 120); do
  JAVA="$( (ss -ltnpH "sport = :$EPORT" 2>/dev/null | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2) || true)"
  [ -n "$JAVA" ] && break; sleep 0.5
done
[ -n "$JAVA" ] || { echo "the Firestore emulator did not listen on $EPORT within 60 s; see $DIR/emulator.log" >&2; false; }
record "emulator pgid $(ps -o pgid= -p "$JAVA" | tr -d ' ')"
cd "$DIR/app"
FIRESTORE_EMULATOR_HOST="127.0.0.1:$EPORT" FIRESTORE_PROJECT_ID=demo-lg FIRESTORE_CREDENTIALS_PATH=fake-sa.json \
  LANGGRAPH_NO_VERSION_CHECK=true start_group server "$DIR/server.log" "$DIR/v/bin/python" launch.py "$PORT"
wait_health "http://127.0.0.1:$PORT/ok" 90 || { echo "not healthy after 90 s; see $DIR/server.log" >&2; false; }
started "http://127.0.0.1:$PORT"
