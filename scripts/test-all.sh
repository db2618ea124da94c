#!/usr/bin/env bash
# The project's whole test suite: lint and format check, build, fetch the Node.js releases the package is tested on,
# build/start the real servers (collector, Prometheus) from Go modules, run every mocha test
# (unit, browser, package and @e2e), stop the servers.
# Fails loudly when a tool or server is missing; never skips a test.
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in node npm go; do
  command -v "$tool" >/dev/null || { echo "test-all: '$tool' is required but not installed" >&2; exit 1; }
done
[ -x /usr/bin/chromium ] || { echo "test-all: /usr/bin/chromium is required (apt-get install chromium)" >&2; exit 1; }

echo "== lint (eslint) and format (prettier --check)"
npx eslint .
npx prettier --check --log-level warn . || { echo "test-all: the files above are not formatted: run npm run format" >&2; exit 1; }

echo "== build (tsc)"
npm run --silent build

echo "== Node.js releases for the package test: fetch from the npm registry (cached outside the repo)"
bash scripts/node/fetch.sh

echo "== servers: build from Go modules (cached outside the repo)"
bash scripts/stack/build.sh

echo "== servers: start on 127.0.0.1"
bash scripts/stack/start.sh
trap 'bash scripts/stack/stop.sh || true' EXIT
# shellcheck disable=SC1091
source "$(bash scripts/stack/start.sh --print-env-file)"

echo "== mocha"
npx mocha 'dist/test/**/*.test.js' "$@"
