/**
 * Thread mode exporting over OTLP without a journal: the worker holds records in the OTLP sink
 * until the collector answers. When the worker dies meanwhile, those records are counted as
 * `thread.lost`, not dropped silently. The collector is a loopback stand-in that holds its answers.
 */
import { expect } from 'chai';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { terminate, untilEmitted, logLeads, threadAudit } from './fixtures/worker-probe.js';

describe('thread mode: the worker dies with records in the OTLP exporter', function () {
  this.timeout(10000);
  let server: http.Server;
  let requests = 0;
  before(async () => {
    // takes each export request and never answers it (until closed)
    server = http.createServer((req) => {
      requests++;
      req.resume();
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('counts the records the collector had not answered as lost', async () => {
    const { port } = server.address() as AddressInfo;
    const audit = threadAudit({
      otlp: { endpoint: `http://127.0.0.1:${port}`, metrics: false },
      thread: true,
    });
    logLeads(audit, 'O-', 0, 50);
    await untilEmitted(audit, 50);
    // the batch is on the wire, its answer held (the exporter sends after its 1 s schedule)
    for (let i = 0; i < 300 && requests === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(requests).to.be.at.least(1);
    await new Promise((r) => setTimeout(r, 60)); // a state report after the send
    await terminate(audit);
    await new Promise((r) => setTimeout(r, 50)); // the worker's exit event reaches the app thread
    expect(() => audit.logLeadIngested('O-after', 'web', {}, 'wf')).to.not.throw();
    await audit.forceFlush();
    await audit.shutdown();
    expect(audit.diagnostics.total('thread.worker')).to.equal(1);
    expect(audit.diagnostics.total('thread.lost')).to.equal(51);
    expect(audit.getDiagnostics().thread?.lost).to.equal(51);
  });
});
