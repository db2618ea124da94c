#!/usr/bin/env bash
# Starts the servers built by scripts/stack/build.sh on 127.0.0.1 with the committed configs
# (collector-config/collector.yaml, prometheus/prometheus.yml) and Prometheus's server flags from
# prometheus/prometheus.flags (the same file docker-compose.yml uses), on test ports:
#   collector OTLP gRPC 14317, OTLP HTTP 14318, health 13133, own metrics 18888; Prometheus 19090.
# The collector's Loki exporter points at a loopback OTLP receiver that the e2e tests serve
# themselves on 13100 (a stand-in for Loki's OTLP endpoint; Loki cannot be built here).
# Waits for readiness (collector health check, Prometheus /-/ready) with a bounded timeout, then
# writes pid files and an env file (path: `start.sh --print-env-file`) exporting
#   AUDIT_TEST_COLLECTOR_OTLP_URL, AUDIT_TEST_COLLECTOR_GRPC_ENDPOINT, AUDIT_TEST_COLLECTOR_HEALTH_URL,
#   AUDIT_TEST_PROMETHEUS_URL, AUDIT_TEST_LOG_RECEIVER_URL, AUDIT_TEST_STACK_DIR, AUDIT_TEST_STACK_SCRIPTS.
# Options:
#   --print-env-file     print the env file's path and exit
#   --only collector|prometheus   start just one server (the e2e restart test uses this)
#   --keep-state         keep the collector's persistent queue and Prometheus's data (default: fresh)
set -euo pipefail
# shellcheck source=versions.sh
source "$(dirname "${BASH_SOURCE[0]}")/versions.sh"

log() { printf '[stack/start %s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }
die() { printf '[stack/start] FAILED: %s\n' "$*" >&2; exit 1; }

only="" keep_state=0
while [ $# -gt 0 ]; do
  case "$1" in
    --print-env-file) echo "$STACK_ENV_FILE"; exit 0 ;;
    --only) only="${2:-}"; shift ;;
    --keep-state) keep_state=1 ;;
    *) die "unknown option $1" ;;
  esac
  shift
done
command -v curl >/dev/null || die "curl is required for the readiness checks (apt-get install curl)"
READY_TIMEOUT="${AUDIT_STACK_READY_TIMEOUT:-60}"

mkdir -p "$STACK_RUN/logs"
export COLLECTOR_OTLP_GRPC_ENDPOINT="127.0.0.1:$COLLECTOR_GRPC_PORT"
export COLLECTOR_OTLP_HTTP_ENDPOINT="127.0.0.1:$COLLECTOR_HTTP_PORT"
export COLLECTOR_HEALTH_ENDPOINT="127.0.0.1:$COLLECTOR_HEALTH_PORT"
export COLLECTOR_TELEMETRY_HOST="127.0.0.1"
export COLLECTOR_TELEMETRY_PORT="${AUDIT_TEST_COLLECTOR_TELEMETRY_PORT:-18888}"
export COLLECTOR_QUEUE_DIR="$STACK_RUN/collector-queue"
export LOKI_OTLP_ENDPOINT="http://127.0.0.1:$LOG_RECEIVER_PORT/otlp"
export LOKI_OTLP_ENCODING="json"
export PROMETHEUS_OTLP_ENDPOINT="http://127.0.0.1:$PROMETHEUS_PORT/api/v1/otlp"
export EXPORT_RETRY_MAX_INTERVAL="2s"

port_free() { ! ss -ltnH "sport = :$1" 2>/dev/null | grep -q .; }

# wait_ready NAME URL PID: polls URL until it answers 2xx, the process dies, or the timeout passes.
wait_ready() {
  local name="$1" url="$2" pid="$3" deadline=$((SECONDS + READY_TIMEOUT))
  while [ $SECONDS -lt $deadline ]; do
    kill -0 "$pid" 2>/dev/null || { tail -n 30 "$STACK_RUN/logs/$name.log" >&2; die "$name exited during start-up (log: $STACK_RUN/logs/$name.log)"; }
    if curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null; then return 0; fi
    sleep 0.25
  done
  tail -n 30 "$STACK_RUN/logs/$name.log" >&2
  die "$name not ready at $url after ${READY_TIMEOUT}s (log: $STACK_RUN/logs/$name.log)"
}

