#!/usr/bin/env bash
# The web app benchmark (issue 29), written to the "Web app (issue 29)" section of docs/benchmarks.md:
#  1. the server's time to render the Leads page (its first 50 rows by score) from a workspace of INDEXED leads in
#     the lead index, and a lead's page, beside the API's JSON of the same data (the baseline, in the same run);
#  2. the live update: from the API's acknowledgement of an activity to the new score on the lead's open page.
# Not part of ./test.sh: about five minutes, on an otherwise idle machine.
#   [LEADS=2000] [INDEXED=1000000] [REQUESTS=300] [LIVE=50] scripts/web-benchmark.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export LEADS=${LEADS:-2000}
INDEXED=${INDEXED:-1000000}
REQUESTS=${REQUESTS:-600}
LIVE=${LIVE:-50}
for tool in wrk hey chromium; do
  command -v $tool >/dev/null || { echo "== installing $tool"; apt-get install -y -qq $tool >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq $tool >/dev/null; }; }
done
results=$(mktemp -d)
source scripts/benchmark-cluster.sh
PG_DURABLE=1 start_benchmark_cluster 30 web
trap 'stop_benchmark_cluster; rm -rf "$results"' EXIT
psql_query() { psql "postgresql://leadscoring@127.0.0.1:$PG_PORT/postgres" -qtA -c "$1"; }
# CPU ticks (10 ms) so far of the silo, the API and PostgreSQL. PostgreSQL's count includes backends that have
# exited (the postmaster's children's time), so a connection closing between two readings loses nothing.
cpu_ticks() {
  for pid in $(ls /proc | grep -E '^[0-9]+$'); do
    args=$(tr '\0' ' ' < /proc/$pid/cmdline 2>/dev/null) || continue
    stat=$(cat /proc/$pid/stat 2>/dev/null) || continue
    case "$args" in
      *LeadScoring.Silo.dll*) echo "silo $(echo "$stat" | awk '{print $14 + $15}')" ;;
      *LeadScoring.Api.dll*) echo "api $(echo "$stat" | awk '{print $14 + $15}')" ;;
      *bin/postgres\ -D*) echo "pg $(echo "$stat" | awk '{print $14 + $15 + $16 + $17}')" ;;
      *postgres*) echo "pg $(echo "$stat" | awk '{print $14 + $15}')" ;;
    esac
  done | awk '{t[$1] += $2} END {print t["silo"] + 0, t["api"] + 0, t["pg"] + 0}'
}

echo "== $LEADS leads with activity"
seed_leads "$LEADS" 10 32
wrk -t2 -c32 -d10s -s scripts/load/activities.lua "$API" -- "$LEADS" "$(date -u -d '-1 minute' +%Y-%m-%dT%H:%M:%SZ)" 0 2 ids >/dev/null
for _ in $(seq 1 60); do
  [ "$(psql_query "SELECT count(*) FROM lead_index WHERE workspace = 'default'")" -ge "$LEADS" ] && break
  sleep 1
done
echo "== $INDEXED lines in the lead index (the rest below the real leads' lowest score, so the first page is real leads)"
psql_query "INSERT INTO lead_index (workspace, lead_id, overall_score, probability, grade, trend, model_version, scored_at, created_at, updated_at,
                                    profiling_consent, marketing_consent, converted, attributes, position)
            SELECT 'default', 'filler-' || i, s, s / 100, CASE WHEN s >= 25 THEN 'C' ELSE 'D' END, 'steady', 'v1', now(), now(), now(),
                   true, false, NULL, '{}'::jsonb, 1
              FROM (SELECT i, random() * (SELECT min(overall_score) FROM lead_index WHERE workspace = 'default') AS s
                      FROM generate_series(1, $INDEXED - $LEADS) i) g;
            ANALYZE lead_index;" >/dev/null

