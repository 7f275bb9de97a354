# Shared helpers for examples/servers/NAME/start.sh and stop.sh. Source it, then call `setup NAME "$@"`.
#
# Each server lives in its own directory, outside the repository:
#   $1, else $CONFORMANCE_SERVER_DIR, else ${CONFORMANCE_SERVERS_ROOT:-${TMPDIR:-/tmp}/langgraph-conformance-servers}/NAME
# holding its venv or node_modules, app/ (a copy of the fixture project), pg/ and redis/ data, *.log,
# `pids` (one line per started thing: "name pgid ID" = a setsid process group, "name pg PID DATADIR" =
# a PostgreSQL postmaster) and `url`. Everything listens on 127.0.0.1; ports come from PORT, PGPORT,
# REDISPORT, or are picked free. stop.sh stops exactly what `pids` names: no pkill, no killall.
set -euo pipefail

EXAMPLES="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$EXAMPLES/../.." && pwd)"
FIXTURES="${CONFORMANCE_FIXTURES:-$REPO/fixtures}"

setup() {  # NAME [DIR]
  NAME="$1"; shift
  DIR="${1:-${CONFORMANCE_SERVER_DIR:-${CONFORMANCE_SERVERS_ROOT:-${TMPDIR:-/tmp}/langgraph-conformance-servers}/$NAME}}"
  mkdir -p "$DIR"; DIR="$(cd "$DIR" && pwd -P)"
  case "$DIR/" in "$(cd "$REPO" && pwd -P)"/*) echo "refusing to install into the repository: $DIR" >&2; exit 2;; esac
  PIDFILE="$DIR/pids"
  PGBIN="${PGBIN:-$(pg_config --bindir 2>/dev/null || ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)}"
}

log() { echo "[$NAME] $*" >&2; }
record() { echo "$*" >> "$PIDFILE"; }

refuse_if_running() {
  if [ -s "$PIDFILE" ]; then echo "$PIDFILE exists: already started? run stop.sh $DIR first" >&2; exit 1; fi
}

free_port() {  # prints a port nobody listens on now (the kernel's pick)
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

find_python() {  # MINOR (e.g. 3.11): $PYTHON, else pythonMINOR on PATH, else a pyenv build
  local minor="$1" p
  if [ -n "${PYTHON:-}" ]; then echo "$PYTHON"; return; fi
  p="$(command -v "python$minor" 2>/dev/null || true)"
  # a pyenv shim exists on PATH even when that version is not active: keep it only if it runs
  if [ -n "$p" ] && ! "$p" -c 'import sys' >/dev/null 2>&1; then p=""; fi
  if [ -z "$p" ] && command -v pyenv >/dev/null 2>&1; then
    p="$(ls -d "$(pyenv root)"/versions/"$minor".*/bin/python"$minor" 2>/dev/null | sort -V | tail -1 || true)"
  fi
  [ -n "$p" ] || { echo "python$minor not found; set PYTHON=/path/to/python$minor" >&2; exit 2; }
  echo "$p"
}

make_venv() {  # PYTHON CONSTRAINTS PACKAGE... : $DIR/v, installed once (pinned by the constraints file)
  local py="$1" constraints="$2"; shift 2
  [ -f "$DIR/v/.installed" ] && return 0
  log "installing $* into $DIR/v (log: $DIR/install.log)"
  rm -rf "$DIR/v"
  "$py" -m venv "$DIR/v"
  timeout 1200 "$DIR/v/bin/pip" install --disable-pip-version-check -c "$constraints" "$@" >"$DIR/install.log" 2>&1 \
    || { echo "pip install failed; see $DIR/install.log" >&2; exit 2; }
  touch "$DIR/v/.installed"
}

copy_python_fixture() {  # fixture graph.py + langgraph.json into $DIR/app
  mkdir -p "$DIR/app"
  cp "$FIXTURES/graph.py" "$FIXTURES/langgraph.json" "$DIR/app/"
}

