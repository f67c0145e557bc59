#!/usr/bin/env bash
# Runs scripts/benchmarks.sh and one scripts/http-benchmarks.sh pass on two commits in the same session, each in a
# worktree of its own (this tree's docs are left alone), and writes both builds' reports to docs/build-comparison.md.
# For a change meant to leave speed alone: the figures should agree within the machine's run-to-run noise.
# Not part of ./test.sh: about 35 minutes, on an otherwise idle machine.
#   BASELINE_REF=b225e2e [CURRENT_REF=HEAD] [TOPOLOGIES=separate] scripts/compare-builds.sh
set -euo pipefail
cd "$(dirname "$0")/.."
: "${BASELINE_REF:?set BASELINE_REF to the commit to compare against}"
CURRENT_REF=${CURRENT_REF:-HEAD}
export TOPOLOGIES=${TOPOLOGIES:-separate}

trees=()
cleanup() { for tree in "${trees[@]}"; do git worktree remove --force "$tree"; done; }
trap cleanup EXIT
checkout() { # ref -> path of a fresh worktree at it
  local tree; tree=$(mktemp -d)
  git worktree add -q --detach "$tree" "$1"
  trees+=("$tree")
  echo "$tree"
}
baseline=$(checkout "$BASELINE_REF")
current=$(checkout "$CURRENT_REF")
# The builds alternate: in-process benchmarks of both, then the HTTP pass of both.
for tree in "$baseline" "$current"; do
  echo "==== benchmarks.sh at $(git -C "$tree" rev-parse --short HEAD)"
  (cd "$tree" && scripts/benchmarks.sh)
done
for tree in "$baseline" "$current"; do
  echo "==== http-benchmarks.sh at $(git -C "$tree" rev-parse --short HEAD)"
  (cd "$tree" && scripts/http-benchmarks.sh)
done

{
  echo "# Build comparison"
  echo
  echo "Written by \`scripts/compare-builds.sh\` on $(date -u '+%Y-%m-%d %H:%M') UTC, $(nproc) cores: \`scripts/benchmarks.sh\` and one pass of \`scripts/http-benchmarks.sh\` (topologies: $TOPOLOGIES) on $(git rev-parse --short "$BASELINE_REF") (baseline) and $(git rev-parse --short "$CURRENT_REF"), one after the other in the same session, in-process benchmarks of both builds first. Each section below is that build's own report, its headings one level down."
  for tree in "$baseline" "$current"; do
    label="$(git -C "$tree" rev-parse --short HEAD)$([ "$tree" = "$baseline" ] && echo " (baseline)")"
    for report in benchmarks http-benchmarks; do
      echo
      echo "## $report.md at $label"
      echo
      # The report's own title goes; its sections become subsections.
      sed '1{/^# /d}' "$tree/docs/$report.md" | sed 's/^## /### /'
    done
  done
} > docs/build-comparison.md
echo "wrote docs/build-comparison.md"
