# Helpers to run a private, throw-away PostgreSQL server (sourced by test.sh and the benchmark scripts).
# Durability settings are off: these servers hold test data only.

postgres_bin_dir() {
  local ctl
  ctl=$(ls -d /usr/lib/postgresql/*/bin/pg_ctl 2>/dev/null | sort -V | tail -n 1)
  [ -n "$ctl" ] && dirname "$ctl"
}

ensure_postgres_installed() {
  if [ -n "$(postgres_bin_dir)" ]; then
    return 0
  fi
  echo "== installing PostgreSQL from Debian's packages"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null
  [ -n "$(postgres_bin_dir)" ] || { echo "PostgreSQL did not install" >&2; return 1; }
}

free_port() {
  local port
  for port in $(seq "${1:-55432}" 65000); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  return 1
}

# Starts a server in a new temporary directory; sets PG_TEMP_DIR, PG_PORT and PG_CONNECTION.
# PG_DURABLE=1 keeps PostgreSQL's durability defaults (fsync, synchronous commit): what benchmarks measure.
# PG_WARM_WAL=0 leaves a durable server's WAL cold (see warm_postgres_wal).
# PG_OPTIONS adds server settings ("-c name=value ..."), for example pg_stat_statements when profiling.
start_private_postgres() {
  local bin run_as=() durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  [ "${PG_DURABLE:-0}" = "1" ] && durability=""
  bin=$(postgres_bin_dir)
  PG_TEMP_DIR=$(mktemp -d /tmp/leadscoring-pg.XXXXXX)
  PG_PORT=$(free_port 55432)
  # PostgreSQL refuses to run as root: use the postgres account the Debian package creates.
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres "$PG_TEMP_DIR"
    run_as=(runuser -u postgres --)
  fi
  "${run_as[@]}" "$bin/initdb" -D "$PG_TEMP_DIR/data" -U leadscoring -A trust --no-sync -E UTF8 >"$PG_TEMP_DIR/initdb.log" 2>&1 \
    || { cat "$PG_TEMP_DIR/initdb.log" >&2; return 1; }
  "${run_as[@]}" "$bin/pg_ctl" -D "$PG_TEMP_DIR/data" -l "$PG_TEMP_DIR/server.log" -w -t 60 \
    -o "-p $PG_PORT -k $PG_TEMP_DIR -c listen_addresses=127.0.0.1 $durability ${PG_OPTIONS:-}" \
    start >/dev/null || { cat "$PG_TEMP_DIR/server.log" >&2; return 1; }
  PG_CONNECTION="Host=127.0.0.1;Port=$PG_PORT;Username=leadscoring;Database=postgres"
  echo "== private PostgreSQL on 127.0.0.1:$PG_PORT ($PG_TEMP_DIR)"
  if [ "${PG_DURABLE:-0}" = "1" ] && [ "${PG_WARM_WAL:-1}" = "1" ]; then
    warm_postgres_wal
  fi
}

# A server that has been running reuses its WAL segment files: each checkpoint renames the ones it no longer
# needs for the WAL to come. A new server has none, so it creates every 16 MB segment by writing it full of
# zeros and syncing it (wal_init_zero), and at the benchmarks' write rate (8-16 MB of WAL a second) that
# stalled the commits for 30-70 ms every second or two, the tail of every write in a run on a fresh server.
# So a durable server writes about a gigabyte of WAL and checkpoints before it is used, and is measured as
# a long-running one would be (PG_WARM_WAL=0 measures a fresh one).
warm_postgres_wal() {
  local started=$SECONDS
  psql "postgresql://leadscoring@127.0.0.1:$PG_PORT/postgres" -qtA \
    -c "CREATE TABLE leadscoring_wal_warmup AS SELECT repeat('w', 1000) AS filler FROM generate_series(1, 900000)" \
    -c "DROP TABLE leadscoring_wal_warmup" -c "CHECKPOINT" >/dev/null
  echo "== WAL segments written and recycled ($(ls "$PG_TEMP_DIR/data/pg_wal" | grep -c '^[0-9A-F]*$') in pg_wal, $((SECONDS - started)) s)"
}

stop_private_postgres() {
  [ -n "${PG_TEMP_DIR:-}" ] || return 0
  local run_as=()
  [ "$(id -u)" -eq 0 ] && run_as=(runuser -u postgres --)
  "${run_as[@]}" "$(postgres_bin_dir)/pg_ctl" -D "$PG_TEMP_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$PG_TEMP_DIR"
  PG_TEMP_DIR=""
}
