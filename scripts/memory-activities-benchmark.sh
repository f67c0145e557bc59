#!/usr/bin/env bash
# What activities add to the memory of active leads (issue 4's memory target counts leads that have not acted).
# One silo and one API with PostgreSQL: creates LEADS leads, reads the silo's live heap, records page views with
# activity ids on random leads for SECONDS, and reads it again. Written to docs/memory-activities.md; not part
# of ./test.sh.
#   LEADS=100000 SECONDS_OF_ACTIVITY=60 scripts/memory-activities-benchmark.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/benchmark-cluster.sh

LEADS=${LEADS:-100000}
SECONDS_OF_ACTIVITY=${SECONDS_OF_ACTIVITY:-60}
command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null
start_benchmark_cluster 100 memory-activities
memory() { curl -fsS "$SILO/health/memory${1:-}"; }
seed_leads "$LEADS" 60 64
leads_only=$(memory "?collect=true")
echo "== leads only: $leads_only"
wrk -t2 -c32 -d"${SECONDS_OF_ACTIVITY}s" -s scripts/load/activities.lua "$API" -- \
  "$LEADS" "$(date -u -d '-1 minute' +%Y-%m-%dT%H:%M:%SZ)" 0 2 ids >"$work/activities.txt"
with_activities=$(memory "?collect=true")
echo "== with activities: $with_activities"
cat "$work/activities.txt"

python3 - "$leads_only" "$with_activities" "$work/activities.txt" <<'PY' >docs/memory-activities.md
import json, sys, re, datetime, os
before, after = json.loads(sys.argv[1]), json.loads(sys.argv[2])
wrk = open(sys.argv[3]).read()
requests = int(re.search(r"(\d+) requests in", wrk).group(1))
failed = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", wrk)) else 0
activities, n = requests - failed, after["lead_activations"]
mb = lambda b: f"{b / 2**20:,.0f} MiB"
print("# Memory of leads that act\n")
print(f"Written by `scripts/memory-activities-benchmark.sh` on {datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores. One silo in "
      f"PostgreSQL mode with {n:,} leads (4 attributes each, scored when created); then {activities:,} page views ({activities / n:.1f} per lead), "
      "each with a new activity id and a duration, on random leads through the API. Both readings follow a full compacting collection "
      f"(`/health/memory?collect=true`), so they are live data. Failed requests: {failed}.\n")
print("| | leads only | with activities | added per activity | added per lead |\n|---|---|---|---|---|")
for key, label in [("gc_heap_bytes", "GC heap"), ("working_set_bytes", "working set")]:
    added = after[key] - before[key]
    print(f"| {label} | {mb(before[key])} | {mb(after[key])} | {added / max(1, activities):,.0f} bytes | {added / max(1, n):,.0f} bytes |")
print("\nAn active lead keeps its activity aggregates and the hashes of its newest 10,000 or so activity ids in memory; its recent activities are "
      "rows of `lead_activity`, read only when a read needs them. Its first activity brings its aggregates. The per-activity figure "
      "includes those first-activity costs spread over the activities.")
PY
cat docs/memory-activities.md
