#!/usr/bin/env bash
# Runs the fault tests ROUNDS times on a private PostgreSQL and writes what they measured to docs/faults.md: the
# share of requests refused with 503 while the database was down or after a silo was killed, and how soon the
# cluster acknowledged writes again. Not part of ./test.sh (which runs each fault test once, for its assertions).
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
logs=$(mktemp -d)
# What one run of a fault test measured (the line it writes with the figures), or why it failed; its whole
# output stays in $logs.
measure() { # test class
  local log="$logs/$1-$round.log"
  dotnet test tests/LeadScoring.Tests -c Release --no-build -nologo --filter "FullyQualifiedName~$1" \
    --logger "console;verbosity=detailed" >"$log" 2>&1 || true
  grep -m1 " requests: " "$log" | sed 's/^ *//' \
    || echo "FAILED: $(grep -m1 -A1 'Error Message:' "$log" | tail -n 1 | sed 's/^ *//' | cut -c1-400) (output: $log)"
}
restarts=()
kills=()
api_kills=()
for round in $(seq 1 "$ROUNDS"); do
  echo "== round $round: database restart, silo kill, API kill"
  restarts+=("$(measure DatabaseRestartTests)")
  kills+=("$(measure SiloKillTests)")
  api_kills+=("$(measure ApiKillTests)")
  printf '%s\n' "${restarts[-1]}" "${kills[-1]}" "${api_kills[-1]}"
done

{
  echo "# Faults"
  echo
  echo "Written by \`scripts/fault-report.sh\` on $(date -u '+%Y-%m-%d %H:%M') UTC, $(nproc) cores. Each round runs three fault tests, each on two silos and a separate API process in PostgreSQL mode, with six clients posting one activity with a new id per request as fast as answered. Every run also asserted that no answer was a 500, that every 503 carried Retry-After, and that every acknowledged activity was stored (after all processes restarted, each one sent again was a duplicate)."
  echo
  echo "## PostgreSQL restarted"
  echo
  echo "\`DatabaseRestartTests\`: a private PostgreSQL with its durable defaults, stopped at once (\`pg_ctl stop -m immediate\`, as a crash) 3 s in and started again 5 s later; the load goes on for 8 s after it is back."
  echo
  for i in "${!restarts[@]}"; do
    echo "- round $((i + 1)): ${restarts[$i]}"
  done
  echo
  echo "## A silo killed"
  echo
  echo "\`SiloKillTests\`: the second silo killed with SIGKILL 3 s in; the load goes on for 20 s after the kill."
  echo
  for i in "${!kills[@]}"; do
    echo "- round $((i + 1)): ${kills[$i]}"
  done
  echo
  echo "## The API process killed"
  echo
  echo "\`ApiKillTests\`: the API process killed with SIGKILL 3 s in and started again at once; the load goes on for 8 s after it is ready again. Requests sent while it is gone get no answer at all (status 0: connection refused, as clients see it); the assertions allow that only then."
  echo
  for i in "${!api_kills[@]}"; do
    echo "- round $((i + 1)): ${api_kills[$i]}"
  done
} > docs/faults.md
echo "wrote docs/faults.md"