link=$(dotnet Api/bin/Release/net10.0/LeadScoring.Api.dll signin-link --workspace default --role admin --subject web-benchmark --url "$API")
curl -fsS -c "$work/jar" -o /dev/null "$link"
session="leadscoring_session=$(awk '/leadscoring_session/ {print $7}' "$work/jar")"
lead=$(api_curl "$API/api/leads?sort=-score&limit=1" | python3 -c "import json, sys; print(json.load(sys.stdin)['data']['leads'][0]['lead_id'])")
measure() { # label, header, path
  hey -n 200 -c 4 -H "$2" "$API$3" >/dev/null   # warm-up (and the JIT's second tier)
  read -r silo0 api0 pg0 < <(cpu_ticks)
  hey -n "$REQUESTS" -c 4 -H "$2" "$API$3" >"$work/hey.txt"
  read -r silo1 api1 pg1 < <(cpu_ticks)
  grep -q "\[200\]" "$work/hey.txt" || { cat "$work/hey.txt"; exit 1; }
  echo "$1|$(awk '/Average:/ {printf "%.1f", $2 * 1000} / 50%/ {printf "|%.1f", $3 * 1000} / 99%/ {printf "|%.1f", $3 * 1000}' "$work/hey.txt")|$(( (silo1 - silo0) * 10000 / REQUESTS ))|$(( (api1 - api0) * 10000 / REQUESTS ))|$(( (pg1 - pg0) * 10000 / REQUESTS ))" >>"$results/pages.txt"
  echo "   $1 done"
}
bearer="Authorization: Bearer $LEADSCORING_TOKEN"
measure "Leads page (/app/leads, 50 rows)" "Cookie: $session" "/app/leads"
measure "API: the same 50 lines (/api/leads?sort=-score&limit=50)" "$bearer" "/api/leads?sort=-score&limit=50"
measure "Lead page (/app/leads/$lead)" "Cookie: $session" "/app/leads/$lead"
measure "API: the lead (/api/leads/$lead)" "$bearer" "/api/leads/$lead"
measure "API: its score with insights (/api/ai/scoring/score/$lead?include_insights=true)" "$bearer" "/api/ai/scoring/score/$lead?include_insights=true"

echo "== live update latency, $LIVE activities"
link=$(dotnet Api/bin/Release/net10.0/LeadScoring.Api.dll signin-link --workspace default --role admin --subject web-benchmark --url "$API")
dotnet tools/LeadScoring.WebProbe/bin/Release/net10.0/LeadScoring.WebProbe.dll live-latency --link "$link" --lead "$lead" --token "$LEADSCORING_TOKEN" \
  --count "$LIVE" --out "$results/live.json"

python3 - "$results" "$(git rev-parse --short HEAD)" "$(nproc)" "$LEADS" "$INDEXED" "$REQUESTS" "$LIVE" <<'PY'
import json, sys, datetime
results, ref, cores, leads, indexed, requests, live_count = sys.argv[1:]
rows = [l.split("|") for l in open(f"{results}/pages.txt").read().split("\n") if l]
live = json.load(open(f"{results}/live.json"))
section = f"""## Web app (issue 29)

Written by `scripts/web-benchmark.sh` on {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC at {ref}, {cores} cores, one silo and one API
process (the API hosts the web app), PostgreSQL with durable settings, {int(leads):,} leads with activity among {int(indexed):,} lines in the lead
index, everything on this machine.

**Server time to render** ({requests} requests, 4 at a time, after 200 uncounted; hey's time, HTTP included; CPU in µs per request by
process). A page is the server's first render of it (what the browser shows before its circuit connects): the Leads page reads the
index's first page and completes each of its 50 rows from the lead (confidence, going-cold risk, top reason); the lead's page reads
the lead, its score with the explanation and its history. The API rows are the same data as JSON, the baseline:

| request | mean ms | p50 ms | p99 ms | silo µs | API µs | PostgreSQL µs |
|---|---|---|---|---|---|---|
""" + "\n".join(f"| {label} | {mean} | {p50} | {p99} | {silo} | {api} | {pg} |" for label, mean, p50, p99, silo, api, pg in rows) + f"""

**Live update**: an activity posted through the API for the lead whose page is open, {live["count"]} times, 200 ms apart; from the
API's acknowledgement (202) to the new score on the page (its `data-scored-at` changed; the browser polls every 5 ms):
p50 {live["p50_ms"]} ms, p99 {live["p99_ms"]} ms, max {live["max_ms"]} ms.
"""
path = "docs/benchmarks.md"
text = open(path).read()
start = text.find("## Web app (issue 29)")
if start >= 0:
    end = text.find("\n## ", start + 1)
    text = text[:start] + (text[end + 1:] if end >= 0 else "")
open(path, "w").write(text.rstrip("\n") + "\n\n" + section)
print("wrote", path)
PY
