# The durable PostgreSQL that ./run.sh keeps for a user who names no database of their own (sourced by run.sh,
# after scripts/postgres.sh). Its data lives outside the repository and survives every stop; it listens on
# 127.0.0.1 only, runs while ./run.sh runs, and the product connects to it as a role that owns nothing
# (docs/operations.md, "The local database").

LOCAL_OWNER=leadscoring_owner
LOCAL_ROLE=leadscoring
LOCAL_DATABASE=leadscoring
LOCAL_PG_STARTED=0
LOCAL_PG_JOINED=0

# PostgreSQL runs as the postgres account when the user is root, and that account cannot enter /root: root's
# data goes where services keep theirs.
local_data_dir() {
  if [ -n "${LEADSCORING_DATA_DIR:-}" ]; then
    echo "$LEADSCORING_DATA_DIR"
  elif [ "$(id -u)" -eq 0 ] && [ -z "${XDG_DATA_HOME:-}" ]; then
    echo /var/lib/leadscoring
  else
    echo "${XDG_DATA_HOME:-$HOME/.local/share}/leadscoring"
  fi
}

local_config_dir() { echo "${XDG_CONFIG_HOME:-$HOME/.config}/leadscoring"; }

# The roles' passwords, beside the data key, in libpq's password-file format ("host:port:database:role:password").
local_password_file() { echo "$(local_config_dir)/postgres.pgpass"; }

local_password() { awk -F: -v role="$1" '$4 == role { print $5 }' "$(local_password_file)"; }

