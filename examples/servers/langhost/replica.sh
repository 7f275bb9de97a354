#!/usr/bin/env bash
# Fault actions on a langhost deployment started by start.sh (REPLICAS=N). Usage:
#   replica.sh kill|pause|resume|restart N [DIR]     N: 1-based, in the order of the URLs start.sh printed
#   replica.sh kill-all|restart-all [DIR]            every API replica (not PostgreSQL, not Redis)
# kill: SIGKILL to the replica's process group (its pgid in DIR/pids), wait until its port refuses connections,
#   then drop its line from DIR/pids. pause/resume: SIGSTOP/SIGCONT to the group (resume waits for /ok).
# restart: start it again on the same port with start.sh's command line (serve.sh), in its own process group,
#   recorded in DIR/pids, and wait for /ok. A replica still running is killed first. Prints one line; on
#   failure one line on stderr and a non-zero exit. Every wait is bounded.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/serve.sh"

die() { echo "replica.sh: $*" >&2; exit 1; }
usage="usage: replica.sh kill|pause|resume|restart N [DIR] | replica.sh kill-all|restart-all [DIR]"
action="${1:-}"
case "$action" in
  kill|pause|resume|restart)
    n="${2:-}"; [[ "$n" =~ ^[1-9][0-9]*$ ]] || die "$usage"; dirarg="${3:-}";;
  kill-all|restart-all) dirarg="${2:-}";;
  *) die "$usage";;
esac
[ -z "$dirarg" ] || [ -d "$dirarg" ] || die "no deployment directory $dirarg"
setup langhost ${dirarg:+"$dirarg"}
[ -s "$DIR/url" ] && [ -f "$PIDFILE" ] && [ -f "$DIR/serve.env" ] \
  || die "no running deployment in $DIR (url, pids or serve.env missing): start it with start.sh"
