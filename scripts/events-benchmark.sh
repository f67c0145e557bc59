#!/usr/bin/env bash
# The events benchmark (issue 28), written to the "Events" section of docs/benchmarks.md:
#  1. activities with rescoring, persisted, as fast as answered, on the build before events (BASELINE_REF) and on
#     this one with a webhook endpoint and a SignalR client listening, one after the other in this session;
#  2. the lag from an event's occurrence to the webhook receiver and to the SignalR client at LAG_RATE activities/s;
#  3. the first page of 50 leads by score from a workspace of INDEXED leads in the lead index.
# Not part of ./test.sh: about 10 minutes, on an otherwise idle machine.
#   [BASELINE_REF=3ea1f4f] [LEADS=20000] [DURATION=15] [ROUNDS=3] scripts/events-benchmark.sh
set -euo pipefail
cd "$(dirname "$0")/.."
BASELINE_REF=${BASELINE_REF:-3ea1f4f}
export LEADS=${LEADS:-20000} DURATION=${DURATION:-15} ROUNDS=${ROUNDS:-3}
LAG_RATE=${LAG_RATE:-1000}
LAG_SECONDS=${LAG_SECONDS:-30}
INDEXED=${INDEXED:-1000000}
# The listener is on this machine: the silos may deliver to loopback.
export LeadScoring__Webhooks__AllowPrivateNetworks=true
root=$(pwd)
for tool in wrk hey; do
  command -v $tool >/dev/null || { echo "== installing $tool"; apt-get install -y -qq $tool >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq $tool >/dev/null; }; }
done
results=$(mktemp -d)
baseline=$(mktemp -d)
trap 'git worktree remove --force "$baseline" 2>/dev/null || true; rm -rf "$results"' EXIT
git worktree add -q --detach "$baseline" "$BASELINE_REF"
dotnet build benchmarks/LeadScoring.EventListener -c Release -nologo -v quiet -clp:ErrorsOnly
listener="$root/benchmarks/LeadScoring.EventListener/bin/Release/net10.0/LeadScoring.EventListener.dll"
# CPU ticks (10 ms) used so far by the silo, the API, PostgreSQL and the listener processes.
cpu_ticks() {
  for pid in $(ls /proc | grep -E '^[0-9]+$'); do
    args=$(tr '\0' ' ' < /proc/$pid/cmdline 2>/dev/null) || continue
    stat=$(cat /proc/$pid/stat 2>/dev/null) || continue
    ticks=$(echo "$stat" | awk '{print $14 + $15}')
    case "$args" in
      *LeadScoring.Silo.dll*) echo "silo $ticks" ;;
      *LeadScoring.Api.dll*) echo "api $ticks" ;;
      *LeadScoring.EventListener*) echo "listener $ticks" ;;
      *postgres*) echo "pg $ticks" ;;
    esac
  done | awk '{t[$1] += $2} END {print t["silo"] + 0, t["api"] + 0, t["pg"] + 0, t["listener"] + 0}'
}
psql_query() { psql "postgresql://leadscoring@127.0.0.1:$PG_PORT/postgres" -qtA -c "$1"; }

