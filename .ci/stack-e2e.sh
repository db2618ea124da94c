#!/usr/bin/env bash
# Runs only the stack's end-to-end tests (@e2e) against real servers: builds the collector (OCB) and
# Prometheus from Go modules (cached under ~/.cache/orchestrator-audit), starts them on 127.0.0.1,
# runs every `@e2e` mocha suite, and stops the servers whatever happens. Fails loudly on any error.
# The whole suite (unit + e2e) runs through scripts/test-all.sh / .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v go >/dev/null || { echo "stack-e2e: Go is required to build the collector and Prometheus" >&2; exit 1; }

echo "== build (tsc)"
npx tsc -p tsconfig.json || echo "stack-e2e: tsc reported type errors (JS was still emitted); continuing"

echo "== servers: build from Go modules"
bash scripts/stack/build.sh

echo "== servers: start"
bash scripts/stack/start.sh
trap 'bash scripts/stack/stop.sh || true' EXIT
# shellcheck disable=SC1090
source "$(bash scripts/stack/start.sh --print-env-file)"

echo "== mocha --grep @e2e"
npx mocha --grep @e2e "$@"
