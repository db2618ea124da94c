#!/usr/bin/env bash
# Builds the servers of docker-compose.yml from their Go modules, at the same versions:
#   - the collector distribution of collector-config/builder-config.yaml with the OpenTelemetry
#     Collector Builder (OCB) v0.165.0;
#   - Prometheus 3.16.0 from github.com/prometheus/prometheus v0.316.0 (HTTP API only, no web UI),
#     with the build tag remove_all_sd: no cloud service-discovery plugins (the stack uses
#     static_configs only; OTLP ingestion, TSDB and PromQL are the same code as the image).
# Binaries are cached outside the repo under ~/.cache/orchestrator-audit/bin/<component>-<version>/
# (override with AUDIT_STACK_CACHE) and reused when present. Any failure exits non-zero, loudly.
# Loki is NOT built: see docs/stack.md ("Loki here").
set -euo pipefail
# shellcheck source=versions.sh
source "$(dirname "${BASH_SOURCE[0]}")/versions.sh"

log() { printf '[stack/build %s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }
die() { printf '[stack/build] FAILED: %s\n' "$*" >&2; exit 1; }
command -v go >/dev/null || die "Go is required (go.dev/dl); none on PATH"

manifest="$STACK_REPO_ROOT/collector-config/builder-config.yaml"
manifest_sum="$(sha256sum "$manifest" | cut -c1-16)"

build_collector() {
  if [ -x "$OTELCOL_BIN" ] && [ "$(cat "$OTELCOL_DIR/.manifest-sum" 2>/dev/null)" = "$manifest_sum" ]; then
    log "collector $OTELCOL_VERSION: cached ($OTELCOL_BIN)"
    return
  fi
  local t0=$SECONDS
  if [ ! -x "$BUILDER_BIN" ]; then
    log "installing OCB go.opentelemetry.io/collector/cmd/builder@v$OTELCOL_VERSION"
    mkdir -p "$BUILDER_DIR"
    GOBIN="$BUILDER_DIR" go install "go.opentelemetry.io/collector/cmd/builder@v$OTELCOL_VERSION" \
      || die "go install of the collector builder v$OTELCOL_VERSION"
  fi
  log "building collector $OTELCOL_VERSION from $manifest (minutes on a cold cache)"
  rm -rf "$OTELCOL_DIR.tmp" && mkdir -p "$OTELCOL_DIR.tmp"
  "$BUILDER_BIN" --config "$manifest" --output-path "$OTELCOL_DIR.tmp" \
    || die "collector build with OCB (see the output above)"
  [ -x "$OTELCOL_DIR.tmp/otelcol-audit" ] || die "OCB finished without producing otelcol-audit"
  echo "$manifest_sum" >"$OTELCOL_DIR.tmp/.manifest-sum"
  rm -rf "$OTELCOL_DIR" && mv "$OTELCOL_DIR.tmp" "$OTELCOL_DIR"
  log "collector built in $((SECONDS - t0)) s: $OTELCOL_BIN"
}

prom_flags="-tags remove_all_sd -ldflags -X=github.com/prometheus/common/version.Version=$PROMETHEUS_VERSION"

build_prometheus() {
  if [ -x "$PROMETHEUS_BIN" ] && [ "$(cat "$PROMETHEUS_DIR/.build-flags" 2>/dev/null)" = "$prom_flags" ]; then
    log "prometheus $PROMETHEUS_VERSION: cached ($PROMETHEUS_BIN)"
    return
  fi
  local t0=$SECONDS
  log "building prometheus $PROMETHEUS_VERSION (module $PROMETHEUS_MODULE_VERSION; minutes on a cold cache)"
  rm -rf "$PROMETHEUS_DIR.tmp" && mkdir -p "$PROMETHEUS_DIR.tmp"
  # shellcheck disable=SC2086 # prom_flags is a list of flags
  GOBIN="$PROMETHEUS_DIR.tmp" go install $prom_flags \
    "github.com/prometheus/prometheus/cmd/prometheus@$PROMETHEUS_MODULE_VERSION" \
    || die "go install github.com/prometheus/prometheus/cmd/prometheus@$PROMETHEUS_MODULE_VERSION"
  "$PROMETHEUS_DIR.tmp/prometheus" --version 2>&1 | grep -q "version $PROMETHEUS_VERSION" \
    || die "the built prometheus does not report version $PROMETHEUS_VERSION"
  echo "$prom_flags" >"$PROMETHEUS_DIR.tmp/.build-flags"
  rm -rf "$PROMETHEUS_DIR" && mv "$PROMETHEUS_DIR.tmp" "$PROMETHEUS_DIR"
  log "prometheus built in $((SECONDS - t0)) s: $PROMETHEUS_BIN"
}

case "${1:-all}" in
  collector) build_collector ;;
  prometheus) build_prometheus ;;
  all) build_collector; build_prometheus ;;
  *) die "usage: build.sh [all|collector|prometheus]" ;;
esac
"$OTELCOL_BIN" --version >/dev/null 2>&1 || [ "${1:-all}" = prometheus ] || die "collector binary does not run"
log "done"
