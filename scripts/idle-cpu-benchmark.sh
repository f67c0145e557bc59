#!/usr/bin/env bash
# What a silo spends holding leads that do nothing: one silo and one API with PostgreSQL, LEADS leads created
# through the API, then the silo process's CPU over IDLE_SECONDS with no requests. Run twice, as the silo runs
# by default (OpenTelemetry SDK off) and with OTEL_SDK_DISABLED=false (the Orleans dashboard's meter provider
# reading every Orleans metric each second). Written to docs/idle-cpu.md; not part of ./test.sh.
#   LEADS=200000 IDLE_SECONDS=20 scripts/idle-cpu-benchmark.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/benchmark-cluster.sh

LEADS=${LEADS:-200000}
IDLE_SECONDS=${IDLE_SECONDS:-20}
command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null
ticks=$(getconf CLK_TCK)
silo_ticks() { awk '{print $14 + $15}' "/proc/${benchmark_pids[0]}/stat"; }

rows=()
for setting in default false; do
  if [ "$setting" = default ]; then unset OTEL_SDK_DISABLED; else export OTEL_SDK_DISABLED=$setting; fi
  start_benchmark_cluster 200 idle-cpu
  seed_leads "$LEADS" 20 32 | tail -1
  sleep 10 # the last upserts' writes and the scoring they started settle
  before=$(silo_ticks)
  sleep "$IDLE_SECONDS"
  after=$(silo_ticks)
  activations=$(curl -fsS "$SILO/health/memory" | python3 -c 'import json,sys; print(json.load(sys.stdin)["lead_activations"])')
  cpu=$(awk -v t=$((after - before)) -v hz="$ticks" -v s="$IDLE_SECONDS" 'BEGIN {printf "%.1f", 100 * t / hz / s}')
  echo "== OTEL_SDK_DISABLED=$setting: $activations leads, silo CPU $cpu% of a core while idle"
  rows+=("| ${setting/default/unset (the silo sets true)} | $activations | $cpu% |")
  stop_benchmark_cluster
  trap - EXIT
done

{
  echo "# CPU of idle leads"
  echo
  echo "Written by \`scripts/idle-cpu-benchmark.sh\` on $(date -u '+%Y-%m-%d %H:%M') UTC, $(nproc) cores. One silo and one API"
  echo "process in PostgreSQL mode; $LEADS leads created through the API (4 attributes each, scored when created), then"
  echo "the silo process's CPU (user and system, from /proc) over $IDLE_SECONDS s with no requests, 10 s after the last."
  echo "Each setting ran on a fresh cluster and database. With the OpenTelemetry SDK on, the Orleans dashboard's meter"
  echo "provider reads every Orleans metric once a second, and one of them walks every activation (README, \"CPU of idle"
  echo "leads\")."
  echo
  echo "| OTEL_SDK_DISABLED | leads held by the silo | silo CPU while idle (of one core) |"
  echo "|---|---|---|"
  printf '%s\n' "${rows[@]}"
} >docs/idle-cpu.md
cat docs/idle-cpu.md
