#!/usr/bin/env bash
# Measures speed and writes docs/benchmarks.md: BenchmarkDotNet (in-process) for scoring one lead, and a
# timed training of a 45,000-row export. Not part of ./test.sh: it takes several minutes and wants an idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."

dotnet build LeadScoring.sln -c Release -nologo -v quiet -clp:ErrorsOnly
artifacts=$(mktemp -d)
trap 'rm -rf "$artifacts"' EXIT

echo "== scoring benchmarks (BenchmarkDotNet, in-process)"
dotnet benchmarks/LeadScoring.Benchmarks/bin/Release/net10.0/LeadScoring.Benchmarks.dll \
  --filter '*' --inProcess --exporters github --artifacts "$artifacts" >"$artifacts/bdn.log"
echo "== training speed"
training=$(LEADSCORING_SKIP_BUILD=1 ./run.sh training-speed)
# scripts/import-benchmark.sh writes the last section: it stays as that script left it.
imports=$(sed -n '/^## Importing a CRM export/,$p' docs/benchmarks.md)

{
  echo "# Benchmarks"
  echo
  echo "Written by \`scripts/benchmarks.sh\` on $(date -u '+%Y-%m-%d %H:%M') UTC, $(nproc) cores ($(uname -m)). Figures from one run; the baseline of each table is measured in the same run."
  echo
  echo "## Scoring one lead in-process"
  echo
  echo "A model trained on 5,000 rows of the synthetic export (16 columns, seed 2); each call scores the next of 1,000 encoded leads. Baseline: the boosted-tree model alone through ML.NET's PredictionEngine. The ensemble is random forest + boosted trees + logistic regression + the calibrated blend, evaluated directly from the model artifact (no ML.NET at scoring time; target: at most 1.5x the baseline); path attributions are what the dimension scores and factors of every score use; the explanation adds exact Shapley values (TreeSHAP for both tree models, the linear form for logistic regression), computed only with include_insights."
  echo
  sed -n '/^| Method/,$p' "$artifacts"/results/*ScoringBenchmarks-report-github.md | sed "s/&#39;//g"
  echo
  echo "## Rescoring one lead"
  echo
  echo "What a lead grain computes when it must rescore, without Orleans and storage: its ~130 activity features from its aggregates, the encoded row, the ensemble with path attributions, grade, confidence, dimension scores, factors, opportunities and recommendations. Model trained on 3,000 simulated leads (SimulatedHistory, seed 1); 500 simulated leads scored in turn. The second line adds the exact explanation: path-dependent TreeSHAP is O(leaves x depth^2) per tree, and this model's forest trees are deep, so it costs milliseconds and is computed only when asked for. The third line is what a change (an activity, an attribute update) computes before it is acknowledged: the features and the score's headline (probability, confidence, grade, trend); the factors, dimension scores and recommendations are computed on the lead's next read."
  echo
  sed -n '/^| Method/,$p' "$artifacts"/results/*LeadScoreBenchmarks-report-github.md | sed "s/&#39;//g"
  echo
  echo "## Writing one lead's state"
  echo
  echo "What every change to a lead costs the silo before PostgreSQL sees the write, for a lead that has taken 0, 25, 100, 1,000 and 10,000 activities (page views 1 minute apart), each with an activity id, whose hash the lead remembers (at least the newest 10,000). Both lines leave out the recent activities (rows of lead_activity) and add the new activity's row. Baseline: the state with every remembered id in it, as every change wrote it before the ids went to lead_activity_ids. Against it, the state with only the ids of the chunk being filled (fewer than 32); each full chunk (256 bytes) is written once, by the change that fills it. The allocation is about the bytes PostgreSQL then receives and logs. What still grows with the lead is its hourly activity counts (at most 35 days of them)."
  echo
  sed -n '/^| Method/,$p' "$artifacts"/results/*LeadStateBenchmarks-report-github.md | sed "s/&#39;//g"
  echo
  echo "$training"
  if [ -n "$imports" ]; then
    echo
    echo "$imports"
  fi
} > docs/benchmarks.md
echo "wrote docs/benchmarks.md"
