/** OTLP settings: read from the environment once (src/logger/env.ts), resolved with the options (src/sinks/otlp-options.ts). */
import { expect } from 'chai';
import { otlpFromEnv, otlpSettingsFromEnv, resourceFromEnv } from '../../src/logger/env.js';
import { resolveOtlpOptions, type AuditOtlpOptions } from '../../src/sinks/otlp-options.js';
import { resolveShipperOptions } from '../../src/sinks/shipper/options.js';

/** What the AuditLogger resolves for `options` in `env`. */
function resolved(options: AuditOtlpOptions, env: Record<string, string>) {
  return resolveOtlpOptions(options, otlpSettingsFromEnv(env));
}

describe('OTLP settings: options over the environment, signal-specific over generic', () => {
  const ENV = {
    AUDIT_OTLP_ENDPOINT: 'http://audit:1',
    OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel:2',
    OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'http://env-logs:3/l',
    OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://env-metrics:4/m',
  };

  it('a URL: option signal URL, env signal URL, option endpoint, env endpoint (AUDIT_OTLP_ENDPOINT before OTEL_)', () => {
    expect(resolved({ logsUrl: 'http://opt-logs:5/l', endpoint: 'http://opt:6' }, ENV)).to.include({
      logsUrl: 'http://opt-logs:5/l',
      metricsUrl: 'http://env-metrics:4/m',
    });
    // the environment's signal URL wins over the option's base endpoint (signal-specific first)
    expect(resolved({ endpoint: 'http://opt:6' }, ENV)).to.include({
      logsUrl: 'http://env-logs:3/l',
      metricsUrl: 'http://env-metrics:4/m',
    });
    const bases = {
      AUDIT_OTLP_ENDPOINT: ENV.AUDIT_OTLP_ENDPOINT,
      OTEL_EXPORTER_OTLP_ENDPOINT: ENV.OTEL_EXPORTER_OTLP_ENDPOINT,
    };
    expect(resolved({ endpoint: 'http://opt:6/' }, bases)).to.include({
      logsUrl: 'http://opt:6/v1/logs',
      metricsUrl: 'http://opt:6/v1/metrics',
    });
    expect(resolved({}, bases)).to.include({
      logsUrl: 'http://audit:1/v1/logs',
      metricsUrl: 'http://audit:1/v1/metrics',
    });
    expect(resolved({}, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel:2' })?.logsUrl).to.equal('http://otel:2/v1/logs');
    // empty values are no values
    expect(
      resolved({ endpoint: '' }, { AUDIT_OTLP_ENDPOINT: ' ', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel:2' })?.logsUrl,
    ).to.equal('http://otel:2/v1/logs');
  });

  it('headers: the option replaces the environment; OTEL_EXPORTER_OTLP_LOGS_HEADERS goes over the generic ones', () => {
    const env = {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel:2',
      OTEL_EXPORTER_OTLP_HEADERS: 'authorization=generic,x-tenant=t1',
      OTEL_EXPORTER_OTLP_LOGS_HEADERS: 'authorization=logs',
    };
    expect(resolved({}, env)?.headers).to.deep.equal({ authorization: 'logs', 'x-tenant': 't1' });
    expect(resolved({ headers: { authorization: 'option' } }, env)?.headers).to.deep.equal({ authorization: 'option' });
    expect(resolved({}, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel:2' })?.headers).to.deep.equal({});
  });

  it('timeout and metric interval: option, then environment, then the default; shutdown waits the timeout + 5 s', () => {
    const env = {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel:2',
      OTEL_EXPORTER_OTLP_TIMEOUT: '1000',
      OTEL_METRIC_EXPORT_INTERVAL: '5000',
    };
    expect(resolved({}, env)).to.include({
      timeoutMillis: 1000,
      shutdownTimeoutMillis: 6000,
      metricExportIntervalMillis: 5000,
    });
    expect(resolved({ timeoutMs: 300, metricIntervalMs: 700 }, env)).to.include({
      timeoutMillis: 300,
      shutdownTimeoutMillis: 5300,
      metricExportIntervalMillis: 700,
    });
    expect(resolved({}, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel:2' })).to.include({
      timeoutMillis: 10_000,
      shutdownTimeoutMillis: 15_000,
      metricExportIntervalMillis: 15_000,
    });
    expect(() => otlpSettingsFromEnv({ OTEL_EXPORTER_OTLP_TIMEOUT: 'soon' })).to.throw(
      RangeError,
      /OTEL_EXPORTER_OTLP_TIMEOUT/,
    );
  });

  it('metrics: OTEL_METRICS_EXPORTER=none turns them off unless the option asks for them', () => {
    const env = { OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'http://env-logs:3/l', OTEL_METRICS_EXPORTER: 'none' };
    expect(resolved({}, env)).to.include({ logsUrl: 'http://env-logs:3/l', metricsUrl: undefined });
    // metrics asked for, but no metrics URL anywhere: not resolvable (the logger then fails at start-up)
    expect(resolved({ metrics: true }, env)).to.equal(undefined);
    expect(resolved({ metrics: true, metricsUrl: 'http://m:7/m' }, env)?.metricsUrl).to.equal('http://m:7/m');
  });

  it('startAuditFromEnv and createAuditLogger read the same settings: otlpFromEnv is otlpSettingsFromEnv when export is on', () => {
    const env = { ...ENV, OTEL_EXPORTER_OTLP_TIMEOUT: '1000', OTEL_EXPORTER_OTLP_HEADERS: 'a=1' };
    expect(otlpFromEnv(env)).to.deep.equal(otlpSettingsFromEnv(env));
    expect(otlpSettingsFromEnv(env)).to.deep.equal({
      endpoint: 'http://audit:1',
      logsUrl: 'http://env-logs:3/l',
      metricsUrl: 'http://env-metrics:4/m',
      headers: { a: '1' },
      timeoutMs: 1000,
      metrics: true,
    });
    expect(otlpFromEnv({ ...env, OTEL_SDK_DISABLED: 'true' })).to.equal(undefined);
  });

  it("the shipper's protocol and compression: option, then the logs variable, then the generic one; unknown values are unset", () => {
    const env = {
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_LOGS_COMPRESSION: 'gzip',
      OTEL_EXPORTER_OTLP_COMPRESSION: 'none',
    };
    const fromEnv = otlpSettingsFromEnv(env).shipper;
    expect(fromEnv).to.deep.equal({ protocol: 'http/json', compression: 'gzip' });
    expect(resolveShipperOptions({}, fromEnv)).to.include({ protocol: 'http/json', compression: 'gzip' });
    expect(resolveShipperOptions({ protocol: 'http/protobuf', compression: 'none' }, fromEnv)).to.include({
      protocol: 'http/protobuf',
      compression: 'none',
    });
    expect(
      otlpSettingsFromEnv({ ...env, OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: 'HTTP/Protobuf' }).shipper?.protocol,
    ).to.equal('http/protobuf');
    expect(otlpSettingsFromEnv({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }).shipper).to.equal(undefined);
    expect(resolveShipperOptions({}, {})).to.include({ protocol: 'http/protobuf', compression: 'none' });
  });

  it('the resolution reads no environment of its own', () => {
    const set = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' };
    const saved = Object.fromEntries(Object.keys(set).map((k) => [k, process.env[k]]));
    Object.assign(process.env, set);
    try {
      expect(resolveOtlpOptions({})).to.equal(undefined);
      expect(resolveOtlpOptions({ endpoint: 'http://opt:6' })?.headers).to.deep.equal({});
      expect(resolveShipperOptions({}).protocol).to.equal('http/protobuf');
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });
});

describe('resource settings from the environment', () => {
  it('reads OTEL_RESOURCE_ATTRIBUTES and OTEL_SERVICE_NAME in one place; empty values are unset', () => {
    expect(resourceFromEnv({ OTEL_RESOURCE_ATTRIBUTES: 'team=sales', OTEL_SERVICE_NAME: 'lead-bot' })).to.deep.equal({
      attributes: { team: 'sales' },
      serviceName: 'lead-bot',
    });
    expect(resourceFromEnv({ OTEL_SERVICE_NAME: '' })).to.deep.equal({ attributes: {} });
    expect(resourceFromEnv({ OTEL_RESOURCE_ATTRIBUTES: 'no-equals' }).error).to.match(/not key=value/);
  });
});
