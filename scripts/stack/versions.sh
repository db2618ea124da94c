# Shared version pins and cache paths for scripts/stack/*.sh (sourced, not executed).
# The one place for these versions: docker-compose.yml and collector-config/builder-config.yaml must
# name the same ones (test/stack/compose-files.test.ts fails otherwise).
OTELCOL_VERSION="0.165.0"          # otel/opentelemetry-collector-contrib:0.165.0, builder v0.165.0
PROMETHEUS_VERSION="3.16.0"        # prom/prometheus:v3.16.0
PROMETHEUS_MODULE_VERSION="v0.316.0" # github.com/prometheus/prometheus module for 3.16.0

STACK_REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
STACK_CACHE="${AUDIT_STACK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/orchestrator-audit}"
STACK_BIN="$STACK_CACHE/bin"
OTELCOL_DIR="$STACK_BIN/otelcol-audit-$OTELCOL_VERSION"
OTELCOL_BIN="$OTELCOL_DIR/otelcol-audit"
BUILDER_DIR="$STACK_BIN/builder-$OTELCOL_VERSION"
BUILDER_BIN="$BUILDER_DIR/builder"
PROMETHEUS_DIR="$STACK_BIN/prometheus-$PROMETHEUS_VERSION"
PROMETHEUS_BIN="$PROMETHEUS_DIR/prometheus"
# Runtime state of started servers (pids, data dirs, logs, env file): outside the repo too.
STACK_RUN="${AUDIT_STACK_RUN:-$STACK_CACHE/run}"
STACK_ENV_FILE="$STACK_RUN/env"

# Test ports on 127.0.0.1 (defaults avoided so a developer's own stack is not disturbed).
COLLECTOR_GRPC_PORT="${AUDIT_TEST_COLLECTOR_GRPC_PORT:-14317}"
COLLECTOR_HTTP_PORT="${AUDIT_TEST_COLLECTOR_HTTP_PORT:-14318}"
COLLECTOR_HEALTH_PORT="${AUDIT_TEST_COLLECTOR_HEALTH_PORT:-13133}"
PROMETHEUS_PORT="${AUDIT_TEST_PROMETHEUS_PORT:-19090}"
# Loopback stand-in for Loki's OTLP endpoint, served by the e2e tests themselves.
LOG_RECEIVER_PORT="${AUDIT_TEST_LOG_RECEIVER_PORT:-13100}"
