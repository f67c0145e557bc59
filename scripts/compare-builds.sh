#!/usr/bin/env bash
# Runs scripts/benchmarks.sh and one scripts/http-benchmarks.sh pass on two commits in the same session, each in a
# worktree of its own (this tree's docs are left alone), and writes both builds' reports to docs/build-comparison.md.
# For a change meant to leave speed alone: the figures should agree within the machine's run-to-run noise.
# Not part of ./test.sh: about 35 minutes, on an otherwise idle machine.
#   BASELINE_REF=b225e2e [CURRENT_REF=HEAD] [TOPOLOGIES=separate] scripts/compare-builds.sh
# The machine's speed drifts between runs, so a second call with ORDER=current-first (and IN_PROCESS=0 to skip the
# in-process pass) tells an order effect from a change; it writes docs/build-comparison-current-first.md.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${BASELINE_REF:?set BASELINE_REF to the commit to compare against}"
CURRENT_REF=${CURRENT_REF:-HEAD}
export TOPOLOGIES=${TOPOLOGIES:-separate}
ORDER=${ORDER:-baseline-first}
IN_PROCESS=${IN_PROCESS:-1}
out=docs/build-comparison.md
[ "$ORDER" = "current-first" ] && out=docs/build-comparison-current-first.md

baseline=$(mktemp -d)
current=$(mktemp -d)
trap 'git worktree remove --force "$baseline"; git worktree remove --force "$current"' EXIT
git worktree add -q --detach "$baseline" "$BASELINE_REF"
git worktree add -q --detach "$current" "$CURRENT_REF"
trees=("$baseline" "$current")
[ "$ORDER" = "current-first" ] && trees=("$current" "$baseline")
reports=(http-benchmarks)
# In-process benchmarks of both builds first, then the HTTP pass of both.
if [ "$IN_PROCESS" = "1" ]; then
  reports=(benchmarks http-benchmarks)
  for tree in "${trees[@]}"; do
    echo "==== benchmarks.sh at $(git -C "$tree" rev-parse --short HEAD)"
    (cd "$tree" && scripts/benchmarks.sh)
  done
fi
for tree in "${trees[@]}"; do
  echo "==== http-benchmarks.sh at $(git -C "$tree" rev-parse --short HEAD)"
  (cd "$tree" && scripts/http-benchmarks.sh)
done

{
  echo "# Build comparison"
  echo
  echo "Written by \`scripts/compare-builds.sh\` on $(date -u '+%Y-%m-%d %H:%M') UTC, $(nproc) cores: \`scripts/benchmarks.sh\` and one pass of \`scripts/http-benchmarks.sh\` (topologies: $TOPOLOGIES) on $(git rev-parse --short "$BASELINE_REF") (baseline) and $(git rev-parse --short "$CURRENT_REF"), one after the other in the same session in the order below$([ "$IN_PROCESS" = "1" ] && echo ", in-process benchmarks of both builds first"). Each section below is that build's own report, its headings one level down."
  for tree in "${trees[@]}"; do
    label=$(git -C "$tree" rev-parse --short HEAD)
    if [ "$tree" = "$baseline" ]; then label="$label (baseline)"; fi
    for report in "${reports[@]}"; do
      echo
      echo "## $report.md at $label"
      echo
      # The report's own title goes; its sections become subsections.
      sed '1{/^# /d}' "$tree/docs/$report.md" | sed 's/^## /### /'
    done
  done
} > "$out"
echo "wrote $out"
