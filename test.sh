#!/usr/bin/env bash
# Runs every test against a private PostgreSQL server that it starts and stops itself.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/postgres.sh

ensure_postgres_installed
start_private_postgres
trap stop_private_postgres EXIT
export LEADSCORING_TEST_POSTGRES="$PG_CONNECTION"

echo "== build (Release)"
dotnet build LeadScoring.sln -c Release -nologo -v quiet -clp:ErrorsOnly

echo "== test"
log=$(mktemp)
status=0
dotnet test tests/LeadScoring.Tests/LeadScoring.Tests.csproj -c Release --no-build -nologo \
  --logger "console;verbosity=normal" 2>&1 | tee "$log" || status=$?
summary=$(grep -E "(Passed|Failed)! +- +Failed: +[0-9]+, +Passed: +[0-9]+" "$log" | tail -n 1 || true)
rm -f "$log"
if [ -z "$summary" ]; then
  echo "no test summary found" >&2
  exit 1
fi
failed=$(sed -E 's/.*Failed: +([0-9]+).*/\1/' <<<"$summary")
passed=$(sed -E 's/.*Passed: +([0-9]+).*/\1/' <<<"$summary")
echo "$passed passed, $failed failed"
exit "$status"
