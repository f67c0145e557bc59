#!/usr/bin/env bash
# What a lead's activities cost as the lead ages: a few leads take batches of page views with activity ids, as
# fast as answered, round after round, so each lead holds more remembered ids, activity rows and history with
# every round. Per round: events/s, the call's p99, the silo's and PostgreSQL's CPU per event, the WAL bytes
# PostgreSQL wrote per event and the average size of a lead's stored state. One co-hosted silo on its own
# PostgreSQL (durable settings). With BASELINE_REF (a git commit), that build runs the same rounds first, in a
# temporary worktree. Written to docs/aging-leads.md; not part of ./test.sh (about 6 minutes a build).
#   LEADS=1000 ROUNDS=8 SECONDS_PER_ROUND=30 BASELINE_REF=5b459b0 scripts/aging-leads-benchmark.sh
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
LEADS=${LEADS:-1000}
ROUNDS=${ROUNDS:-8}
SECONDS_PER_ROUND=${SECONDS_PER_ROUND:-30}
BATCH=50
CONNECTIONS=8
command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null
out=docs/aging-leads.md
rows=$(mktemp)

# One build's rounds, in a subshell run from that build's folder: its cluster stops when the subshell exits.
run_rounds() { # label
  TOPOLOGY=cohosted
  source "$repo/scripts/benchmark-cluster.sh"
  PG_DURABLE=1 start_benchmark_cluster 60 aging
  dotnet Silo/bin/Release/net10.0/LeadScoring.Silo.dll simulated-model --workspace default --seed 2 >/dev/null
  seed_leads "$LEADS" 10 32 >/dev/null
  local silo=${benchmark_pids[0]} taken=0
  sql() { psql "postgresql://leadscoring@127.0.0.1:$PG_PORT/postgres" -tAc "$1"; }
  # PostgreSQL's processes come and go (autovacuum workers, checkpointer restarts): the live ones' CPU plus what the
  # postmaster (the oldest) has collected from those that ended.
  postgres_cpu() {
    { for p in $(pgrep postgres); do awk '{print $14 + $15}' /proc/$p/stat 2>/dev/null; done
      awk '{print $16 + $17}' /proc/"$(pgrep -o postgres)"/stat; } | awk '{s += $1} END {print s}'
  }
  for round in $(seq 1 "$ROUNDS"); do
    local s0 p0 w0 t0 s1 p1 w1 t1 events
    s0=$(awk '{print $14 + $15}' /proc/$silo/stat); p0=$(postgres_cpu); w0=$(sql "SELECT pg_current_wal_insert_lsn() - '0/0'"); t0=$(date +%s.%N)
    wrk -t2 -c$CONNECTIONS -d"${SECONDS_PER_ROUND}s" --latency -s "$repo/scripts/load/activities.lua" "$API" -- \
      "$LEADS" "$(date -u -d '-1 minute' +%Y-%m-%dT%H:%M:%SZ)" 0 2 ids $BATCH >"$work/round.txt"
    s1=$(awk '{print $14 + $15}' /proc/$silo/stat); p1=$(postgres_cpu); w1=$(sql "SELECT pg_current_wal_insert_lsn() - '0/0'"); t1=$(date +%s.%N)
    events=$(( $(awk '/requests in/ {print $1}' "$work/round.txt") * BATCH ))
    taken=$((taken + events / LEADS))
    # CPU times from /proc are in ticks of 10 ms.
    awk -v label="$1" -v r="$round" -v n="$events" -v el="$(echo "$t1 - $t0" | bc)" -v s=$((s1 - s0)) -v p=$((p1 - p0)) -v w=$((w1 - w0)) \
      -v taken="$taken" -v payload="$(sql "SELECT round(avg(octet_length(payload))) FROM lead_state")" \
      -v p99="$(awk '$1 == "99%" {print $2}' "$work/round.txt")" -v failed="$(awk '/Non-2xx/ {print $5}' "$work/round.txt")" \
      'BEGIN {printf "| %s | %d | %d | %.0f | %s | %.0f | %.0f | %.0f | %s | %d |\n", label, r, taken, n / el, p99, s * 1e4 / n, p * 1e4 / n, w / n, payload, failed + 0}' >>"$rows"
    tail -1 "$rows"
  done
}

if [ -n "${BASELINE_REF:-}" ]; then
  baseline=$(mktemp -d)
  git worktree add -q --detach "$baseline" "$BASELINE_REF"
  trap 'git worktree remove --force "$baseline"; rm -f "$rows"' EXIT
  echo "==== baseline $BASELINE_REF"
  (cd "$baseline" && run_rounds "$(git rev-parse --short "$BASELINE_REF") (baseline)")
else
  trap 'rm -f "$rows"' EXIT
fi
echo "==== this build"
label=$(git rev-parse --short HEAD)
git diff --quiet HEAD -- . ':!*.md' || label+=" with uncommitted changes"
(run_rounds "$label")

{
  echo "# Activities of aging leads"
  echo
  echo "Written by \`scripts/aging-leads-benchmark.sh\` on $(date -u '+%Y-%m-%d %H:%M') UTC, $(nproc) cores. One co-hosted silo (the API inside it) on its own PostgreSQL with durable settings, $LEADS leads, a champion trained on simulated history. Each round sends batches of $BATCH page views with new activity ids to random leads (\`POST /api/leads/activities/batch\`, $CONNECTIONS connections, as fast as answered) for $SECONDS_PER_ROUND s, so each lead has taken more activities with every round: it remembers more ids, and its activity rows and score history fill and are trimmed (every 100). Each build ran on a fresh cluster and database${BASELINE_REF:+, the baseline first}. CPU per event is the process's user and system time over the round divided by the events answered; WAL is PostgreSQL's WAL insert position moved over the round, per event; the payload is lead_state's average after the round."
  echo
  echo "| build | round | activities per lead (so far) | events/s | p99 per call | silo CPU µs/event | PostgreSQL CPU µs/event | WAL bytes/event | average state payload (bytes) | failed calls |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
  cat "$rows"
} >"$out"
cat "$out"