# One build's activities run: a fresh cluster, LEADS seeded leads, ROUNDS closed-loop runs; with "listening", a
# webhook endpoint and a hub client take every event meanwhile. Writes the median round's requests/s and CPU.
measure_activities() { # tree, label, listening
  (
    cd "$1"
    source scripts/benchmark-cluster.sh
    PG_DURABLE=1 start_benchmark_cluster 0 events
    seed_leads "$LEADS" 10 32
    if [ "$3" = listening ]; then
      port=$(free_port 5390)
      dotnet "$listener" --port "$port" --api "$API" --token "$LEADSCORING_TOKEN" --follow-leads 1000 --seconds 100000 --out "$work/listener.json" >"$work/listener.log" 2>&1 &
      benchmark_pids+=($!)
      sleep 3
      api_curl -H 'Content-Type: application/json' -d "{\"url\":\"http://127.0.0.1:$port/hook\",\"event_types\":[\"lead.scored\",\"lead.grade_changed\"]}" "$API/api/webhooks" >/dev/null
    fi
    # A first run activates every lead and warms the JIT; it is not counted.
    wrk -t2 -c64 -d"${DURATION}s" -s scripts/load/activities.lua "$API" -- "$LEADS" "$(date -u -d '-1 minute' +%Y-%m-%dT%H:%M:%SZ)" 0 2 ids >"$work/warm-up.txt"
    rounds=()
    for round in $(seq 1 "$ROUNDS"); do
      read -r silo0 api0 pg0 listener0 < <(cpu_ticks)
      wrk -t2 -c64 -d"${DURATION}s" -s scripts/load/activities.lua "$API" -- "$LEADS" "$(date -u -d '-1 minute' +%Y-%m-%dT%H:%M:%SZ)" 0 2 ids >"$work/activities-$round.txt"
      read -r silo1 api1 pg1 listener1 < <(cpu_ticks)
      rps=$(awk '/Requests\/sec/ {printf "%.0f", $2}' "$work/activities-$round.txt")
      per() { echo $(( ($2 - $1) * 10000 / (rps * DURATION) )); }  # ticks are 10 ms: µs per activity
      rounds+=("$rps $(per "$silo0" "$silo1") $(per "$api0" "$api1") $(per "$pg0" "$pg1") $(per "$listener0" "$listener1")")
      echo "   $2 round $round: $rps activities/s"
    done
    printf '%s\n' "${rounds[@]}" | sort -n | awk -v label="$2" '{a[NR]=$0} END {print label, a[int((NR+1)/2)]}' >>"$results/activities.txt"
    if [ "$3" = listening ]; then
      outbox=$(psql_query "SELECT count(*) FROM event_outbox")
      delivered=$(psql_query "SELECT count(*) FROM webhook_deliveries WHERE status BETWEEN 200 AND 299")
      echo "outbox $outbox delivered $delivered" >>"$results/activities.txt"
    fi
  )
}

measure_lag() {
  (
    source scripts/benchmark-cluster.sh
    PG_DURABLE=1 start_benchmark_cluster 10 lag
    seed_leads "$LEADS" 10 32
    port=$(free_port 5391)
    dotnet "$listener" --port "$port" --api "$API" --token "$LEADSCORING_TOKEN" --follow-leads 1000 --seconds $((LAG_SECONDS + 10)) --out "$results/lag.json" >"$work/listener.log" 2>&1 &
    listening=$!
    sleep 3
    api_curl -H 'Content-Type: application/json' -d "{\"url\":\"http://127.0.0.1:$port/hook\",\"event_types\":[\"lead.scored\"]}" "$API/api/webhooks" >/dev/null
    # The index's lag, sampled every 200 ms: how old the last event the index has taken is.
    (
      sleep 5
      for _ in $(seq 1 $(( (LAG_SECONDS - 5) * 5 ))); do
        psql_query "SELECT extract(epoch FROM now() - o.occurred_at) * 1000 FROM lead_index_progress p
                      JOIN event_outbox o ON o.position = p.indexed_through WHERE p.workspace = 'default'" >>"$results/index-lag.txt" || true
        sleep 0.2
      done
    ) &
    sampling=$!
    wrk -t2 -c64 -d"${LAG_SECONDS}s" --latency -s scripts/load/activities.lua "$API" -- "$LEADS" "$(date -u -d '-1 minute' +%Y-%m-%dT%H:%M:%SZ)" "$LAG_RATE" 2 ids >"$results/lag-wrk.txt"
    wait "$sampling"
    wait "$listening"
  )
}

