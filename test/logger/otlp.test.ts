import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { createAuditLogger } from '../../src/logger/index.js';
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
    const audit = createAuditLogger({ signingKey: TEST_KEY, env: {}, sealIntervalMs: 0, otlp: { endpoint, metricIntervalMs: 3_600_000 }, serviceName: 'otlp-test' });
    try {
      audit.logLeadIngested('L-OTLP', 'web', { score: 1 }, 'sales');
      await audit.forceFlush();
    } finally {
      await audit.shutdown();
    }
    const logs = requests.filter((r) => r.url === '/v1/logs').map((r) => r.body).join('\n');
    expect(logs).to.contain('L-OTLP').and.contain('orchestrator.lead.ingested').and.contain('audit.sig').and.contain('otlp-test');
    expect(requests.some((r) => r.url === '/v1/metrics' && r.body.includes('orchestrator.audit.events'))).to.equal(true);
  });

  it('fails at start-up when OTLP is on but no endpoint is known', () => {
    expect(() => createAuditLogger({ signingKey: TEST_KEY, env: {}, otlp: true })).to.throw(/no endpoint/);
  });
});
