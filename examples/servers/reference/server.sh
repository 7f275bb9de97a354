#!/usr/bin/env bash
# The reference's faults: kill (SIGKILL to the process group start.sh recorded) and restart (the same port).
# Usage: server.sh kill|restart DIR
source "$(dirname "$0")/../lib.sh"
action="$1"; shift
setup reference "$@"
port="$(cat "$DIR/port")"
pgid="$(awk '$1 == "server" && $2 == "pgid" {print $3}' "$PIDFILE" | tail -1)"
case "$action" in
  kill)
    kill -KILL -- "-$pgid" 2>/dev/null || { echo "server.sh: the server (pgid $pgid) is not running" >&2; exit 1; }
    for _ in $(seq 1 60); do curl -fsS -m 1 "http://127.0.0.1:$port/ok" >/dev/null 2>&1 || break; sleep 0.25; done
    sed -i "/^server pgid $pgid\$/d" "$PIDFILE"
    echo "killed the server (pgid $pgid)";;
  restart)
    source "$(dirname "$0")/serve.sh"
    reference_serve "$port"
    wait_health "http://127.0.0.1:$port/ok" 90 || { echo "server.sh: not healthy after 90 s" >&2; exit 1; }
    echo "restarted the server on port $port";;
  *) echo "server.sh: kill or restart, not $action" >&2; exit 1;;
esac