# launch NAME CMD...: starts CMD in its own session, logs to $STACK_RUN/logs/NAME.log, writes NAME.pid.
launch() {
  local name="$1"; shift
  # a killed server not yet reaped by its parent (a zombie) is not running
  if [ -f "$STACK_RUN/$name.pid" ] && kill -0 "$(cat "$STACK_RUN/$name.pid")" 2>/dev/null \
    && [ "$(ps -o stat= -p "$(cat "$STACK_RUN/$name.pid")" 2>/dev/null | cut -c1)" != Z ]; then
    die "$name already running (pid $(cat "$STACK_RUN/$name.pid")); run scripts/stack/stop.sh first"
  fi
  setsid "$@" >>"$STACK_RUN/logs/$name.log" 2>&1 </dev/null &
  echo $! >"$STACK_RUN/$name.pid"
}

start_prometheus() {
  [ -x "$PROMETHEUS_BIN" ] || die "Prometheus not built: run scripts/stack/build.sh ($PROMETHEUS_BIN missing)"
  port_free "$PROMETHEUS_PORT" || die "port $PROMETHEUS_PORT is in use (Prometheus test port)"
  [ $keep_state = 1 ] || rm -rf "$STACK_RUN/prometheus-data"
  local t0=$SECONDS flags
  # the same server flags as docker-compose.yml: prometheus/prometheus.flags is their one source
  mapfile -t flags < <(grep -v -e '^#' -e '^[[:space:]]*$' "$STACK_REPO_ROOT/prometheus/prometheus.flags")
  [ ${#flags[@]} -gt 0 ] || die "prometheus/prometheus.flags lists no flags"
  launch prometheus "$PROMETHEUS_BIN" \
    --config.file="$STACK_REPO_ROOT/prometheus/prometheus.yml" \
    --web.listen-address="127.0.0.1:$PROMETHEUS_PORT" \
    --storage.tsdb.path="$STACK_RUN/prometheus-data" \
    "${flags[@]}" \
    --log.level=warn
  wait_ready prometheus "http://127.0.0.1:$PROMETHEUS_PORT/-/ready" "$(cat "$STACK_RUN/prometheus.pid")"
  log "prometheus $PROMETHEUS_VERSION ready on 127.0.0.1:$PROMETHEUS_PORT in $((SECONDS - t0)) s"
}

start_collector() {
  [ -x "$OTELCOL_BIN" ] || die "collector not built: run scripts/stack/build.sh ($OTELCOL_BIN missing)"
  for p in "$COLLECTOR_GRPC_PORT" "$COLLECTOR_HTTP_PORT" "$COLLECTOR_HEALTH_PORT" "$COLLECTOR_TELEMETRY_PORT"; do
    port_free "$p" || die "port $p is in use (collector test port)"
  done
  [ $keep_state = 1 ] || rm -rf "$COLLECTOR_QUEUE_DIR"
  local t0=$SECONDS
  launch collector "$OTELCOL_BIN" --config="file:$STACK_REPO_ROOT/collector-config/collector.yaml"
  wait_ready collector "http://127.0.0.1:$COLLECTOR_HEALTH_PORT/" "$(cat "$STACK_RUN/collector.pid")"
  log "collector $OTELCOL_VERSION ready on 127.0.0.1:$COLLECTOR_HTTP_PORT (OTLP/HTTP), :$COLLECTOR_GRPC_PORT (gRPC) in $((SECONDS - t0)) s"
}

write_env() {
  cat >"$STACK_ENV_FILE.tmp" <<ENV
# Written by scripts/stack/start.sh: where the test servers listen.
export AUDIT_TEST_COLLECTOR_OTLP_URL=http://127.0.0.1:$COLLECTOR_HTTP_PORT
export AUDIT_TEST_COLLECTOR_GRPC_ENDPOINT=127.0.0.1:$COLLECTOR_GRPC_PORT
export AUDIT_TEST_COLLECTOR_HEALTH_URL=http://127.0.0.1:$COLLECTOR_HEALTH_PORT
export AUDIT_TEST_PROMETHEUS_URL=http://127.0.0.1:$PROMETHEUS_PORT
export AUDIT_TEST_LOG_RECEIVER_URL=http://127.0.0.1:$LOG_RECEIVER_PORT
export AUDIT_TEST_STACK_DIR=$STACK_RUN
export AUDIT_TEST_STACK_SCRIPTS=$STACK_REPO_ROOT/scripts/stack
ENV
  mv "$STACK_ENV_FILE.tmp" "$STACK_ENV_FILE"
}

case "$only" in
  "") start_prometheus; start_collector; write_env; log "env: $STACK_ENV_FILE" ;;
  collector) start_collector; write_env ;;
  prometheus) start_prometheus; write_env ;;
  *) die "--only takes collector or prometheus" ;;
esac
