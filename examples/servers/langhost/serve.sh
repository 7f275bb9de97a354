# The `langhost serve` command line, shared by start.sh and replica.sh. Source it after lib.sh's `setup`.
# start.sh saves the deployment's PGPORT, REDISPORT and DB in $DIR/serve.env; replica.sh loads them from there.

save_serve_env() { printf 'PGPORT=%s\nREDISPORT=%s\nDB=%s\n' "$PGPORT" "$REDISPORT" "$DB" > "$DIR/serve.env"; }
load_serve_env() { source "$DIR/serve.env"; }

replica_log() { [ "$1" = 1 ] && echo "$DIR/server.log" || echo "$DIR/server-$1.log"; }  # N (1-based)

# One API process (with its queue worker, 10 jobs: the suite's scenarios need several runs at once) in its
# own process group, recorded in $DIR/pids as "server-PORT pgid ID". Returns at once: wait for /ok yourself.
langhost_serve() {  # PORT LOG
  ( cd "$DIR/app" && LANGGRAPH_NO_VERSION_CHECK=true start_group "server-$1" "$2" "$DIR/v/bin/langhost" serve --no-browser \
    --host 127.0.0.1 --port "$1" -c langgraph.json --n-jobs-per-worker 10 \
    --database-uri "postgresql://postgres:postgres@127.0.0.1:$PGPORT/$DB" --redis-uri "redis://127.0.0.1:$REDISPORT/0" )
}
