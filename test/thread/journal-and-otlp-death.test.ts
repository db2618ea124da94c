/**
 * The journal and OTLP export both in the audit worker (`otlp.logsFrom: 'memory'`): a record is
 * written only once every destination has it, so when the worker dies, the records not yet
 * settled are those of the destination that lags most (the larger of the journal's unwritten
 * lines and the OTLP records the collector has not answered for). Each case has one destination
 * holding every record while the other has them all: counting by either one alone would miss them.
 * The collector is a loopback stand-in that answers at once or holds its answers.
 */
import { expect } from 'chai';
import path from 'node:path';
import type { AuditLogger } from '../../src/logger/audit-logger.js';
import { tempDir } from '../cli/fixture.js';
import { startPeer, type LoopbackPeer } from '../webhooks/loopback-peer.js';
import { leadLines, logLeads, terminate, threadAudit, untilEmitted } from './fixtures/worker-probe.js';

const CALLS = 50;

/** Log records of the collector's requests that carry lead `<prefix>…`. */
function exportedLeads(collector: LoopbackPeer, prefix: string): number {
  let n = 0;
  for (const request of collector.requests) {
    const body = JSON.parse(request.rawBody) as { resourceLogs: { scopeLogs: { logRecords: unknown[] }[] }[] };
    for (const rl of body.resourceLogs)
      for (const sl of rl.scopeLogs) n += sl.logRecords.filter((r) => JSON.stringify(r).includes(`"${prefix}`)).length;
  }
  return n;
}

/** Waits (bounded) until `done()` holds. */
async function until(done: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 300 && !done(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(done(), what).to.equal(true);
}

/** Stops the worker as a crash would, then lets the app thread see it and close. */
async function killWorker(audit: AuditLogger): Promise<void> {
  await new Promise((r) => setTimeout(r, 80)); // a state report after the last change
  await terminate(audit);
  await new Promise((r) => setTimeout(r, 50)); // the worker's exit event reaches the app thread
  await audit.shutdown();
}

describe('thread mode: the worker dies with the journal and OTLP export behind by different amounts', function () {
  this.timeout(10000);
  let dir: string;
  let cleanup: () => Promise<void>;
  before(async () => ({ dir, cleanup } = await tempDir('audit-thread-both-')));
  after(() => cleanup());

  it('journal written, collector not answering: the records the collector holds are counted as lost', async () => {
    const collector = await startPeer(() => ({ status: 200, delayMs: 60_000 }));
    try {
      const file = path.join(dir, 'journal-ahead.log');
      const audit = threadAudit({
        auditFile: file,
        flushIntervalMs: 10,
        otlp: { endpoint: new URL(collector.url).origin, metrics: false, logsFrom: 'memory' },
        thread: true,
      });
      logLeads(audit, 'J-', 0, CALLS);
      await untilEmitted(audit, CALLS);
      await until(() => leadLines(file, 'J-') === CALLS, 'the journal wrote every record');
      await collector.waitForRequests(1, 3000); // the batch is on the wire, its answer held
      await killWorker(audit);

      const lost = audit.diagnostics.total('thread.lost');
      // the journal has them all; the collector answered for none (its answers are held): each call is counted
      expect({ journal: leadLines(file, 'J-'), lost }).to.deep.equal({ journal: CALLS, lost: CALLS });
    } finally {
      await collector.close();
    }
  });

  it('collector answered, journal still buffering: the records the journal holds are counted as lost', async () => {
    const collector = await startPeer(() => ({ status: 200 }));
    try {
      const file = path.join(dir, 'otlp-ahead.log');
      const audit = threadAudit({
        auditFile: file,
        flushIntervalMs: 60000, // the journal writes only on flush: every record stays in its buffer
        otlp: { endpoint: new URL(collector.url).origin, metrics: false, logsFrom: 'memory' },
        thread: true,
      });
      logLeads(audit, 'C-', 0, CALLS);
      await untilEmitted(audit, CALLS);
      await until(() => exportedLeads(collector, 'C-') === CALLS, 'the collector got every record');
      await killWorker(audit);

      const journal = leadLines(file, 'C-');
      const lost = audit.diagnostics.total('thread.lost');
      // the collector has them all; the journal wrote none: each call is in the journal or counted
      expect({ collector: exportedLeads(collector, 'C-'), journal, lost }).to.deep.equal({
        collector: CALLS,
        journal: 0,
        lost: CALLS,
      });
    } finally {
      await collector.close();
    }
  });
});
