#!/usr/bin/env bash
# LeadScoring launcher. See README.md; `./run.sh help` lists the commands.
set -euo pipefail
CALLER_DIR=$PWD
cd "$(dirname "$0")"
source scripts/postgres.sh
source scripts/local-postgres.sh

SILO_DLL=$PWD/Silo/bin/Release/net10.0/LeadScoring.Silo.dll
API_DLL=$PWD/Api/bin/Release/net10.0/LeadScoring.Api.dll

build() {
  if [ "${LEADSCORING_SKIP_BUILD:-0}" != "1" ]; then
    dotnet build LeadScoring.sln -c Release -nologo -v quiet -clp:ErrorsOnly >&2
  fi
}

# A workspace without any model gets one trained on simulated history, so that it scores out of the box: the
# same for every way of starting a silo (set LEADSCORING_INITIAL_MODEL=off to start without).
with_initial_model() {
  export LEADSCORING_INITIAL_MODEL="${LEADSCORING_INITIAL_MODEL:-simulated}"
  export LEADSCORING_INITIAL_MODEL_WORKSPACES="${LEADSCORING_INITIAL_MODEL_WORKSPACES:-demo}"
}

usage() {
  cat <<'TXT'
usage: ./run.sh [--memory] [command]
  (none)      build, start the database, migrate, start one silo and the API; Ctrl-C stops them all. The data
              is kept in a local PostgreSQL (LEADSCORING_DATA_DIR) unless LEADSCORING_POSTGRES names another
  --memory    keep everything in memory instead, lost at the stop (also LEADSCORING_STORAGE=memory)
  backup FILE | restore FILE [--yes] | reset [--yes]
              back up the local database to FILE, replace it with FILE, or delete it (after a confirmation)
  connection  print the running local database's connection string (LEADSCORING_POSTGRES for an Orleans client)
  migrate     apply the PostgreSQL schema
  silo        run one silo in the foreground
  silo-api    run one silo that also serves the API on LEADSCORING_API_PORT (co-hosted: no separate API process)
  api         run the API in the foreground
  token --workspace W --role admin|analyst|ingest [--ttl SECONDS] [--subject S]
              print one API token signed with LEADSCORING_JWT_KEY, else the kept key (and nothing else)
  login --workspace W --role admin|analyst [--subject S]
              print a one-time link that signs a browser into the web app (10 minutes; key as token)
  simulate --leads N [--rate R] [--seed S] [--api URL]
              post a deterministic synthetic CRM through the API (token from LEADSCORING_TOKEN)
  import --data FILE --id-column C [--label C [--positive V] [--negative V] [--deal-value-column C] [--close-date-column C]]
         [--join FILE:KEY]... [--workspace W] [--api URL]
              import a CRM export: every row a lead, with its outcome when labelled (token from LEADSCORING_TOKEN)
  train --data FILE --label COLUMN [--positive V] [--negative V] [--exclude A,B] [--exclude-leaky]
        [--time-column C] [--fairness-column C] [--schema FILE] [--report FILE.json] [--predictions FILE.csv] [--join FILE:KEY]...
        [--deal-value-column C] [--start-date-column C] [--close-date-column C] [--blend fitted|fixed]
        [--workspace W --register]
              train the scoring ensemble on a CSV export
  models --workspace W | promote --workspace W VERSION | rollback --workspace W
              the model registry (the local database, or LEADSCORING_POSTGRES)
  simulated-model --workspace W [--seed S]
              register (not promote) a model trained on simulated history
  quality     train on ../shared/data and write docs/model-quality.md
  training-speed
              time one training of a 45,000-row export (scripts/benchmarks.sh uses it)
TXT
}

# A key named by $1, or else one made once and kept (mode 600) in ~/.config/leadscoring/$2, so that the next run
# reads what this one wrote; $3 says why it matters.
kept_key() {
  local variable=$1 key_file
  key_file="$(local_config_dir)/$2"
  [ -n "${!variable:-}" ] && return 0
  if [ ! -s "$key_file" ]; then
    mkdir -p "$(dirname "$key_file")"
    (umask 077 && head -c 32 /dev/urandom | base64 >"$key_file")
    echo "No $variable was set: made one in $key_file ($3)."
  fi
  export "$variable=$(cat "$key_file")"
}

