#!/usr/bin/env bash
# Stops the servers started by scripts/stack/start.sh, by the process ids it recorded
# (SIGTERM, then SIGKILL after 20 s). `--only collector|prometheus` stops just one.
set -euo pipefail
# shellcheck source=versions.sh
source "$(dirname "${BASH_SOURCE[0]}")/versions.sh"

log() { printf '[stack/stop %s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }
only=""
[ "${1:-}" = "--only" ] && only="${2:-}"

stop_one() {
  local name="$1" pidfile="$STACK_RUN/$1.pid" pid
  [ -f "$pidfile" ] || return 0
  pid="$(cat "$pidfile")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + 20))
    while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      log "$name (pid $pid) did not stop in 20 s: SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    log "$name stopped (pid $pid)"
  fi
  rm -f "$pidfile"
}

case "$only" in
  "") stop_one collector; stop_one prometheus ;;
  collector|prometheus) stop_one "$only" ;;
  *) echo "stop.sh: --only takes collector or prometheus" >&2; exit 1 ;;
esac
