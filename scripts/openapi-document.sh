#!/usr/bin/env bash
# Writes the API's OpenAPI document to FILE. From a running API when LEADSCORING_API_URL and LEADSCORING_TOKEN
# (an admin token) are set; otherwise it builds and starts a silo serving the API in memory mode on a free port,
# and stops it after.
#   scripts/openapi-document.sh FILE
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: scripts/openapi-document.sh FILE}
stop_silo() { [ -n "${silo_pid:-}" ] && kill -TERM "$silo_pid" 2>/dev/null && wait "$silo_pid" 2>/dev/null; true; }
trap stop_silo EXIT

url=${LEADSCORING_API_URL:-}
token=${LEADSCORING_TOKEN:-}
if [ -z "$url" ]; then
  dotnet build Silo/Silo.csproj -c Release -nologo -v quiet -clp:ErrorsOnly >&2
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  export LEADSCORING_JWT_KEY=$(head -c 32 /dev/urandom | base64)
  env -u LEADSCORING_POSTGRES LEADSCORING_API_PORT=$port LEADSCORING_SILO_HTTP_PORT=0 Logging__LogLevel__Default=Warning \
    dotnet Silo/bin/Release/net10.0/LeadScoring.Silo.dll silo --with-api >/dev/null 2>&1 & silo_pid=$!
  url="http://127.0.0.1:$port"
  for _ in $(seq 1 120); do curl -fsS "$url/health/ready" >/dev/null 2>&1 && break; sleep 1; done
  token=$(dotnet Api/bin/Release/net10.0/LeadScoring.Api.dll token --workspace openapi --role admin)
fi

curl -fsS -H "Authorization: Bearer $token" "$url/openapi/v1.json" -o "$target"
