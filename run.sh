#!/usr/bin/env bash
# LeadScoring launcher. See README.md; `./run.sh help` lists the commands.
set -euo pipefail
cd "$(dirname "$0")"

SILO_DLL=Silo/bin/Release/net10.0/LeadScoring.Silo.dll
API_DLL=Api/bin/Release/net10.0/LeadScoring.Api.dll

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
usage: ./run.sh [command]
  (none)      build, migrate (PostgreSQL mode), start one silo and the API; Ctrl-C stops both
  migrate     apply the PostgreSQL schema (needs LEADSCORING_POSTGRES)
  silo        run one silo in the foreground
  silo-api    run one silo that also serves the API on LEADSCORING_API_PORT (co-hosted: no separate API process)
  api         run the API in the foreground
  token --workspace W --role admin|analyst|ingest [--ttl SECONDS] [--subject S]
              print one API token signed with LEADSCORING_JWT_KEY (and nothing else)
  login --workspace W --role admin|analyst [--subject S]
              print a one-time link that signs a browser into the web app (10 minutes, LEADSCORING_JWT_KEY)
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
              the model registry (needs LEADSCORING_POSTGRES)
  simulated-model --workspace W [--seed S]
              register (not promote) a model trained on simulated history (needs LEADSCORING_POSTGRES)
  quality     train on ../shared/data and write docs/model-quality.md
  training-speed
              time one training of a 45,000-row export (scripts/benchmarks.sh uses it)
TXT
}

# Personal data in PostgreSQL is sealed with LEADSCORING_DATA_KEY. Without one, a key is made once and kept
# (mode 600) in ~/.config/leadscoring/data.key, so that what one run stores the next can read.
ensure_data_key() {
  [ -n "${LEADSCORING_DATA_KEY:-}" ] && return 0
  local key_file="${XDG_CONFIG_HOME:-$HOME/.config}/leadscoring/data.key"
  if [ ! -s "$key_file" ]; then
    mkdir -p "$(dirname "$key_file")"
    (umask 077 && head -c 32 /dev/urandom | base64 >"$key_file")
    echo "No LEADSCORING_DATA_KEY was set: made one in $key_file (keep it: personal data sealed with it is unreadable without it)."
  fi
  LEADSCORING_DATA_KEY=$(cat "$key_file")
  export LEADSCORING_DATA_KEY
}

run_all() {
  build
  local api_port="${LEADSCORING_API_PORT:-5080}" silo_pid api_pid
  if [ -n "${LEADSCORING_POSTGRES:-}" ]; then
    echo "PostgreSQL mode"
    dotnet "$SILO_DLL" migrate
    ensure_data_key
  fi
  local session_key=""
  if [ -z "${LEADSCORING_JWT_KEY:-}" ] && [ -z "${LeadScoring__Auth__Authority:-}" ]; then
    # No key configured: one for this session only, so the API never runs open.
    LEADSCORING_JWT_KEY=$(head -c 32 /dev/urandom | base64)
    export LEADSCORING_JWT_KEY
    session_key=1
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

TXT
  if [ -n "$session_key" ]; then
    cat <<TXT
No LEADSCORING_JWT_KEY was set: this session signs with a key of its own. An admin token for workspace "demo"
(1 day; ./run.sh token --workspace W --role R makes others while LEADSCORING_JWT_KEY=$LEADSCORING_JWT_KEY):

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
  migrate) build; exec dotnet "$SILO_DLL" migrate ;;
  silo) build; [ -z "${LEADSCORING_POSTGRES:-}" ] || ensure_data_key; with_initial_model; exec dotnet "$SILO_DLL" silo ;;
  silo-api) build; [ -z "${LEADSCORING_POSTGRES:-}" ] || ensure_data_key; with_initial_model; exec dotnet "$SILO_DLL" silo --with-api ;;
  api) build; exec dotnet "$API_DLL" ;;
  token) shift; build >/dev/null; exec dotnet "$API_DLL" token "$@" ;;
  login) shift; build >/dev/null; exec dotnet "$API_DLL" signin-link --url "http://localhost:${LEADSCORING_API_PORT:-5080}" "$@" ;;
  simulate|import|reindex|train|models|promote|rollback|simulated-model|quality|training-speed) verb=$1; shift; build; exec dotnet "$SILO_DLL" "$verb" "$@" ;;
  help|-h|--help) usage ;;
  *) usage >&2; exit 2 ;;
esac
