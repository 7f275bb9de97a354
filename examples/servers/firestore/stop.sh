#!/usr/bin/env bash
# Stops what start.sh recorded in DIR/pids (by process group: the server, the emulator's java, its wrapper).
# Usage: stop.sh [DIR]
source "$(dirname "$0")/../lib.sh"
setup firestore "$@"
stop_all