measure_list() {
  (
    source scripts/benchmark-cluster.sh
    PG_DURABLE=1 start_benchmark_cluster 20 list
    echo "== $INDEXED lines in the lead index"
    psql_query "INSERT INTO lead_index (workspace, lead_id, overall_score, probability, grade, trend, model_version, scored_at, created_at, updated_at,
                                        profiling_consent, marketing_consent, converted, attributes, position)
                SELECT 'default', 'lead-' || i, s, s / 100, CASE WHEN s >= 75 THEN 'A' WHEN s >= 50 THEN 'B' WHEN s >= 25 THEN 'C' ELSE 'D' END,
                       'steady', 'v1', now(), now(), now(), true, false, NULL,
                       jsonb_build_object('industry', CASE WHEN i % 3 = 0 THEN 'software' ELSE 'retail' END), 1
                  FROM (SELECT i, round((random() * 1000)::numeric) / 10 AS s FROM generate_series(1, $INDEXED) i) g;
                SELECT setval('lead_index_position', 1); ANALYZE lead_index;" >/dev/null
    for query in "sort=-score&limit=50" "sort=-score&limit=50&grade=A" "sort=-score&limit=50&attribute%5Bindustry%5D=software"; do
      hey -n 400 -c 4 -H "Authorization: Bearer $LEADSCORING_TOKEN" "$API/api/leads?$query" >"$work/hey.txt"
      echo "$query $(awk '/Average:/ {printf "%.2f", $2 * 1000} / 50%/ {printf " %.2f", $3 * 1000} / 99%/ {printf " %.2f", $3 * 1000}' "$work/hey.txt")" >>"$results/list.txt"
    done
    plan=$(psql_query "EXPLAIN (ANALYZE, FORMAT JSON) SELECT lead_id FROM lead_index WHERE workspace = 'default' AND position <= 1
                         ORDER BY coalesce(overall_score, -1) DESC, lead_id DESC LIMIT 51" | python3 -c "import json,sys; print(json.load(sys.stdin)[0]['Execution Time'])")
    echo "plan $plan" >>"$results/list.txt"
  )
}

# PHASES picks parts (for a quick look while working); the report is written only when all ran.
PHASES=${PHASES:-before quiet after lag list}
if [[ " $PHASES " == *" before "* ]]; then
  echo "==== activities at $(git -C "$baseline" rev-parse --short HEAD) (before events)"
  measure_activities "$baseline" before quiet
fi
if [[ " $PHASES " == *" quiet "* ]]; then
  echo "==== activities at $(git rev-parse --short HEAD) with no listener (the outbox, the relay and the lead index only)"
  measure_activities "$root" quiet quiet
fi
if [[ " $PHASES " == *" after "* ]]; then
  echo "==== activities at $(git rev-parse --short HEAD) with a webhook and a hub client"
  measure_activities "$root" after listening
fi
if [[ " $PHASES " == *" lag "* ]]; then
  echo "==== event lag at $LAG_RATE activities/s"
  measure_lag
fi
if [[ " $PHASES " == *" list "* ]]; then
  echo "==== lead list of $INDEXED leads"
  measure_list
