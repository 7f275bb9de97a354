#!/usr/bin/env bash
# Every release line of the reference, one after another: started from its pins, run through the suite's default
# lanes, its slim report written to reports/servers/reference-VERSION, stopped. Usage: all.sh [VERSION...]
# (default: every VERSION.txt here, oldest first). Run from the repository's root, with the suite on PATH.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
commit="$(git -C "$here" rev-parse --short HEAD)"
versions=("$@")
[ ${#versions[@]} -gt 0 ] || mapfile -t versions < <(cd "$here" && ls *.txt | sed 's/\.txt$//' | sort -V)
for version in "${versions[@]}"; do
  url="$("$here/start.sh" "$version" | tail -1)"
  full="$(mktemp -d)"
  code=0
  langgraph-conformance run --target-url "$url" --dedicated-target --report-dir "$full" || code=$?
  "$here/stop.sh" "$version"
  [ "$code" -le 1 ] || echo "reference $version: the session ended $code (see $full)" >&2
  langgraph-conformance report slim "$full/report.json" --out "reports/servers/reference-$version" --commit "$commit" \
    --command "langgraph-conformance run --target-url URL --dedicated-target (examples/servers/reference-line $version)"
done
