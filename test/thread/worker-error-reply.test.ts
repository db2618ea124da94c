/**
 * An audit worker that answers a flush or a shutdown with an error: the app thread's own sinks
 * (webhooks and alerts, which get the worker's signed records) are still flushed and shut down,
 * so what they hold is delivered, and the error is counted instead of thrown to the caller.
 *
 * Test-only hook: `injectWorkerFault({ failOn })` (src/thread/fault-injection.ts, not exported by
 * the package) makes the next worker started do what the request asks and then answer it with an
 * error.
 */
import { expect } from 'chai';
import path from 'node:path';
import type { WebhookPayload } from '../../src/sinks/webhooks/endpoint.js';
import { injectWorkerFault } from '../../src/thread/fault-injection.js';
import { tempDir } from '../cli/fixture.js';
import { startPeer, type LoopbackPeer } from '../webhooks/loopback-peer.js';
import { leadLines, logLeads, threadAudit, untilEmitted } from './fixtures/worker-probe.js';

/** Lead ids the peer received, in order. */
function delivered(peer: LoopbackPeer): (string | undefined)[] {
  return peer.requests.flatMap((r) => (JSON.parse(r.rawBody) as WebhookPayload).events).map((e) => e.leadId);
}

describe('thread mode: a worker that answers a flush or shutdown with an error', function () {
  this.timeout(10000);
  let dir: string;
  let cleanup: () => Promise<void>;
  let peer: LoopbackPeer;
  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir('audit-thread-error-reply-'));
    peer = await startPeer();
  });
  afterEach(async () => {
    injectWorkerFault(undefined);
    await peer.close();
    await cleanup();
  });

  for (const request of ['flush', 'shutdown'] as const) {
    it(`still ${request === 'flush' ? 'flushes' : 'shuts down'} the app thread's webhook and counts the error (${request})`, async () => {
      const file = path.join(dir, `${request}.log`);
      injectWorkerFault({ failOn: request });
      const audit = threadAudit({ auditFile: file, thread: true });
      try {
        // only a flush or shutdown of the webhook sink sends its batch: the size and the interval are never reached
        audit.addWebhook(peer.url, { batchSize: 1000, flushIntervalMs: 600_000 });
        logLeads(audit, 'E-', 0, 5);
        await untilEmitted(audit, 5);
        if (request === 'flush') await audit.forceFlush();
        else await audit.shutdown();
        expect(delivered(peer)).to.deep.equal(['E-0', 'E-1', 'E-2', 'E-3', 'E-4']);
        const kind = request === 'flush' ? 'sink.flush' : 'sink.shutdown';
        expect(audit.diagnostics.total(kind)).to.equal(1);
        const failure = audit.getDiagnostics().failures.find((f) => f.kind === kind);
        expect(failure?.lastDetail).to.include(`injected failure of ${request}`);
      } finally {
        await audit.shutdown();
      }
      expect(leadLines(file, 'E-')).to.equal(5);
    });
  }
});
