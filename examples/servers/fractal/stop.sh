#!/usr/bin/env bash
# Stops what start.sh recorded in DIR/pids (by process group). fractal ignores SIGTERM: stop_all sends
# SIGKILL to the same group after 10 s. Usage: stop.sh [DIR]
source "$(dirname "$0")/../lib.sh"
setup fractal "$@"
stop_all
