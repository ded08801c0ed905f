#!/usr/bin/env bash
# Whole-process wall time, median of 5 warm runs, of the build host's cheapest and a real target.
# Usage: bench/build-host.sh   (prints a Markdown table row per command)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export NO_COLOR=1

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
measure() {
  "$@" >/dev/null 2>&1 || true   # warm-up: host compiled, packages restored, obj/ up to date
  for _ in 1 2 3 4 5; do
    local start end
    start=$(date +%s.%N); "$@" >/dev/null 2>&1; end=$(date +%s.%N)
    echo "$end - $start" | bc
  done | median
}

echo "| command | median of 5 (s) |"
echo "|---|---:|"
echo "| \`./build.sh --tree\` | $(measure ./build.sh --tree) |"
echo "| \`./build.sh --target=Build\` | $(measure ./build.sh --target=Build) |"