pg_as_owner() {  # run a command as the data directory's owner (initdb refuses root)
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi
}

start_pg() {  # PORT DB : private cluster in $DIR/pg, trust auth, user postgres / password postgres
  local port="$1" db="$2" dir="$DIR/pg"
  [ -x "$PGBIN/initdb" ] || { echo "PostgreSQL binaries not found; set PGBIN (e.g. /usr/lib/postgresql/15/bin)" >&2; exit 2; }
  mkdir -p "$dir"; [ "$(id -u)" = 0 ] && chown postgres "$dir"
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    pg_as_owner "'$PGBIN/initdb' -D '$dir/data' -U postgres --auth=trust -E UTF8" >"$dir/initdb.log" 2>&1
  fi
  pg_as_owner "'$PGBIN/pg_ctl' -D '$dir/data' -l '$dir/pg.log' -o \"-p $port -k '$dir' -c listen_addresses=127.0.0.1\" -w -t 60 start" >/dev/null
  record "postgres pg $(head -1 "$dir/data/postmaster.pid") $dir/data"
  pg_as_owner "'$PGBIN/psql' -h 127.0.0.1 -p $port -U postgres -tAc \"SELECT 1 FROM pg_database WHERE datname='$db'\"" | grep -q 1 \
    || pg_as_owner "'$PGBIN/createdb' -h 127.0.0.1 -p $port -U postgres $db"
  pg_as_owner "'$PGBIN/psql' -h 127.0.0.1 -p $port -U postgres -qc \"ALTER USER postgres PASSWORD 'postgres'\"" >/dev/null
}

start_redis() {  # PORT : no persistence
  local port="$1" dir="$DIR/redis"
  command -v redis-server >/dev/null || { echo "redis-server not found (apt-get install -y redis-server)" >&2; exit 2; }
  mkdir -p "$dir"
  setsid redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$dir" >"$dir/redis.log" 2>&1 </dev/null &
  record "redis pgid $!"
  for _ in $(seq 1 100); do redis-cli -p "$port" ping >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "redis did not answer on port $port within 10 s" >&2; return 1
}

start_group() {  # NAME LOG CMD... : CMD in a new session (its own process group), recorded by its pgid
  local name="$1" logfile="$2"; shift 2
  setsid "$@" >"$logfile" 2>&1 </dev/null &
  record "$name pgid $!"
}

wait_health() {  # URL SECONDS
  local url="$1" secs="$2"
  for _ in $(seq 1 $((secs * 2))); do
    curl -fsS -m 2 "$url" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  return 1
}

on_failure_stop() { trap '"$EXAMPLES/$NAME/stop.sh" "$DIR" >/dev/null 2>&1 || true' ERR; }

started() {  # URL : the last line of start.sh's output is the URL
  trap - ERR
  echo "$1" > "$DIR/url"
  echo "$1"
}

stop_all() {  # stops what $PIDFILE names, newest first: servers, then redis, then postgres
  [ -f "$PIDFILE" ] || { echo "nothing to stop in $DIR"; return 0; }
  tac "$PIDFILE" | while read -r name kind id extra; do
    case "$kind" in
      pgid)
        kill -TERM -- "-$id" 2>/dev/null || { echo "$name (pgid $id) already gone"; continue; }
        for _ in $(seq 1 20); do kill -0 -- "-$id" 2>/dev/null || break; sleep 0.5; done
        if kill -KILL -- "-$id" 2>/dev/null; then echo "killed $name (pgid $id)"; else echo "stopped $name (pgid $id)"; fi;;
      pg)
        if kill -0 "$id" 2>/dev/null; then
          pg_as_owner "'$PGBIN/pg_ctl' -D '$extra' -m fast -w -t 30 stop" >/dev/null 2>&1 || kill -TERM "$id" 2>/dev/null || true
          echo "stopped $name (postmaster $id)"
        fi;;
    esac
  done
  rm -f "$PIDFILE" "$DIR/url"
}
