#!/usr/bin/env bash
# Lints the API's OpenAPI document with Redocly CLI's recommended rules; scripts/redocly.yaml names each rule
# turned down and why. The document comes from scripts/openapi-document.sh: a running API when
# LEADSCORING_API_URL and LEADSCORING_TOKEN are set, otherwise one it starts in memory mode.
#   scripts/lint-openapi.sh            exit code 1 on any error
set -euo pipefail
cd "$(dirname "$0")/.."
REDOCLY_CLI="@redocly/cli@2.77.0"
document=$(mktemp --suffix .json)
trap 'rm -f "$document"' EXIT
scripts/openapi-document.sh "$document"
npx --yes "$REDOCLY_CLI" lint --config scripts/redocly.yaml "$document"