# Personal data in PostgreSQL is sealed with LEADSCORING_DATA_KEY.
ensure_data_key() { kept_key LEADSCORING_DATA_KEY data.key "keep it: personal data sealed with it is unreadable without it"; }

# API tokens and sign-in links are signed with LEADSCORING_JWT_KEY: kept like the data key, so that tokens outlive
# a restart and `./run.sh token` and `./run.sh login` sign with the running API's key.
ensure_jwt_key() { kept_key LEADSCORING_JWT_KEY jwt.key "tokens signed with it stay valid across restarts"; }

STORAGE=${LEADSCORING_STORAGE:-postgres}
if [ "${1:-}" = "--memory" ]; then
  STORAGE=memory
  shift
fi
case "$STORAGE" in
  memory|postgres) ;;
  *) echo "LEADSCORING_STORAGE is memory or postgres, not '$STORAGE'" >&2; exit 2 ;;
esac

# Where this run keeps its data: in memory, in the database LEADSCORING_POSTGRES names, or in the local one.
choose_database() {
  if [ "$STORAGE" = memory ]; then
    unset LEADSCORING_POSTGRES LEADSCORING_POSTGRES_OWNER
    DATA_LOCATION=memory
  elif [ -n "${LEADSCORING_POSTGRES:-}" ]; then
    DATA_LOCATION=external
  elif start_local_postgres; then
    DATA_LOCATION=local
  else
    echo "The local PostgreSQL could not be installed or started (above): running in MEMORY MODE instead." >&2
    DATA_LOCATION=memory
  fi
}

# A silo command on this run's database, the local one stopped afterwards when this command started it.
with_database() {
  build
  choose_database
  trap stop_local_postgres EXIT
  # A local database may be new or restored from an older backup: bring it up to date first.
  if [ "$DATA_LOCATION" = local ] && [ "$1" != migrate ]; then
    dotnet "$SILO_DLL" migrate >/dev/null
  fi
  (cd "$CALLER_DIR" && dotnet "$SILO_DLL" "$@")
}

