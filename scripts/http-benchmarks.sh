#!/usr/bin/env bash
# HTTP load benchmarks of the scoring API (issue 4), written to docs/http-benchmarks.md. Starts its own
# PostgreSQL (durable settings: fsync and synchronous commit on), one silo and one API, seeds leads and a
# simulated champion, then drives them with wrk and hey (Debian packages) on this same machine.
# Not part of ./test.sh: it takes several minutes and wants an otherwise idle machine.
#   LEADS=20000 DURATION=15 scripts/http-benchmarks.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/benchmark-cluster.sh

LEADS=${LEADS:-20000}
DURATION=${DURATION:-15}
CONNECTIONS=${CONNECTIONS:-64}
# The activities' latency is judged at the target's rate, offered on a schedule over enough connections.
ACTIVITIES_RATE=${ACTIVITIES_RATE:-5000}
PACED_CONNECTIONS=${PACED_CONNECTIONS:-256}
# The same activities in batches (POST /api/leads/activities/batch), ACTIVITY_BATCH page views of random leads each.
ACTIVITY_BATCH=${ACTIVITY_BATCH:-50}
BATCH_CONNECTIONS=${BATCH_CONNECTIONS:-8}
out=docs/http-benchmarks.md
# Both ways of running the API (README, "Two topologies"), one after the other, each on a fresh cluster.
TOPOLOGIES=${TOPOLOGIES:-separate cohosted}
for tool in wrk hey curl; do
  command -v $tool >/dev/null || { echo "== installing $tool"; apt-get install -y -qq $tool >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq $tool >/dev/null; }; }
done

# wrk prints "Requests/sec: X" and, with --latency, " 50% 1.23ms" ... " 99% 4.56ms".
rps() { awk '/Requests\/sec/ {printf "%.0f", $2}' "$1"; }
pct() { awk -v p="$2%" '$1 == p {print $2}' "$1"; }
non2xx() { awk '/Non-2xx/ {print $5}' "$1" | grep . || echo 0; }
# A wrk latency ("850.00us", "4.56ms", "1.20s") in milliseconds.
ms() { echo "$1" | awk '/us$/ {print $1 / 1000; next} /ms$/ {print $1 + 0; next} {print $1 * 1000}'; }
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# This machine's round-to-round noise is about 15%, so the throughput measures run ROUNDS times and the
# verdicts use the median round.
ROUNDS=${ROUNDS:-3}
run_wrk() { # name, threads, connections, script-and-args...
  local name=$1 threads=$2 connections=$3; shift 3
  wrk -t"$threads" -c"$connections" -d"${DURATION}s" --latency "$@" >"$work/$name.txt"
}

topology_title() {
  case $TOPOLOGY in
    separate) echo "Separate API process: one silo and one API process calling it through the Orleans client" ;;
    cohosted) echo "Co-hosted: one silo process that serves the API itself (silo --with-api)" ;;
  esac
}

