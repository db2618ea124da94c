/** Prometheus query source: statistics and performance from the SDK's metrics. See docs/stack.md. */
export {
  PrometheusQuerySource,
  PrometheusUnsupportedError,
  PROM_METRICS,
  PROM_LABELS,
  type PrometheusQuerySourceOptions,
} from './prometheus-query-source.js';
export {
  PrometheusClient,
  PrometheusQueryError,
  type PrometheusClientOptions,
  type PromSample,
  type PromSeries,
} from './prometheus-client.js';
