#!/usr/bin/env bash
# Runs the fault tests ROUNDS times on a private PostgreSQL and writes what they measured to docs/faults.md: the
# share of requests refused with 503 while the database was down, and how soon after it was back the cluster
# acknowledged writes again. Not part of ./test.sh (which runs each fault test once, for its assertions).
#   ROUNDS=3 scripts/fault-report.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/postgres.sh
ROUNDS=${ROUNDS:-3}

ensure_postgres_installed
start_private_postgres
trap stop_private_postgres EXIT
export LEADSCORING_TEST_POSTGRES="$PG_CONNECTION"
dotnet build LeadScoring.sln -c Release -nologo -v quiet -clp:ErrorsOnly
rounds=()
for round in $(seq 1 "$ROUNDS"); do
  echo "== database restart under load, round $round"
  line=$(dotnet test tests/LeadScoring.Tests -c Release --no-build -nologo --filter "FullyQualifiedName~DatabaseRestartTests" \
    --logger "console;verbosity=detailed" 2>&1 | grep -m1 " requests: " | sed 's/^ *//')
  echo "$line"
  rounds+=("$line")
done

{
  echo "# Faults"
  echo
  echo "Written by \`scripts/fault-report.sh\` on $(date -u '+%Y-%m-%d %H:%M') UTC, $(nproc) cores. Each round is one run of \`DatabaseRestartTests\`: two silos and a separate API process in PostgreSQL mode (PostgreSQL's durable defaults), six clients posting one activity with a new id per request as fast as answered, and PostgreSQL stopped at once (\`pg_ctl stop -m immediate\`, as a crash) 3 s in and started again 5 s later. Every round also asserted that no answer was a 500, that every 503 carried Retry-After, and that every acknowledged activity was stored (after all processes restarted, each one sent again was a duplicate)."
  echo
  for i in "${!rounds[@]}"; do
    echo "- round $((i + 1)): ${rounds[$i]}"
  done
} > docs/faults.md
echo "wrote docs/faults.md"
