/**
 * Thread mode exporting over OTLP without a journal: the worker holds records in the OTLP sink
 * until the collector answers. When the worker dies meanwhile, those records are counted as
 * `thread.lost`, not dropped silently. The collector is a loopback stand-in that holds its answers.
 */
import { expect } from 'chai';
import { startPeer, type LoopbackPeer } from '../webhooks/loopback-peer.js';
import { terminate, untilEmitted, logLeads, threadAudit } from './fixtures/worker-probe.js';

describe('thread mode: the worker dies with records in the OTLP exporter', function () {
  this.timeout(10000);
  let collector: LoopbackPeer;
  // takes each export request and holds its answer for longer than the test runs
  before(async () => (collector = await startPeer(() => ({ status: 200, delayMs: 60_000 }))));
  after(() => collector.close());

  it('counts the records the collector had not answered as lost', async () => {
    const audit = threadAudit({
      otlp: { endpoint: new URL(collector.url).origin, metrics: false },
      thread: true,
    });
    logLeads(audit, 'O-', 0, 50);
    await untilEmitted(audit, 50);
    // the batch is on the wire, its answer held (the exporter sends after its 1 s schedule)
    await collector.waitForRequests(1, 3000);
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
