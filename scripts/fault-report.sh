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
# What one run of a fault test measured (a line with the figures per case, "retrying" or "not retrying"), and why
# a case failed; its whole output stays in $logs. Each line becomes a bullet naming the round.
measure() { # test class
  local log="$logs/$1-$round.log"
  dotnet test tests/LeadScoring.Tests -c Release --no-build -nologo --filter "FullyQualifiedName~$1" \
    --logger "console;verbosity=detailed" >"$log" 2>&1 || true
  { grep " requests: " "$log" | sed 's/^ *//' || true
    grep -A1 'Error Message:' "$log" | grep -v -e 'Error Message:' -e '^--' | sed 's/^ */FAILED: /' | cut -c1-400 | sed "s|\$| (output: $log)|" || true
  } | sed "s/^/- round $round, /"
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
  echo "Written by \`scripts/fault-report.sh\` on $(date -u '+%Y-%m-%d %H:%M') UTC, $(nproc) cores. Each round runs three fault tests, each on two silos and a separate API process in PostgreSQL mode, with six clients posting one activity with a new id per request as fast as answered. The API retries a call that is safe to repeat for up to 10 s before it answers 503 (\`LeadScoring:UnavailableRetry\`); the database and silo tests run each fault with those defaults (\"retrying\") and with retries off (\"not retrying\"), which shows what the retries hide. Every run also asserted that no answer was a 500, that every 503 carried Retry-After, and that every acknowledged activity was stored (after all processes restarted, each one sent again was a duplicate)."
  echo
  echo "## PostgreSQL restarted"
  echo
  echo "\`DatabaseRestartTests\`: a private PostgreSQL with its durable defaults, stopped at once (\`pg_ctl stop -m immediate\`, as a crash) 3 s in and started again 5 s later; the load goes on for 8 s after it is back."
  echo
  printf '%s\n' "${restarts[@]}"
  echo
  echo "## A silo killed"
  echo
  echo "\`SiloKillTests\`: the second silo killed with SIGKILL 3 s in; the load goes on for 20 s after the kill."
  echo
  printf '%s\n' "${kills[@]}"
  echo
  echo "## The API process killed"
  echo
  echo "\`ApiKillTests\`: the API process killed with SIGKILL 3 s in and started again at once; the load goes on for 8 s after it is ready again. Requests sent while it is gone get no answer at all (status 0: connection refused, as clients see it); the assertions allow that only then."
  echo
  printf '%s\n' "${api_kills[@]}"
} > docs/faults.md
echo "wrote docs/faults.md"
