# Sourced by the benchmark scripts: a private PostgreSQL, one silo and one API on free ports, with a champion
# trained on simulated history. Sets API, SILO (the silo's HTTP base), PG_PORT, work (a temp folder) and
# LEADSCORING_TOKEN (an admin token for workspace "default", which the load scripts and api_curl send);
# everything stops and is removed on exit. PG_DURABLE=1 keeps PostgreSQL's durability settings.
# TOPOLOGY=separate (default): a silo process and an API process calling it through the Orleans client;
# TOPOLOGY=cohosted: one silo process that serves the API itself (silo --with-api).
TOPOLOGY=${TOPOLOGY:-separate}
source "$(dirname "${BASH_SOURCE[0]}")/postgres.sh"

start_benchmark_cluster() { # port offset, cluster name
  local api_port silo_http_port silo_port gateway_port silo=Silo/bin/Release/net10.0/LeadScoring.Silo.dll
  api_port=$(free_port $((5180 + $1)))
  silo_http_port=$(free_port $((api_port + 1)))
  silo_port=$(free_port $((11311 + $1)))
  gateway_port=$(free_port $((30300 + $1)))
  API="http://127.0.0.1:$api_port"
  SILO="http://127.0.0.1:$silo_http_port"
  work=$(mktemp -d)
  dotnet build LeadScoring.sln -c Release -nologo -v quiet -clp:ErrorsOnly
  ensure_postgres_installed
  start_private_postgres
  benchmark_pids=()
  trap stop_benchmark_cluster EXIT
  export LEADSCORING_POSTGRES="$PG_CONNECTION" LEADSCORING_CLUSTER_ID="$2-$$" LEADSCORING_API_PORT=$api_port \
    LEADSCORING_SILO_HTTP_PORT=$silo_http_port LEADSCORING_SILO_PORT=$silo_port LEADSCORING_GATEWAY_PORT=$gateway_port \
    Logging__LogLevel__Default=Warning \
    LeadScoring__RateLimits__PerSubject__PerSecond=100000000 LeadScoring__RateLimits__PerSubject__Burst=100000000 \
    LeadScoring__RateLimits__PerWorkspace__PerSecond=100000000 LeadScoring__RateLimits__PerWorkspace__Burst=100000000
  LEADSCORING_JWT_KEY=$(head -c 32 /dev/urandom | base64)
  LEADSCORING_DATA_KEY=$(head -c 32 /dev/urandom | base64)
  export LEADSCORING_JWT_KEY LEADSCORING_DATA_KEY
  LEADSCORING_TOKEN=$(dotnet Api/bin/Release/net10.0/LeadScoring.Api.dll token --workspace default --role admin --ttl 86400)
  export LEADSCORING_TOKEN
  dotnet $silo migrate >/dev/null
  if [ "$TOPOLOGY" = cohosted ]; then
    # One process: the silo serves the API itself; its own endpoints (/health/memory) are on the API's port.
    SILO=$API
    LEADSCORING_INITIAL_MODEL=simulated dotnet $silo silo --with-api >"$work/silo.log" 2>&1 & benchmark_pids+=($!)
  else
    LEADSCORING_INITIAL_MODEL=simulated dotnet $silo silo >"$work/silo.log" 2>&1 & benchmark_pids+=($!)
    dotnet Api/bin/Release/net10.0/LeadScoring.Api.dll >"$work/api.log" 2>&1 & benchmark_pids+=($!)
  fi
  echo "== waiting for the cluster and the initial model"
  for _ in $(seq 1 180); do
    api_curl "$API/api/ai/scoring/models" 2>/dev/null | grep -q '"champion":"v1"' && return 0
    sleep 1
  done
  tail -50 "$work/silo.log"
  return 1
}

api_curl() { curl -fsS -H "Authorization: Bearer $LEADSCORING_TOKEN" "$@"; }

stop_benchmark_cluster() {
  for pid in "${benchmark_pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  stop_private_postgres
  rm -rf "$work"
}

# Batch request bodies of leads b-0 .. b-(N-1), 10,000 a file: $work/batch-<first>.json.
write_batch_files() { # N
  python3 - "$1" "$work" <<'PY'
import json, sys
leads, work = int(sys.argv[1]), sys.argv[2]
for start in range(0, leads, 10000):
    ids = range(start, min(leads, start + 10000))
    with open(f"{work}/batch-{start}.json", "w") as f:
        json.dump({"leads": [{"lead_id": f"b-{i}"} for i in ids]}, f)
PY
}

# Upserts leads b-0 .. b-(N-1) through the API with wrk, in runs of $2 seconds, until every one was sent.
# SEED_RPS: the rate of the first run, in which every upsert creates a lead (a last run wraps around to
# leads that exist, so the whole seeding time says little).
seed_leads() { # N, seconds per run, connections
  local sent=0
  while [ "$sent" -lt "$1" ]; do
    # One wrk thread makes the ids consecutive; the requests still in flight when a run ends (at most one per
    # connection) are not counted, so the next run starts that far back and no lead is skipped.
    wrk -t1 -c"$3" -d"$2s" -s scripts/load/seed-leads.lua "$API" -- "$1" 1 "$sent" >"$work/seed.txt"
    local done_requests
    done_requests=$(awk '/requests in/ {print $1}' "$work/seed.txt")
    sent=$((sent + (done_requests > 2 * $3 ? done_requests - $3 : done_requests / 2 + 1)))
    SEED_RPS=${SEED_RPS:-$(awk '/Requests\/sec/ {printf "%.0f", $2}' "$work/seed.txt")}
    echo "   $sent upserts sent, $(awk '/Requests\/sec/ {printf "%.0f", $2}' "$work/seed.txt")/s"
  done
}
