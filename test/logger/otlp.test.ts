import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { AuditDiagnostics } from '../../src/events/diagnostics.js';
import { createAuditLogger, setAuditLogger, startAuditFromEnv } from '../../src/logger/default-logger.js';
import { METRICS_EXPORT_FAILURE } from '../../src/sinks/otlp-metric-exporter.js';
import { TEST_KEY } from './fixture.js';

describe('AuditLogger OTLP export', () => {
  let server: Server;
  let endpoint: string;
  const requests: { url: string; body: string }[] = [];
  before(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        requests.push({ url: req.url ?? '', body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('sends the signed records to <endpoint>/v1/logs and the metrics to /v1/metrics', async () => {
    const audit = createAuditLogger({
      signingKey: TEST_KEY,
      env: {},
      sealIntervalMs: 0,
      otlp: { endpoint, metricIntervalMs: 3_600_000 },
      serviceName: 'otlp-test',
    });
    try {
      audit.logLeadIngested('L-OTLP', 'web', { score: 1 }, 'sales');
      await audit.forceFlush();
    } finally {
      await audit.shutdown();
    }
    const logs = requests
      .filter((r) => r.url === '/v1/logs')
      .map((r) => r.body)
      .join('\n');
    expect(logs)
      .to.contain('L-OTLP')
      .and.contain('orchestrator.lead.ingested')
      .and.contain('audit.sig')
      .and.contain('otlp-test');
    expect(requests.some((r) => r.url === '/v1/metrics' && r.body.includes('orchestrator.audit.events'))).to.equal(
      true,
    );
  });

  it('counts metric exports the collector refuses as otlp.metrics-export (logs still delivered)', async () => {
    const refusing = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        if (req.url === '/v1/metrics') res.writeHead(400, { 'content-type': 'text/plain' }).end('metrics refused');
        else res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(refusing.address() as AddressInfo).port}`;
    const diagnostics = new AuditDiagnostics();
    const audit = createAuditLogger({
      signingKey: TEST_KEY,
      env: {},
      sealIntervalMs: 0,
      diagnostics,
      otlp: { endpoint: url, metricIntervalMs: 3_600_000 },
    });
    try {
      audit.logWorkflowStarted('metrics-refused');
      await audit.forceFlush();
      expect(diagnostics.total(METRICS_EXPORT_FAILURE)).to.be.at.least(1);
      expect(diagnostics.snapshot().find((f) => f.kind === METRICS_EXPORT_FAILURE)?.lastDetail).to.match(
        /OTLP metric export of \d+ metric\(s\) failed/,
      );
      expect(diagnostics.total('otlp.export')).to.equal(0);
    } finally {
      await audit.shutdown();
      refusing.closeAllConnections();
      await new Promise<void>((resolve) => refusing.close(() => resolve()));
    }
  });

  it('fails at start-up when OTLP is on but no endpoint is known', () => {
    expect(() => createAuditLogger({ signingKey: TEST_KEY, env: {}, otlp: true })).to.throw(/no endpoint/);
    // a logs URL alone is not enough while metrics are exported too
    expect(() =>
      createAuditLogger({ signingKey: TEST_KEY, env: {}, otlp: { logsUrl: `${endpoint}/custom/logs` } }),
    ).to.throw(/no endpoint/);
  });

  it('logs only (metrics off) needs just the logs URL, from options or OTEL_EXPORTER_OTLP_LOGS_ENDPOINT + OTEL_METRICS_EXPORTER=none', async () => {
    const fromOptions = createAuditLogger({
      signingKey: TEST_KEY,
      env: {},
      sealIntervalMs: 0,
      otlp: { logsUrl: `${endpoint}/custom/logs`, metrics: false },
    });
    fromOptions.logWorkflowStarted('logs-only-options');
    await fromOptions.shutdown();
    const env = {
      AUDIT_SIGNING_KEY: TEST_KEY.toString('hex'),
      AUDIT_FILE: 'off',
      OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: `${endpoint}/custom/logs`,
      OTEL_METRICS_EXPORTER: 'none',
    };
    const fromEnv = startAuditFromEnv({ sealIntervalMs: 0 }, env);
    try {
      fromEnv.logWorkflowStarted('logs-only-env');
    } finally {
      setAuditLogger(undefined);
      await fromEnv.shutdown();
    }
    const custom = requests
      .filter((r) => r.url === '/custom/logs')
      .map((r) => r.body)
      .join('\n');
    expect(custom).to.contain('logs-only-options').and.contain('logs-only-env');
    expect(
      requests
        .filter((r) => r.url !== '/custom/logs')
        .map((r) => r.body)
        .join('\n'),
    ).not.to.contain('logs-only');
  });

  it('an invalid endpoint URL fails at start-up naming the URL', () => {
    expect(() => createAuditLogger({ signingKey: TEST_KEY, env: {}, otlp: { endpoint: 'not a url' } })).to.throw(
      TypeError,
      /not a valid URL: "not a url/,
    );
    expect(() =>
      startAuditFromEnv(
        {},
        {
          AUDIT_SIGNING_KEY: TEST_KEY.toString('hex'),
          AUDIT_FILE: 'off',
          OTEL_EXPORTER_OTLP_ENDPOINT: 'localhost 4318',
        },
      ),
    ).to.throw(TypeError, /OTEL_EXPORTER_OTLP/);
  });
});
