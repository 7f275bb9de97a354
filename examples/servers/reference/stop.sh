#!/usr/bin/env bash
# Stops what start.sh recorded in DIR/pids (by process group). Usage: stop.sh [DIR]
source "$(dirname "$0")/../lib.sh"
setup reference "$@"
stop_all
