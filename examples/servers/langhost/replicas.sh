#!/usr/bin/env bash
# langhost with REPLICAS (default 2) API processes over one PostgreSQL and Redis, then the suite's contract
# and race lanes with every URL, then stop. Usage: replicas.sh [REPORT_DIR] [DIR]; extra suite args in $SUITE_ARGS.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
report="${1:-reports/servers/langhost-replicas}"
dir="${2:-${TMPDIR:-/tmp}/langgraph-conformance-servers/langhost-replicas}"
trap '"$here/stop.sh" "$dir"' EXIT
urls="$(REPLICAS="${REPLICAS:-2}" "$here/start.sh" "$dir" | tail -1)"
args=()
for url in $urls; do args+=(--target-url "$url"); done
langgraph-conformance run "${args[@]}" --dedicated-target --lane contract --lane race --report-dir "$report" ${SUITE_ARGS:-}