ensure_local_passwords() {
  local file role
  file=$(local_password_file)
  [ -s "$file" ] && return 0
  mkdir -p "$(dirname "$file")"
  (umask 077 && for role in "$LOCAL_OWNER" "$LOCAL_ROLE"; do
    echo "127.0.0.1:*:*:$role:$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  done >"$file")
}

# The binaries of the PostgreSQL version that wrote the data (a Debian upgrade can install a newer one beside
# it), else the newest installed.
local_bin_dir() {
  local version
  if [ -f "$LOCAL_PG_DATA/PG_VERSION" ]; then
    version=$(cat "$LOCAL_PG_DATA/PG_VERSION")
    if [ ! -x "/usr/lib/postgresql/$version/bin/pg_ctl" ]; then
      echo "$LOCAL_PG_DATA was written by PostgreSQL $version, which is not installed: install postgresql-$version" >&2
      return 1
    fi
    echo "/usr/lib/postgresql/$version/bin"
  else
    postgres_bin_dir
  fi
}

# A server tool (initdb, pg_ctl) as the account that owns the data.
local_server_tool() {
  local tool
  tool="$(local_bin_dir)/$1" || return 1
  shift
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$tool" "$@"
  else
    "$tool" "$@"
  fi
}

# A client tool (psql, pg_dump, pg_restore) of the server's version, as the owner.
local_client_tool() {
  local tool
  tool="$(local_bin_dir)/$1" || return 1
  shift
  PGPASSFILE=$(local_password_file) PGOPTIONS="-c client_min_messages=warning" "$tool" -h 127.0.0.1 -p "$LOCAL_PG_PORT" -U "$LOCAL_OWNER" "$@"
}

# SQL on standard input, not in psql's arguments, where any user's ps would see a password.
local_sql() { printf '%s\n' "$1" | local_client_tool psql -X -qtA -v ON_ERROR_STOP=1 -d "${2:-postgres}"; }

local_pg_running() {
  [ -f "$LOCAL_PG_DATA/postmaster.pid" ] && local_server_tool pg_ctl -D "$LOCAL_PG_DATA" status >/dev/null 2>&1
}

init_local_postgres() {
  local password_file
  mkdir -p "$LOCAL_PG_DATA"
  chmod 700 "$LOCAL_PG_DATA"
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres "$LOCAL_PG_DATA"
    runuser -u postgres -- test -w "$LOCAL_PG_DATA" \
      || { echo "the postgres account cannot reach $LOCAL_PG_DATA: choose a LEADSCORING_DATA_DIR it can enter" >&2; return 1; }
  fi
  ensure_local_passwords
  password_file=$(mktemp)
  local_password "$LOCAL_OWNER" >"$password_file"
  [ "$(id -u)" -eq 0 ] && chown postgres "$password_file"
  echo "== creating the local database in $LOCAL_PG_DATA"
  local_server_tool initdb -D "$LOCAL_PG_DATA" -U "$LOCAL_OWNER" --pwfile="$password_file" -A scram-sha-256 \
    -E UTF8 --locale=C.UTF-8 --data-checksums >"$LOCAL_PG_DATA.initdb.log" 2>&1 \
    || { rm -f "$password_file"; cat "$LOCAL_PG_DATA.initdb.log" >&2; return 1; }
  rm -f "$password_file" "$LOCAL_PG_DATA.initdb.log"
  # docs/operations.md, "PostgreSQL": loopback only, and WAL kept for a burst after quiet hours.
  cat >>"$LOCAL_PG_DATA/postgresql.conf" <<'CONF'

# LeadScoring's local database (./run.sh): docs/operations.md, "The local database"
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
min_wal_size = 1GB
max_wal_size = 4GB
CONF
}

# Starts (or, when a server already runs on the data, joins) the local database; exports LEADSCORING_POSTGRES as
# the product's role and LEADSCORING_POSTGRES_OWNER as the schema's owner.
start_local_postgres() {
  LOCAL_PG_DATA="$(local_data_dir)/postgres"
  ensure_postgres_installed || return 1
  [ -f "$LOCAL_PG_DATA/PG_VERSION" ] || init_local_postgres || return 1
  local_bin_dir >/dev/null || return 1
  if local_pg_running; then
    LOCAL_PG_PORT=$(sed -n 4p "$LOCAL_PG_DATA/postmaster.pid")
    LOCAL_PG_JOINED=1
  else
    LOCAL_PG_PORT=$(free_port 54320)
    local_server_tool pg_ctl -D "$LOCAL_PG_DATA" -l "$LOCAL_PG_DATA/server.log" -w -t 120 -o "-p $LOCAL_PG_PORT" start >/dev/null \
      || { tail -n 20 "$LOCAL_PG_DATA/server.log" >&2; return 1; }
    LOCAL_PG_STARTED=1
  fi
  [ "$(local_sql "SELECT count(*) FROM pg_database WHERE datname = '$LOCAL_DATABASE'")" = 1 ] \
    || local_sql "CREATE DATABASE $LOCAL_DATABASE" >/dev/null
  local_sql "DO \$\$ BEGIN CREATE ROLE $LOCAL_ROLE LOGIN PASSWORD '$(local_password "$LOCAL_ROLE")';
             EXCEPTION WHEN duplicate_object THEN NULL; END \$\$" >/dev/null
  LEADSCORING_POSTGRES_OWNER=$(local_connection "$LOCAL_OWNER")
  LEADSCORING_POSTGRES=$(local_connection "$LOCAL_ROLE")
  export LEADSCORING_POSTGRES LEADSCORING_POSTGRES_OWNER
}

# The Npgsql connection string of role $1 to the local database on LOCAL_PG_PORT.
local_connection() {
  echo "Host=127.0.0.1;Port=$LOCAL_PG_PORT;Database=$LOCAL_DATABASE;Username=$1;Password=$(local_password "$1")"
}

# The product's connection string while ./run.sh runs: for another service that joins the cluster as a client.
local_running_connection() {
  LOCAL_PG_DATA="$(local_data_dir)/postgres"
  if ! local_pg_running; then
    echo "the local database is not running: start ./run.sh first" >&2
    return 1
  fi
  LOCAL_PG_PORT=$(sed -n 4p "$LOCAL_PG_DATA/postmaster.pid")
  local_connection "$LOCAL_ROLE"
}

# Stops the server only when this run started it.
stop_local_postgres() {
  if [ "$LOCAL_PG_STARTED" = 1 ]; then
    local_server_tool pg_ctl -D "$LOCAL_PG_DATA" -m fast -w -t 120 stop >/dev/null || true
    LOCAL_PG_STARTED=0
  fi
}

# Fails when a LeadScoring process (or anything else) is connected to the local database.
refuse_while_connected() {
  local connected
  connected=$(local_sql "SELECT count(*) FROM pg_stat_activity WHERE datname = '$LOCAL_DATABASE' AND pid <> pg_backend_pid()")
  if [ "$connected" != 0 ]; then
    echo "LeadScoring is running on $LOCAL_PG_DATA ($connected connections): stop ./run.sh first" >&2
    return 1
  fi
}

# Asks for the word "$1" on a terminal unless --yes was given.
confirm() {
  local word=$1 question=$2 answer
  [ "${CONFIRMED:-0}" = 1 ] && return 0
  if [ ! -t 0 ]; then
    echo "$question Not on a terminal, so nothing was done: add --yes to confirm." >&2
    return 1
  fi
  read -r -p "$question Type \"$word\" to go on: " answer
  [ "$answer" = "$word" ] || { echo "nothing was done" >&2; return 1; }
}

local_backup() {
  local file=$1 bytes
  LOCAL_PG_DATA="$(local_data_dir)/postgres"
  [ -f "$LOCAL_PG_DATA/PG_VERSION" ] || { echo "backup: no local data in $LOCAL_PG_DATA" >&2; return 1; }
  start_local_postgres || return 1
  # Written beside the target and moved into place once complete, so a failed dump never looks like a backup;
  # readable by its owner only, like the database it copies.
  if (umask 077 && local_client_tool pg_dump -d "$LOCAL_DATABASE" --format=custom \
      --exclude-table-data=orleansmembershiptable --exclude-table-data=orleansmembershipversiontable \
      -f "$file.partial") && mv "$file.partial" "$file"; then
    bytes=$(stat -c %s "$file")
    echo "backup of $LOCAL_PG_DATA written to $file ($bytes bytes)."
    echo "Personal data in it is sealed with the data key $(local_config_dir)/data.key: keep that key with the backup."
  else
    rm -f "$file.partial"
    stop_local_postgres
    return 1
  fi
  stop_local_postgres
}

local_restore() {
  local file=$1
  [ -r "$file" ] || { echo "restore: cannot read $file" >&2; return 1; }
  ensure_postgres_installed || return 1
  "$(postgres_bin_dir)/pg_restore" --list "$file" >/dev/null 2>&1 \
    || { echo "restore: $file is not a backup made by ./run.sh backup (pg_dump's custom format)" >&2; return 1; }
  start_local_postgres || return 1
  if ! refuse_while_connected; then
    stop_local_postgres
    return 1
  fi
  if [ "$(local_sql "SELECT to_regclass('leadscoring_schema_migrations') IS NOT NULL" "$LOCAL_DATABASE")" = t ] \
      && ! confirm restore "This replaces every lead, score and model in $LOCAL_PG_DATA with the backup $file."; then
    stop_local_postgres
    return 1
  fi
  # Restored into a database of its own and renamed only once complete: a failed restore leaves the data as it was.
  local_sql "DROP DATABASE IF EXISTS ${LOCAL_DATABASE}_restoring" >/dev/null
  local_sql "CREATE DATABASE ${LOCAL_DATABASE}_restoring" >/dev/null
  # The backup grants the tables to the product's group role, which lives outside any one database.
  local_sql "DO \$\$ BEGIN CREATE ROLE leadscoring_app NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END \$\$" >/dev/null
  if ! local_client_tool pg_restore --no-owner --exit-on-error -d "${LOCAL_DATABASE}_restoring" "$file"; then
    local_sql "DROP DATABASE ${LOCAL_DATABASE}_restoring" >/dev/null
    stop_local_postgres
    echo "restore of $file failed: the data is as it was" >&2
    return 1
  fi
  local_sql "DROP DATABASE $LOCAL_DATABASE" >/dev/null
  local_sql "ALTER DATABASE ${LOCAL_DATABASE}_restoring RENAME TO $LOCAL_DATABASE" >/dev/null
  stop_local_postgres
  echo "restored $file into $LOCAL_PG_DATA: ./run.sh starts on it (personal data needs the data key it was sealed with)."
}

local_reset() {
  LOCAL_PG_DATA="$(local_data_dir)/postgres"
  if [ ! -f "$LOCAL_PG_DATA/PG_VERSION" ]; then
    echo "no local data in $LOCAL_PG_DATA: nothing to reset"
    return 0
  fi
  if local_pg_running; then
    LOCAL_PG_PORT=$(sed -n 4p "$LOCAL_PG_DATA/postmaster.pid")
    refuse_while_connected || return 1
  fi
  confirm reset "This deletes every lead, score and model in $LOCAL_PG_DATA." || return 1
  if local_pg_running; then
    local_server_tool pg_ctl -D "$LOCAL_PG_DATA" -m fast -w stop >/dev/null
  fi
  rm -rf "$LOCAL_PG_DATA"
  echo "deleted $LOCAL_PG_DATA; the data key and the database passwords in $(local_config_dir) are kept (a backup needs its key)."
}
