#!/usr/bin/env bash
# Stops what start.sh recorded in DIR/pids (by process group). Usage: stop.sh VERSION [DIR]
source "$(dirname "$0")/../lib.sh"
[ $# -ge 1 ] || { echo "usage: stop.sh VERSION [DIR]" >&2; exit 2; }
VERSION="$1"; shift
setup "reference-$VERSION" "$@"
stop_all
