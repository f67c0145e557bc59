#!/usr/bin/env bash
# How much memory one silo needs per active lead (issue 4: 1,000,000 in <= 3 GB). Starts its own PostgreSQL,
# one silo and one API, creates LEADS leads through the API (each scored once by the champion as it is
# created, so each holds its state and its cached score), then reads the silo's /health/memory.
# Written to docs/memory-benchmark.md. Not part of ./test.sh: it takes several minutes.
#   LEADS=1000000 scripts/memory-benchmark.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/benchmark-cluster.sh

LEADS=${LEADS:-1000000}
command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null
start_benchmark_cluster 100 memory
memory() { curl -fsS "$SILO/health/memory${1:-}"; }
before=$(memory "?collect=true")
echo "== before: $before"

started=$(date +%s)
seed_leads "$LEADS" 60 64
leads=$(memory | python3 -c "import json,sys; print(json.load(sys.stdin)['lead_activations'])")
seconds=$(( $(date +%s) - started ))
sleep 20
running=$(memory)
after=$(memory "?collect=true")
echo "== after: $running; after a full collection: $after"
# An upsert's rescore leaves the lead with its score's headline; its first read adds the factors, dimension
# scores and recommendations. Every lead read once, through the batch endpoint, shows what that costs.
write_batch_files "$LEADS"
for file in "$work"/batch-*.json; do
  api_curl -H 'Content-Type: application/json' --data-binary @"$file" "$API/api/ai/scoring/score/batch" >/dev/null
done
sleep 20
read_running=$(memory)
read_after=$(memory "?collect=true")
echo "== after reading every lead: $read_running; after a full collection: $read_after"

python3 - "$before" "$after" "$seconds" "$running" "$read_running" "$read_after" <<'PY' >docs/memory-benchmark.md
import json, sys, datetime, os
before, after, seconds, running = json.loads(sys.argv[1]), json.loads(sys.argv[2]), int(sys.argv[3]), json.loads(sys.argv[4])
read_running, read_after = json.loads(sys.argv[5]), json.loads(sys.argv[6])
n = after["lead_activations"]
mb = lambda b: f"{b / 2**20:,.0f} MiB"
per = lambda key: (after[key] - before[key]) / max(1, n)
print("# Memory per active lead\n")
print(f"Written by `scripts/memory-benchmark.sh` on {datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores. One silo in PostgreSQL mode; "
      f"{n:,} leads created through the API in {seconds} s (4 attributes each, each scored by the champion when created, "
      "so every activation holds its state, its score's headline and its score history), then read from the silo's `/health/memory` "
      "after 20 s of quiet (\"running\"), and again after a full compacting collection (`?collect=true`, \"collected\"; "
      "\"before\" is collected too). Then every lead's score is read once through the batch endpoint, which completes it "
      "(factors, dimension scores, recommendations), and the silo is read the same two ways (\"read\"). "
      "Per lead: collected minus before, over the activations. Target: 1,000,000 active leads in at most 3 GB.\n")
print("| | before | running | collected | per lead | read, running | read, collected | per lead read |\n|---|---|---|---|---|---|---|---|")
for key, label in [("working_set_bytes", "working set"), ("gc_heap_bytes", "GC heap"), ("gc_committed_bytes", "GC committed")]:
    print(f"| {label} | {mb(before[key])} | {mb(running[key])} | {mb(after[key])} | {per(key):,.0f} bytes "
          f"| {mb(read_running[key])} | {mb(read_after[key])} | {(read_after[key] - before[key]) / max(1, n):,.0f} bytes |")
print(f"| lead activations | {before['lead_activations']:,} | {running['lead_activations']:,} | {n:,} | | {read_running['lead_activations']:,} | {read_after['lead_activations']:,} | |")
# The verdict is on the larger running figure: a silo holds leads of both kinds.
worst = max(running["working_set_bytes"], read_running["working_set_bytes"])
verdict = "met" if worst <= 3 * 2**30 and n >= 1_000_000 else "**not met**"
print(f"\nWorking set with {n:,} active leads: {after['working_set_bytes'] / 2**30:.2f} GiB after a full collection, {running['working_set_bytes'] / 2**30:.2f} GiB running; "
      f"once every lead was read, {read_after['working_set_bytes'] / 2**30:.2f} GiB and {read_running['working_set_bytes'] / 2**30:.2f} GiB ({verdict}; "
      f"{worst / 1e9:.2f} GB in decimal units; the target is read as GiB).")
last = running["last_gc"]
print(f"\nWhen read \"running\", the silo's last collection (generation {last['generation']}) had left {mb(last['fragmented_bytes'])} free inside the heap "
      f"(fragmentation: background collections sweep the old generation without compacting it); the GC had "
      f"{mb(running['gc_committed_bytes'] - running['gc_heap_bytes'])} committed beyond the heap. The full collection for \"collected\" "
      f"paused the silo {after['last_gc']['pause_ms'] / 1000:.1f} s.")
PY
cat docs/memory-benchmark.md
