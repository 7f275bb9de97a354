#!/usr/bin/env bash
# langhost with two API replicas over one PostgreSQL and Redis, then the suite's fault lane with the faults of
# faults.toml (replica 2 killed, paused; both killed), then stop. Usage: faults.sh [REPORT_DIR] [DIR];
# extra suite args in $SUITE_ARGS. LG_BG_JOB_HEARTBEAT (default here 5 s) is langhost's heartbeat: a run whose
# worker died is requeued after about two of them (its own default, 120 s, takes about 4 minutes).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
report="${1:-reports/servers/langhost-faults}"
dir="${2:-${TMPDIR:-/tmp}/langgraph-conformance-servers/langhost-faults}"
trap '"$here/stop.sh" "$dir"' EXIT
export LG_BG_JOB_HEARTBEAT="${LG_BG_JOB_HEARTBEAT:-5}"  # also for the replicas the faults restart
urls="$(REPLICAS=2 "$here/start.sh" "$dir" | tail -1)"
args=()
for url in $urls; do args+=(--target-url "$url"); done
LANGHOST_DIR="$dir" langgraph-conformance run "${args[@]}" --dedicated-target --lane faults \
  --faults "$here/faults.toml" --wait-timeout 60 --report-dir "$report" ${SUITE_ARGS:-}
