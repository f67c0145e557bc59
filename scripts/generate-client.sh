#!/usr/bin/env bash
# Regenerates the typed HTTP client (Client/, LeadScoring.Client) with Kiota, the version pinned in
# .config/dotnet-tools.json. By default it first writes the API's current document to Client/openapi.json
# (scripts/openapi-document.sh: a running API, or one it starts in memory mode); commit both together.
#   scripts/generate-client.sh                  fetch the document, then regenerate Client/Generated
#   scripts/generate-client.sh --output DIR     only generate from the checked-in Client/openapi.json into DIR
#                                               (the client-drift test compares DIR with Client/Generated)
set -euo pipefail
cd "$(dirname "$0")/.."
output=Client/Generated
if [ "${1:-}" = "--output" ]; then
  output=${2:?usage: scripts/generate-client.sh [--output DIR]}
else
  scripts/openapi-document.sh Client/openapi.json
  # Without the servers list, which names whichever host answered (a client is given its base address), and
  # indented, so that a change to the contract reads as a diff.
  python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); d.pop("servers", None); json.dump(d, open(sys.argv[1], "w"), indent=2, ensure_ascii=False)' Client/openapi.json
fi

dotnet tool restore >/dev/null
# Kiota asks GitHub for a newer version on every run; without the network that is a warning worth hiding.
KIOTA_UPDATE_DISABLED=true dotnet kiota generate --language CSharp --openapi Client/openapi.json --output "$output" \
  --class-name LeadScoringApiClient --namespace-name LeadScoring.Client --exclude-backward-compatible \
  --clean-output --log-level Error > /dev/null