fi
[ "$PHASES" = "before quiet after lag list" ] || { cat "$results"/*.txt; exit 0; }
cat "$results"/*.txt "$results/lag.json"

python3 - "$results" "$(git -C "$baseline" rev-parse --short HEAD)" "$(git rev-parse --short HEAD)" "$(nproc)" "$LEADS" "$DURATION" "$ROUNDS" "$LAG_RATE" "$LAG_SECONDS" "$INDEXED" <<'PY'
import json, re, sys, datetime
results, before_ref, after_ref, cores, leads, duration, rounds, lag_rate, lag_seconds, indexed = sys.argv[1:]
lines = open(f"{results}/activities.txt").read().split("\n")
runs = {l.split()[0]: [int(x) for x in l.split()[1:]] for l in lines if l.startswith(("before", "quiet", "after"))}
outbox = next((l for l in lines if l.startswith("outbox")), "")
before, quiet, after = runs["before"][0], runs["quiet"][0], runs["after"][0]
def row(label, r):
    return f"| {label} | {r[0]} | {100 * (r[0] - before) / before:+.1f}% | {r[1]} | {r[2]} | {r[3]} | {r[1] + r[2] + r[3]} | {r[4]} |"
lag = json.load(open(f"{results}/lag.json"))
wrk = open(f"{results}/lag-wrk.txt").read()
offered = re.search(r"Requests/sec:\s+([\d.]+)", wrk).group(1)
ack99 = re.search(r"\s99%\s+(\S+)", wrk).group(1)
index_lag = sorted(round(float(x), 1) for x in open(f"{results}/index-lag.txt").read().split() if x)
def pct(values, p):
    return values[min(len(values) - 1, int(p * len(values)))] if values else ""
lists = [l.split() for l in open(f"{results}/list.txt").read().split("\n") if l and not l.startswith("plan")]
plan = next(l.split()[1] for l in open(f"{results}/list.txt").read().split("\n") if l.startswith("plan"))
section = f"""## Events (issue 28)

Written by `scripts/events-benchmark.sh` on {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, {cores} cores, one silo and one API process,
PostgreSQL with durable settings, {leads} leads, everything on this machine.

**Activities with rescoring, persisted, as fast as answered** (wrk, 64 connections, {duration} s, median of {rounds} rounds after an uncounted warm-up run):

| build | activities/s | change | silo µs | API µs | PostgreSQL µs | total µs | listener µs |
|---|---|---|---|---|---|---|---|
{row(f"{before_ref}, before events", runs["before"])}
{row(f"{after_ref}, outbox, relay and lead index, nothing listening", runs["quiet"])}
{row(f"{after_ref}, the same with one webhook endpoint (every lead.scored) and one SignalR client (the workspace's grade changes and 1,000 leads)", runs["after"])}

CPU in µs per activity, by process (the listener is the webhook receiver and the SignalR client, on the same machine).
{outbox.replace("outbox", "Events in the outbox at the end:").replace("delivered", "; webhook deliveries that succeeded:")}.

**Event lag** at {lag_rate} activities/s offered for {lag_seconds} s (achieved {float(offered):.0f}/s; acknowledgement p99 {ack99}),
from the event's `occurred_at` (stamped as the lead scores, before its write commits) to its arrival:

| channel | events | p50 ms | p99 ms | max ms |
|---|---|---|---|---|
| webhook receiver | {lag["webhook"]["count"]} | {lag["webhook"]["p50_ms"]} | {lag["webhook"]["p99_ms"]} | {lag["webhook"]["max_ms"]} |
| SignalR client (1,000 followed leads) | {lag["signalr"]["count"]} | {lag["signalr"]["p50_ms"]} | {lag["signalr"]["p99_ms"]} | {lag["signalr"]["max_ms"]} |
| lead index (age of the last event it had taken, sampled every 200 ms) | {len(index_lag)} samples | {pct(index_lag, 0.5)} | {pct(index_lag, 0.99)} | {max(index_lag) if index_lag else ""} |

**Lead list** from a workspace of {int(indexed):,} leads in the index (hey, 400 requests, 4 connections; time as the client sees it,
HTTP and token checks included; PostgreSQL's own execution time of the first page's query: {float(plan):.2f} ms):

| query | mean ms | p50 ms | p99 ms |
|---|---|---|---|
""" + "\n".join(f"| `{q}` | {m} | {p50} | {p99} |" for q, m, p50, p99 in lists) + "\n"
path = "docs/benchmarks.md"
text = open(path).read()
start = text.find("## Events (issue 28)")
if start >= 0:
    end = text.find("\n## ", start + 1)
    text = text[:start] + (text[end + 1:] if end >= 0 else "")
open(path, "w").write(text.rstrip("\n") + "\n\n" + section)
print("wrote", path)
PY
