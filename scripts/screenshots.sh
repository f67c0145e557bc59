#!/usr/bin/env bash
# Photographs every page of the web app at 1440 and 390 px wide, light and dark, into docs/screenshots/:
# a silo and an API in memory mode on free ports, a simulated CRM of LEADS leads, an admin signed in with a
# one-time link, Debian's Chromium (installed if missing). Not part of ./test.sh; about two minutes.
#   [LEADS=300] scripts/screenshots.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/postgres.sh
LEADS=${LEADS:-300}
command -v chromium >/dev/null || { echo "== installing chromium"; apt-get install -y -qq chromium >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }; }
dotnet build LeadScoring.sln -c Release -nologo -v quiet -clp:ErrorsOnly
api_port=$(free_port 5480)
LEADSCORING_JWT_KEY=$(head -c 32 /dev/urandom | base64)
export LEADSCORING_JWT_KEY LEADSCORING_API_PORT=$api_port LEADSCORING_SILO_HTTP_PORT=$(free_port $((api_port + 1))) \
  LEADSCORING_SILO_PORT=$(free_port 11411) LEADSCORING_GATEWAY_PORT=$(free_port 30400) LEADSCORING_INITIAL_MODEL=simulated \
  LEADSCORING_INITIAL_MODEL_WORKSPACES=demo Logging__LogLevel__Default=Warning LeadScoring__Webhooks__AllowPrivateNetworks=true
work=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
dotnet Silo/bin/Release/net10.0/LeadScoring.Silo.dll silo >"$work/silo.log" 2>&1 & pids+=($!)
dotnet Api/bin/Release/net10.0/LeadScoring.Api.dll >"$work/api.log" 2>&1 & pids+=($!)
api="http://localhost:$api_port"
token=$(dotnet Api/bin/Release/net10.0/LeadScoring.Api.dll token --workspace demo --role admin)
echo "== waiting for the cluster and the initial model"
for _ in $(seq 1 180); do
  curl -fsS -H "Authorization: Bearer $token" "$api/api/ai/scoring/models" 2>/dev/null | grep -q '"champion":"v1"' && break
  sleep 1
done
echo "== $LEADS simulated leads"
LEADSCORING_TOKEN=$token dotnet Silo/bin/Release/net10.0/LeadScoring.Silo.dll simulate --leads "$LEADS" --rate 1000 --api "$api" | tail -1
# A webhook to an address that refuses its deliveries, so the Webhooks page has attempts to show.
curl -fsS -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d "{\"url\":\"http://127.0.0.1:$api_port/health\",\"event_types\":[\"lead.grade_changed\"],\"description\":\"CRM sync\"}" "$api/api/webhooks" >/dev/null
LEADSCORING_TOKEN=$token dotnet Silo/bin/Release/net10.0/LeadScoring.Silo.dll simulate --leads 50 --seed 7 --rate 1000 --api "$api" | tail -1
lead=$(curl -fsS -H "Authorization: Bearer $token" "$api/api/leads?limit=1" | python3 -c "import json, sys; print(json.load(sys.stdin)['data']['leads'][0]['lead_id'])")
link=$(dotnet Api/bin/Release/net10.0/LeadScoring.Api.dll signin-link --workspace demo --role admin --subject screenshots --url "$api")
rm -rf docs/screenshots && mkdir -p docs/screenshots
dotnet tools/LeadScoring.WebProbe/bin/Release/net10.0/LeadScoring.WebProbe.dll screenshots --link "$link" --lead "$lead" --out docs/screenshots