# backup, restore and reset act on the local database only.
local_database_command() {
  if [ -n "${LEADSCORING_POSTGRES:-}" ]; then
    echo "$1 works on ./run.sh's local database; LEADSCORING_POSTGRES names another: use its own tools (pg_dump, pg_restore)" >&2
    exit 2
  fi
  local verb=$1 file=""
  shift
  CONFIRMED=0
  for arg in "$@"; do
    case "$arg" in
      --yes) CONFIRMED=1 ;;
      -*) usage >&2; exit 2 ;;
      /*) file=$arg ;;
      *) file="$CALLER_DIR/$arg" ;;
    esac
  done
  case "$verb" in
    backup) [ -n "$file" ] || { usage >&2; exit 2; }; local_backup "$file" ;;
    restore) [ -n "$file" ] || { usage >&2; exit 2; }; local_restore "$file" ;;
    reset) local_reset ;;
  esac
}

data_banner() {
  case "$DATA_LOCATION" in
    local) cat <<TXT
  data       PostgreSQL in $LOCAL_PG_DATA (127.0.0.1:$LOCAL_PG_PORT), kept across stops
             back up: ./run.sh backup FILE   restore: ./run.sh restore FILE   delete: ./run.sh reset
TXT
      ;;
    external) echo "  data       the PostgreSQL LEADSCORING_POSTGRES names (back it up with its own tools)" ;;
    memory) echo "  data       IN MEMORY: lost when ./run.sh stops (./run.sh without --memory keeps it)" ;;
  esac
}

run_all() {
  build
  local api_port="${LEADSCORING_API_PORT:-5080}" silo_pid api_pid
  choose_database
  if [ "$LOCAL_PG_JOINED" = 1 ]; then
    # A server already running: left by a ./run.sh that was killed (then this run stops it too), or another's.
    refuse_while_connected || exit 1
    LOCAL_PG_STARTED=1
  fi
  trap stop_local_postgres EXIT
  if [ "$DATA_LOCATION" != memory ]; then
    dotnet "$SILO_DLL" migrate
    ensure_data_key
  fi
  local signing=""
  if [ -z "${LEADSCORING_JWT_KEY:-}" ] && [ -z "${LeadScoring__Auth__Authority:-}" ]; then
    # No key configured: the API never runs open. Memory mode forgets everything at the stop, its key too.
    if [ "$DATA_LOCATION" = memory ]; then
      LEADSCORING_JWT_KEY=$(head -c 32 /dev/urandom | base64)
      export LEADSCORING_JWT_KEY
      signing=session
    else
      ensure_jwt_key
      signing=kept
    fi
  fi
  with_initial_model
  dotnet "$SILO_DLL" silo & silo_pid=$!
  dotnet "$API_DLL" & api_pid=$!
  stop() {
    trap - INT TERM
    echo "stopping..."
    kill -TERM "$api_pid" "$silo_pid" 2>/dev/null || true
    wait "$api_pid" "$silo_pid" 2>/dev/null || true
    exit 0
  }
  trap stop INT TERM
  if command -v curl >/dev/null; then
    for _ in $(seq 1 120); do
      curl -fsS "http://localhost:$api_port/health/ready" >/dev/null 2>&1 && break
      kill -0 "$silo_pid" 2>/dev/null && kill -0 "$api_pid" 2>/dev/null || break
      sleep 1
    done
  fi
  cat <<TXT

LeadScoring is running (Ctrl-C stops it):
  web app    http://localhost:$api_port/app
  API        http://localhost:$api_port/api/leads
  health     http://localhost:$api_port/health/ready
  dashboard  http://localhost:$api_port/dashboard/orleans
  silo       http://localhost:${LEADSCORING_SILO_HTTP_PORT:-5081}/health/ready
$(data_banner)

TXT
  if [ -n "$signing" ]; then
    if [ "$signing" = session ]; then
      echo "No LEADSCORING_JWT_KEY was set: this session signs with a key of its own (./run.sh token and login need"
      echo "LEADSCORING_JWT_KEY=$LEADSCORING_JWT_KEY)."
    else
      echo "No LEADSCORING_JWT_KEY was set: tokens are signed with the key kept in $(local_config_dir)/jwt.key."
    fi
    cat <<TXT
An admin token for workspace "demo" (1 day; ./run.sh token --workspace W --role R makes others):

  $(dotnet "$API_DLL" token --workspace demo --role admin --ttl 86400)

Open the web app with this one-time sign-in link (10 minutes; ./run.sh login --workspace W --role R makes more):

  $(dotnet "$API_DLL" signin-link --workspace demo --role admin --subject web-admin --url "http://localhost:$api_port")

TXT
  fi
  # Whichever process ends first (crash or signal) takes the other down with it.
  wait -n "$silo_pid" "$api_pid" || true
  stop
}

case "${1:-}" in
  "") run_all ;;
  migrate) with_database migrate ;;
  backup|restore|reset) local_database_command "$@" ;;
  connection) local_running_connection ;;
  silo) build; [ -z "${LEADSCORING_POSTGRES:-}" ] || ensure_data_key; with_initial_model; exec dotnet "$SILO_DLL" silo ;;
  silo-api) build; [ -z "${LEADSCORING_POSTGRES:-}" ] || ensure_data_key; with_initial_model; exec dotnet "$SILO_DLL" silo --with-api ;;
  api) build; exec dotnet "$API_DLL" ;;
  token|login)
    verb=$1
    shift
    build >/dev/null
    [ -n "${LEADSCORING_JWT_KEY:-}" ] || [ "$STORAGE" = memory ] || [ ! -s "$(local_config_dir)/jwt.key" ] || ensure_jwt_key
    if [ "$verb" = token ]; then
      exec dotnet "$API_DLL" token "$@"
    fi
    exec dotnet "$API_DLL" signin-link --url "http://localhost:${LEADSCORING_API_PORT:-5080}" "$@" ;;
  models|promote|rollback|simulated-model) with_database "$@" ;;
  train) if [[ " $* " == *" --register "* ]]; then with_database "$@"; else build; cd "$CALLER_DIR"; exec dotnet "$SILO_DLL" "$@"; fi ;;
  # Files named on the command line are where the user is, not in the repository.
  simulate|import|reindex) build; cd "$CALLER_DIR"; exec dotnet "$SILO_DLL" "$@" ;;
  quality|training-speed) build; exec dotnet "$SILO_DLL" "$@" ;;
  help|-h|--help) usage ;;
  *) usage >&2; exit 2 ;;
esac