load_serve_env
read -r -a urls < "$DIR/url"
[ -z "${n:-}" ] || [ "$n" -le ${#urls[@]} ] || die "no replica $n: $DIR/url names ${#urls[@]}"
exec 9>"$DIR/.replica.lock"; flock -w 120 9 || die "another replica.sh holds $DIR/.replica.lock"

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f s", b - a }'; }
port_of() { local u="${urls[$(($1 - 1))]:-}"; [ -n "$u" ] || die "no replica $1: $DIR/url has ${#urls[@]}"; echo "${u##*:}"; }
pgid_of() { awk -v n="server-$1" '$1 == n && $2 == "pgid" { print $3 }' "$PIDFILE"; }  # PORT; empty if not recorded
live() { ps -eo pgid=,stat= | awk -v g="$1" '$1 == g && $2 !~ /^Z/' | wc -l; }  # PGID: its processes, zombies aside
stopped_all() { ps -eo pgid=,stat= | awk -v g="$1" '$1 == g && $2 !~ /^Z/ { n++; if ($2 !~ /^T/) r++ } END { exit !(n > 0 && r == 0) }'; }
ours() { ps -ww -eo pgid=,args= | awk -v g="$1" -v p="--port $2 " -v v="$DIR/v/bin/" '$1 == g && index($0, v) && index($0 " ", p) { f = 1 } END { exit !f }'; }
answers() { timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }  # PORT: something accepts connections
until_() {  # SECONDS CMD... : poll CMD every 0.1 s until it succeeds or the deadline passes
  local end; end=$(awk -v a="$(now)" -v s="$1" 'BEGIN { printf "%.3f", a + s }'); shift
  until "$@"; do awk -v e="$end" -v t="$(now)" 'BEGIN { exit !(t > e) }' && return 1; sleep 0.1; done
}
not() { ! "$@"; }
gone() { [ "$(live "$1")" = 0 ] && not answers "$2"; }  # PGID PORT
drop() { local t="$PIDFILE.tmp.$$"; awk -v n="server-$1" '$1 != n' "$PIDFILE" > "$t" && mv "$t" "$PIDFILE"; }  # PORT

running_pgid() {  # N : prints the pgid of replica N, or fails with a message if it is not running
  local port g; port=$(port_of "$1"); g=$(pgid_of "$port")
  [ -n "$g" ] || die "replica $1 (port $port) is not running: no server-$port line in $PIDFILE"
  [ "$(live "$g")" -gt 0 ] || die "replica $1 (port $port): recorded pgid $g has no live process"
  ours "$g" "$port" || die "replica $1: pgid $g is not this deployment's langhost on port $port; not touching it"
  echo "$g"
}

kill_send() {  # N : SIGKILL to replica N's group; prints its pgid
  local g; g=$(running_pgid "$1") || exit 1
  kill -KILL -- "-$g" || die "kill -9 -$g (replica $1) failed"
  echo "$g"
}
kill_wait() {  # N PGID
  local port; port=$(port_of "$1")
  until_ 30 gone "$2" "$port" || die "replica $1 (pgid $2, port $port) still alive or answering 30 s after kill -9"
  drop "$port"
}

restart_start() {  # N : start replica N again (killing what is left of it first); prints a note
  local port g note=""; port=$(port_of "$1"); g=$(pgid_of "$port")
  if [ -n "$g" ] && [ "$(live "$g")" -gt 0 ] && ours "$g" "$port"; then
    kill -KILL -- "-$g" 2>/dev/null || true; until_ 30 gone "$g" "$port" || die "replica $1 (pgid $g) survives kill -9"
    note=", old pgid $g was still running: killed"
  fi
  drop "$port"
  answers "$port" && die "port $port of replica $1 is taken by a process this deployment did not record"
  local logf; logf=$(replica_log "$1")
  [ -f "$logf" ] && mv "$logf" "$logf.prev"
  langhost_serve "$port" "$logf" 9>&-  # the server must not hold the lock
  echo "$note"
}
restart_wait() {  # N NOTE START
  local port; port=$(port_of "$1")
  wait_health "http://127.0.0.1:$port/ok" 90 || die "replica $1 (port $port) not healthy 90 s after restart; see $(replica_log "$1")"
  echo "restarted replica $1 on http://127.0.0.1:$port (pgid $(pgid_of "$port")$2): /ok healthy in $(since "$3")"
}

t0=$(now)
case "$action" in
  kill)
    g=$(kill_send "$n") || exit 1; kill_wait "$n" "$g"
    echo "killed replica $n (http://127.0.0.1:$(port_of "$n"), pgid $g) with SIGKILL: port refuses connections after $(since "$t0")";;
  pause)
    g=$(running_pgid "$n") || exit 1
    kill -STOP -- "-$g" || die "kill -STOP -$g (replica $n) failed"
    until_ 5 stopped_all "$g" || die "replica $n (pgid $g) not all stopped 5 s after SIGSTOP"
    echo "paused replica $n (http://127.0.0.1:$(port_of "$n"), pgid $g) with SIGSTOP in $(since "$t0")";;
  resume)
    g=$(running_pgid "$n") || exit 1; port=$(port_of "$n")
    kill -CONT -- "-$g" || die "kill -CONT -$g (replica $n) failed"
    wait_health "http://127.0.0.1:$port/ok" 30 || die "replica $n (port $port) not healthy 30 s after SIGCONT"
    echo "resumed replica $n (http://127.0.0.1:$port, pgid $g) with SIGCONT: /ok healthy in $(since "$t0")";;
  restart)
    note=$(restart_start "$n") || exit 1; restart_wait "$n" "$note" "$t0";;
  kill-all)
    killed=(); down=()
    for i in $(seq 1 ${#urls[@]}); do
      if g=$(kill_send "$i" 2>/dev/null); then killed+=("$i:$g"); else down+=("$i"); fi
    done
    [ ${#killed[@]} -gt 0 ] || die "no replica of $DIR is running: nothing to kill"
    for k in "${killed[@]}"; do kill_wait "${k%%:*}" "${k#*:}"; done
    what=""; for k in "${killed[@]}"; do what="$what${what:+, }${k%%:*} (pgid ${k#*:})"; done
    echo "killed replicas $what with SIGKILL${down:+ (already down: ${down[*]})}: all ports refuse after $(since "$t0")";;
  restart-all)
    notes=()
    for i in $(seq 1 ${#urls[@]}); do notes+=("$(restart_start "$i")") || exit 1; done
    for i in $(seq 1 ${#urls[@]}); do restart_wait "$i" "${notes[$((i - 1))]}" "$t0" > /dev/null; done
    echo "restarted ${#urls[@]} replicas (${urls[*]}): all /ok healthy in $(since "$t0")";;
esac
