# The reference's command line, shared by start.sh and server.sh. Source it after lib.sh's `setup`.
reference_serve() {  # PORT : langgraph dev in $DIR/app, its own process group, recorded as "server pgid ID"
  ( cd "$DIR/app" && LANGGRAPH_NO_VERSION_CHECK=true start_group server "$DIR/server.log" langgraph dev --no-browser \
    --no-reload --host 127.0.0.1 --port "$1" --config langgraph.json --n-jobs-per-worker 16 )
}