# One topology's whole run, in a subshell: its cluster stops when the subshell exits.
run_topology() {
  PG_DURABLE=1 start_benchmark_cluster 0 bench
  dotnet Silo/bin/Release/net10.0/LeadScoring.Silo.dll simulated-model --workspace default --seed 2 >/dev/null

  echo "== seeding $LEADS leads"
  seed_leads "$LEADS" 10 32
  write_batch_files "$LEADS"
  # Every lead scored once (and activated): the cached-read runs below find it in memory.
  for file in "$work"/batch-*.json; do
    api_curl -H 'Content-Type: application/json' --data-binary @"$file" "$API/api/ai/scoring/score/batch" >"$work/warm.json"
  done
  failed=$(python3 -c "import json,sys; f=json.load(open(sys.argv[1]))['data']['failed']; print(len(f), f[:1])" "$work/warm.json")
  [ "${failed%% *}" = 0 ] || { echo "seeding left leads unscored: $failed" >&2; exit 1; }

  echo "== /health, then GET score of cached leads, $ROUNDS rounds (wrk, $CONNECTIONS connections, ${DURATION}s each)"
  health_rounds=(); score_rounds=(); ratio_rounds=()
  for round in $(seq 1 "$ROUNDS"); do
    run_wrk health 2 "$CONNECTIONS" "$API/health"
    run_wrk get-score-$round 2 "$CONNECTIONS" -s scripts/load/get-score.lua "$API" -- "$LEADS"
    health_rounds+=("$(rps "$work/health.txt")")
    score_rounds+=("$(rps "$work/get-score-$round.txt")")
    ratio_rounds+=("$(awk -v s="${score_rounds[-1]}" -v h="${health_rounds[-1]}" 'BEGIN {printf "%.2f", s / h}')")
  done
  health_rps=$(median "${health_rounds[@]}")
  score_rps=$(median "${score_rounds[@]}")
  score_ratio=$(median "${ratio_rounds[@]}")
  half=$((score_rps / 2))
  echo "== GET score at half of that rate ($half/s, hey, one cached lead)"
  hey -H "Authorization: Bearer $LEADSCORING_TOKEN" -z "${DURATION}s" -c 16 -q $((half / 16)) "$API/api/ai/scoring/score/b-1" >"$work/half.txt"
  half_rps=$(awk '/Requests\/sec/ {printf "%.0f", $2}' "$work/half.txt")
  half_p50=$(awk '/ 50% in/ {printf "%.2f", $3 * 1000}' "$work/half.txt")
  half_p99=$(awk '/ 99% in/ {printf "%.2f", $3 * 1000}' "$work/half.txt")
  half_errors=$(awk '/\[[0-9]+\]/ && !/\[200\]/ {n += $2} END {print n + 0}' "$work/half.txt")

  # The first batch file holds min(LEADS, 10,000) leads.
  batch_size=$((LEADS < 10000 ? LEADS : 10000))
  echo "== batch of $batch_size cached leads"
  run_wrk batch-cached 1 2 -s scripts/load/batch.lua "$API" -- "$work/batch-0.json"
  batch_cached=$(awk -v n="$batch_size" '/Requests\/sec/ {printf "%.0f", $2 * n}' "$work/batch-cached.txt")

  echo "== batch of $batch_size leads that must all recompute (the champion alternates before each call)"
  # wrk stops with batch calls still running in the API and the silo: had they touched a lead after the
  # promotion below, the measured call would find it already rescored.
  sleep 3
  recompute=()
  for round in 1 2 3 4 5 6; do
    version=$([ $((round % 2)) = 1 ] && echo v2 || echo v1)
    api_curl -X POST "$API/api/ai/scoring/models/$version/promote" >/dev/null
    seconds=$(api_curl -o "$work/recompute.json" -w '%{time_total}' -H 'Content-Type: application/json' --data-binary @"$work/batch-0.json" "$API/api/ai/scoring/score/batch")
    python3 -c "import json,sys; d=json.load(open(sys.argv[1]))['data']; cached=sum(r['cached'] for r in d['results']); assert not d['failed'] and not cached, f\"not all recomputed: {len(d['failed'])} failed {d['failed'][:2]}, {cached} cached\"" "$work/recompute.json"
    recompute+=("$(python3 -c "print(round($batch_size / $seconds))")")
  done
  recompute_median=$(printf '%s\n' "${recompute[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')

  echo "== activities with rescoring, persisted before the answer, as fast as answered, $ROUNDS rounds"
  activities_rounds=(); activities_p99_rounds=()
  for round in $(seq 1 "$ROUNDS"); do
    run_wrk activities-$round 2 "$CONNECTIONS" -s scripts/load/activities.lua "$API" -- "$LEADS" "$(date -u -d '-1 minute' +%Y-%m-%dT%H:%M:%SZ)" 0 2 ids
    activities_rounds+=("$(rps "$work/activities-$round.txt")")
    activities_p99_rounds+=("$(ms "$(pct "$work/activities-$round.txt" 99)")")
  done
  activities_rps=$(median "${activities_rounds[@]}")
  activities_p99=$(median "${activities_p99_rounds[@]}")
  # The latency target holds at the target rate: offered on a fixed schedule, with connections to spare so
  # that a slow answer does not hold back the requests due after it (an open-loop client, near enough).
  echo "== activities offered at $ACTIVITIES_RATE/s on a fixed schedule ($PACED_CONNECTIONS connections)"
  run_wrk activities-paced 2 "$PACED_CONNECTIONS" -s scripts/load/activities.lua "$API" -- "$LEADS" "$(date -u -d '-1 minute' +%Y-%m-%dT%H:%M:%SZ)" "$ACTIVITIES_RATE" 2 ids
  paced_rps=$(rps "$work/activities-paced.txt")
  paced_p99=$(ms "$(pct "$work/activities-paced.txt" 99)")
  echo "== activities in batches of $ACTIVITY_BATCH, as fast as answered ($BATCH_CONNECTIONS connections), $ROUNDS rounds"
  batched_rounds=(); batched_p99_rounds=()
  for round in $(seq 1 "$ROUNDS"); do
    run_wrk batched-$round 2 "$BATCH_CONNECTIONS" -s scripts/load/activities.lua "$API" -- "$LEADS" "$(date -u -d '-1 minute' +%Y-%m-%dT%H:%M:%SZ)" 0 2 ids "$ACTIVITY_BATCH"
    batched_rounds+=("$(awk -v b="$ACTIVITY_BATCH" '/Requests\/sec/ {printf "%.0f", $2 * b}' "$work/batched-$round.txt")")
    batched_p99_rounds+=("$(ms "$(pct "$work/batched-$round.txt" 99)")")
  done
  batched_rps=$(median "${batched_rounds[@]}")
  batched_p99=$(median "${batched_p99_rounds[@]}")
  batched_rate=$((ACTIVITIES_RATE / ACTIVITY_BATCH))
  echo "== activities in batches of $ACTIVITY_BATCH offered at $ACTIVITIES_RATE events/s ($batched_rate calls/s) on a fixed schedule"
  run_wrk batched-paced 2 32 -s scripts/load/activities.lua "$API" -- "$LEADS" "$(date -u -d '-1 minute' +%Y-%m-%dT%H:%M:%SZ)" "$batched_rate" 2 ids "$ACTIVITY_BATCH"
  batched_paced=$(awk -v b="$ACTIVITY_BATCH" '/Requests\/sec/ {printf "%.0f", $2 * b}' "$work/batched-paced.txt")
  batched_paced_p99=$(ms "$(pct "$work/batched-paced.txt" 99)")
  history_rows=$(psql "postgresql://leadscoring@127.0.0.1:$PG_PORT/postgres" -tAc "SELECT count(*) FROM score_history WHERE trigger = 'Activity'")

  metrics=$(api_curl "$API/api/ai/scoring/performance/metrics")
  verdict() { awk -v a="$1" -v b="$2" -v op="$3" 'BEGIN { ok = (op == ">=") ? (a >= b) : (a <= b); print ok ? "met" : "**not met**" }'; }
  both() { [ "$1" = met ] && [ "$2" = met ] && echo met || echo "**not met**"; }

  {
    echo "## $(topology_title)"
    echo
    echo "$LEADS leads, created and scored through the API at about $SEED_RPS leads/s (each upsert persisted and scored before its answer)."
    echo
    echo "| measure | target | measured | |"
    echo "|---|---|---|---|"
    echo "| GET /health (baseline, same run) | | median $health_rps req/s of $ROUNDS rounds (${health_rounds[*]}) | |"
    echo "| GET score, random cached lead (each round right after its /health round) | >= 0.5 of /health | median $score_rps req/s (${score_rounds[*]}), median ratio to /health $score_ratio (${ratio_rounds[*]}); last round p50 $(pct "$work/get-score-$ROUNDS.txt" 50), p99 $(pct "$work/get-score-$ROUNDS.txt" 99); non-2xx: $(non2xx "$work/get-score-$ROUNDS.txt") | $(verdict "$score_ratio" 0.5 ">=") |"
    echo "| GET score at half that rate (hey, 16 connections, one cached lead) | p99 <= 5 ms | $half_rps req/s, p50 $half_p50 ms, p99 $half_p99 ms; non-200: $half_errors | $(verdict "$half_p99" 5 "<=") |"
    echo "| batch, $batch_size cached leads per call (2 calls in flight) | >= 100,000 leads/s | $batch_cached leads/s (p50 per call $(pct "$work/batch-cached.txt" 50)) | $(verdict "$batch_cached" 100000 ">=") |"
    echo "| batch, $batch_size leads that all recompute (explanations off) | >= 20,000 leads/s | median $recompute_median leads/s of 6 calls (${recompute[*]}) | $(verdict "$recompute_median" 20000 ">=") |"
    echo "| activities with rescoring, state and score history in PostgreSQL before the 202, as fast as answered ($CONNECTIONS connections) | >= 5,000 events/s | median $activities_rps events/s of $ROUNDS rounds (${activities_rounds[*]}); at this saturation median p99 $activities_p99 ms (${activities_p99_rounds[*]}), last round p50 $(pct "$work/activities-$ROUNDS.txt" 50); non-2xx: $(non2xx "$work/activities-$ROUNDS.txt"); $history_rows history rows written by activities | $(verdict "$activities_rps" 5000 ">=") |"
    echo "| the same activities offered at $ACTIVITIES_RATE/s on a fixed schedule ($PACED_CONNECTIONS connections) | p99 <= 20 ms at 5,000 events/s | $paced_rps events/s answered, p50 $(pct "$work/activities-paced.txt" 50), p90 $(pct "$work/activities-paced.txt" 90), p99 $(pct "$work/activities-paced.txt" 99); non-2xx: $(non2xx "$work/activities-paced.txt") | $(both "$(verdict "$paced_p99" 20 "<=")" "$(verdict "$paced_rps" $((ACTIVITIES_RATE * 98 / 100)) ">=")") |"
    echo "| activities in batches of $ACTIVITY_BATCH page views of random leads (POST /api/leads/activities/batch, answered once every lead's state is persisted), as fast as answered ($BATCH_CONNECTIONS connections) | >= 5,000 events/s | median $batched_rps events/s of $ROUNDS rounds (${batched_rounds[*]}); p99 per call median $batched_p99 ms (${batched_p99_rounds[*]}); non-2xx: $(non2xx "$work/batched-$ROUNDS.txt") | $(verdict "$batched_rps" 5000 ">=") |"
    echo "| the same batches offered at $ACTIVITIES_RATE events/s ($batched_rate calls/s) on a fixed schedule (32 connections) | p99 <= 20 ms at 5,000 events/s | $batched_paced events/s answered, per call p50 $(pct "$work/batched-paced.txt" 50), p90 $(pct "$work/batched-paced.txt" 90), p99 $(pct "$work/batched-paced.txt" 99); non-2xx: $(non2xx "$work/batched-paced.txt") | $(both "$(verdict "$batched_paced_p99" 20 "<=")" "$(verdict "$batched_paced" $((ACTIVITIES_RATE * 98 / 100)) ">=")") |"
    echo
    echo "The API's own measurements after the run (GET /api/ai/scoring/performance/metrics):"
    echo
    echo '```json'
    echo "$metrics" | python3 -c "import json,sys; print(json.dumps(json.load(sys.stdin)['data'], indent=2))"
    echo '```'
  } >"$sections/$TOPOLOGY.md"
}

sections=$(mktemp -d)
for TOPOLOGY in $TOPOLOGIES; do
  echo "==== $TOPOLOGY"
  (run_topology)
done
{
  echo "# HTTP benchmarks"
  echo
  echo "Written by \`scripts/http-benchmarks.sh\` on $(date -u '+%Y-%m-%d %H:%M') UTC, $(nproc) cores ($(uname -m)). PostgreSQL $(basename "$(dirname "$(postgres_bin_dir)")") with durable settings (fsync and synchronous commit on) and its WAL segment files already written once, as on a server that has been running (\`warm_postgres_wal\` in scripts/postgres.sh: a fresh server creates each 16 MB segment by writing and syncing zeros, which stalled commits for 30-70 ms every second or two under these loads); the cluster and the load generator all share this machine; each topology below ran on a fresh cluster and database, one after the other. Champion trained on simulated history. Every request carries a bearer token (validated, rate-limited); every write also commits its audit row before its answer. wrk: 2 threads, $CONNECTIONS connections, ${DURATION} s per run; /health with GET, and activities as fast as answered, run $ROUNDS rounds each and are judged on the median round. Each activity is a page view as a tracker sends it: a URL, a channel, a duration and a new activity id. A closed loop's latency at saturation is set by its connection count (Little's law: $CONNECTIONS connections at 5,000/s wait 12.8 ms on average), so the activities' p99 is judged in a separate run that offers $ACTIVITIES_RATE events/s on a fixed schedule (\`scripts/load/activities.lua\`), like an open-loop client as long as a connection is free when a request is due; wrk times each request from its send, so a stall longer than the spare connections cover is undercounted. The recompute calls alternate the champion between two versions before each call, so every lead of the batch rescores (and appends a history row, as a model change does)."
  for TOPOLOGY in $TOPOLOGIES; do
    echo
    cat "$sections/$TOPOLOGY.md"
  done
} >"$out"
rm -rf "$sections"
cat "$out"
