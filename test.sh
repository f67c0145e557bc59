#!/usr/bin/env bash
# Runs every test against a private PostgreSQL server that it starts and stops itself. Arguments go to each
# `dotnet test`, for example: ./test.sh --filter "FullyQualifiedName~Drift"
set -euo pipefail
started=$SECONDS
cd "$(dirname "$0")"
source scripts/postgres.sh

ensure_postgres_installed
# LightGBM's native library (a learner of the trainer) needs the OpenMP runtime.
if command -v dpkg >/dev/null && ! dpkg -s libgomp1 >/dev/null 2>&1; then
  echo "== installing libgomp1 from Debian's packages"
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq libgomp1 >/dev/null; } \
    || echo "libgomp1 did not install: the trainer falls back to FastTree and the LightGBM tests fail"
fi
# The web app's end-to-end tests drive Debian's Chromium (Playwright with its executable path, no browser download).
if ! command -v chromium >/dev/null; then
  echo "== installing chromium from Debian's packages"
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null; } \
    || echo "chromium did not install: the browser tests fail"
fi
start_private_postgres
trap stop_private_postgres EXIT
export LEADSCORING_TEST_POSTGRES="$PG_CONNECTION"

echo "== build (Release)"
dotnet build LeadScoring.sln -c Release -nologo -v quiet -clp:ErrorsOnly

echo "== test"
log=$(mktemp)
status=0
# The engine's and the web components' tests (seconds), then the grains', PostgreSQL's, processes', browser's and layout's.
for project in tests/LeadScoring.Modeling.Tests tests/LeadScoring.Web.Tests tests/LeadScoring.Tests; do
  dotnet test "$project" -c Release --no-build -nologo \
    --logger "console;verbosity=normal" "$@" 2>&1 | tee -a "$log" || status=$?
done
# dotnet test prints "Total tests: N / Passed: N / Failed: N" per project at normal verbosity: add them up.
sum() { { grep -E "$1" "$log" || true; } | { grep -oE "[0-9]+" || true; } | awk '{s += $1} END {print s + 0}'; }
total=$(sum "^Total tests: [0-9]+")
passed=$(sum "^ +Passed: [0-9]+$")
failed=$(sum "^ +Failed: [0-9]+$")
if [ "$failed" != 0 ]; then
  # CI shows only the end of the output: repeat each failure (name, message, stack) here.
  echo "== failures"
  awk '/^  Failed /{on=1; n=0} /^  (Passed|Skipped) /{on=0} on && n++ < 80' "$log"
fi
rm -f "$log"
if [ -z "$total" ] || [ "$total" -eq 0 ]; then
  echo "no tests ran" >&2
  exit 1
fi
elapsed=$((SECONDS - started))
echo "$passed passed, $failed failed in $((elapsed / 60)) min $((elapsed % 60)) s (build included)"
exit "$status"
