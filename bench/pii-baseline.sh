#!/usr/bin/env bash
# Builds another commit of this repository in a temporary directory and prints its dist directory,
# for BENCH_PII_BASELINE (bench/pii.ts): e.g. the detectors as they were before a change,
#   BENCH_PII_BASELINE=$(bash bench/pii-baseline.sh <commit>) node dist/bench/pii.js
# The build uses this checkout's node_modules (a link); remove the directory when done.
set -euo pipefail
commit="${1:?usage: bench/pii-baseline.sh <commit>}"
root="$(git rev-parse --show-toplevel)"
dir="$(mktemp -d -t pii-baseline.XXXXXX)"
git -C "$root" archive "$commit" | tar -x -C "$dir"
ln -s "$root/node_modules" "$dir/node_modules"
(cd "$dir" && npx tsc -p tsconfig.json >&2)
echo "$dir/dist"
