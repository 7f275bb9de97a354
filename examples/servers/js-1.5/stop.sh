#!/usr/bin/env bash
# Stops what start.sh recorded in DIR/pids (by process group / postmaster PID). Usage: stop.sh [DIR]
source "$(dirname "$0")/../lib.sh"
setup js-1.5 "$@"
stop_all
