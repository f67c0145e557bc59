#!/usr/bin/env bash
# How fast a CRM export imports: `./run.sh import` of the X Education export (9,237 leads with outcomes) into a
# workspace with a champion, so every lead is also scored; the same file again (every row unchanged); and the CRM
# pipeline with its three joins. Baseline in the same run: one HTTP upsert per lead (wrk, 32 connections), the way
# leads arrived before the import. A silo and an API process on a private PostgreSQL with its durable settings.
# Per case: rows/s and the CPU per row of the silo, the API and PostgreSQL. Replaces the "Importing a CRM export"
# section of docs/benchmarks.md; not part of ./test.sh (about 3 minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
data=../shared/data
command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null
source scripts/benchmark-cluster.sh
PG_DURABLE=1 start_benchmark_cluster 70 import
silo_pid=${benchmark_pids[0]} api_pid=${benchmark_pids[1]}
rows=$(mktemp)
trap 'rm -f "$rows"; stop_benchmark_cluster' EXIT

cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# PostgreSQL's live processes plus what the postmaster collected from those that ended (ticks of 10 ms).
postgres_cpu() {
  { for p in $(pgrep postgres); do awk '{print $14 + $15}' /proc/$p/stat 2>/dev/null; done
    awk '{print $16 + $17}' /proc/"$(pgrep -o postgres)"/stat; } | awk '{s += $1} END {print s}'
}

measure() { # label, row count ("wrk": the requests the command's wrk made), command...
  local label=$1 count=$2 s0 a0 p0 t0 s1 a1 p1 t1
  shift 2
  s0=$(cpu "$silo_pid"); a0=$(cpu "$api_pid"); p0=$(postgres_cpu); t0=$(date +%s.%N)
  "$@" >"$work/case.log" 2>&1 || { cat "$work/case.log"; return 1; }
  t1=$(date +%s.%N); s1=$(cpu "$silo_pid"); a1=$(cpu "$api_pid"); p1=$(postgres_cpu)
  tail -1 "$work/case.log"
  [ "$count" = wrk ] && count=$(awk '/requests in/ {print $1}' "$work/case.log")
  # The job's own time, from its start to its last row, as the command's report gives it ("succeeded in 1.6 s").
  local job
  job=$(sed -n 's/^import: succeeded in \([0-9.]*\) s.*/\1/p' "$work/case.log")
  awk -v label="$label" -v n="$count" -v el="$(echo "$t1 - $t0" | bc)" -v job="${job:-0}" -v s=$((s1 - s0)) -v a=$((a1 - a0)) -v p=$((p1 - p0)) \
    'BEGIN {printf "| %s | %d | %.1f | %.0f | %s | %.0f | %.0f | %.0f |\n", label, n, el, n / el, (job > 0 ? sprintf("%.0f", n / job) : ""), s * 1e4 / n, a * 1e4 / n, p * 1e4 / n}' >>"$rows"
  tail -1 "$rows"
}

import() { LEADSCORING_SKIP_BUILD=1 LEADSCORING_API_URL=$API ./run.sh import "$@"; }
# A workspace without a model: the leads are stored, not scored.
import_unscored() {
  LEADSCORING_TOKEN=$(dotnet Api/bin/Release/net10.0/LeadScoring.Api.dll token --workspace "$1" --role admin) import "${@:2}"
}
xeducation=(--data "$data/leads-xeducation.csv" --id-column "Prospect ID" --label Converted)
pipeline=(--data "$data/crm-pipeline/sales_pipeline.csv" --id-column opportunity_id --label deal_stage --positive Won --negative Lost
  --join "$data/crm-pipeline/accounts.csv:account" --join "$data/crm-pipeline/products.csv:product" --join "$data/crm-pipeline/sales_teams.csv:sales_agent")

upserts() { wrk -t1 -c32 -d10s -s scripts/load/seed-leads.lua "$API" -- 1000000 1 0; }
echo "== warm-up: the import and upsert paths compiled before anything is measured"
head -n 1001 "$data/leads-xeducation.csv" >"$work/warm-up.csv"
import_unscored warm-up --data "$work/warm-up.csv" --id-column "Prospect ID" --label Converted >/dev/null
wrk -t1 -c32 -d3s -s scripts/load/seed-leads.lua "$API" -- 1000000 1 500000 >/dev/null
echo "== baseline: one HTTP upsert per lead"
measure "baseline: one HTTP upsert per new lead (wrk, 32 connections, 10 s; 4 attributes, no outcome)" wrk upserts
echo "== import"
measure "X Education (37 columns), new leads with outcomes, workspace without a model" 9237 import_unscored imports "${xeducation[@]}"
measure "X Education again: every row unchanged" 9237 import_unscored imports "${xeducation[@]}"
measure "CRM pipeline with 3 joins (20 columns), new leads, 6,711 with outcomes, workspace without a model" 8800 import_unscored pipeline "${pipeline[@]}"
measure "X Education, new leads with outcomes, each scored by the workspace's champion" 9237 import "${xeducation[@]}"

section=$(mktemp)
{
  echo "## Importing a CRM export"
  echo
  echo "Written by \`scripts/import-benchmark.sh\` on $(date -u '+%Y-%m-%d %H:%M') UTC, $(nproc) cores ($(uname -m)), one run. \`./run.sh import\` uploads the file to \`POST /api/leads/import\` and follows the job; the silo reads the file and sends its rows in chunks of 250 to the import batch grains, each lead validated, scored by the workspace's champion and written with its outcome and training snapshot in the silo's group commit. A silo and an API process and PostgreSQL with its durable settings (fsync, synchronous commit) share the machine's cores with the command. Seconds and rows/s are the whole command (starting the command's process, the upload and the polling included); the job's rows/s is the import job's own time, from its start to its last row, as the command's report gives it. CPU is per row, in microseconds. Baseline: new leads upserted one HTTP call each for 10 s (\`wrk\`, 32 connections), without outcomes, the way leads arrived before the import. The champion of the last case was trained on simulated history: the imported leads score unlike its training data, the drift check raises an alert and the workspace starts retraining, which shares the cores with the import (as it would for a user who imports an export into a workspace that scored with the simulated model)."
  echo
  echo "| case | rows | seconds | rows/s | job's rows/s | silo CPU µs/row | API CPU µs/row | PostgreSQL CPU µs/row |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|"
  cat "$rows"
} >"$section"
# The section is the last of the file: what came before it stays as scripts/benchmarks.sh wrote it.
python3 - "$section" <<'PY'
import sys
path = "docs/benchmarks.md"
text = open(path).read()
marker = "## Importing a CRM export"
head = text.split(marker)[0].rstrip("\n")
open(path, "w").write(head + "\n\n" + open(sys.argv[1]).read())
PY
rm -f "$section"
echo "wrote docs/benchmarks.md"
