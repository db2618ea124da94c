/**
 * The lag in records is re-aligned each time the shipper has read everything: from then on
 * "records behind" must equal the lines the journal wrote that the collector has not acknowledged.
 * Lines the journal writes while the shipper waits for its batches out must stay counted as
 * behind; a re-alignment that takes the writer's count after that wait would mark them shipped
 * and the lag would stay short by them for good.
 */
import { appendFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'chai';
import { AuditDiagnostics } from '../../src/events/diagnostics.js';
import { JournalLayout } from '../../src/sinks/journal/layout.js';
import { JournalShipper } from '../../src/sinks/shipper/journal-shipper.js';
import { resolveShipperOptions } from '../../src/sinks/shipper/options.js';
import { otlpLogEncoding } from '../../src/sinks/shipper/otlp-encoding.js';
import type { LogBatchSender, SendOutcome } from '../../src/sinks/shipper/otlp-sender.js';
import type { JournalTip } from '../../src/sinks/shipper/shipper-status.js';
import { tempDir, waitFor } from '../journal/helpers.js';
import { lines } from './helpers.js';

/** A collector whose answers the test releases one by one. */
function heldSender(): { sender: LogBatchSender; sent: number[]; release: () => void; sentCount: () => number } {
  const waiting: ((o: SendOutcome) => void)[] = [];
  const sent: number[] = [];
  return {
    sent,
    sender: {
      send(body) {
        const json = JSON.parse(body.toString('utf8')) as {
          resourceLogs: { scopeLogs: { logRecords: unknown[] }[] }[];
        };
        sent.push(json.resourceLogs[0]?.scopeLogs[0]?.logRecords.length ?? 0);
        return new Promise((resolve) => waiting.push(resolve));
      },
      close() {},
    },
    release: () => waiting.shift()?.({ kind: 'accepted', rejected: 0 }),
    sentCount: () => sent.length,
  };
}

describe('journal shipper: lag across a catch-up', function () {
  this.timeout(20_000);
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempDir()));
  afterEach(() => cleanup());

  it('lines written while the batch out is settling stay behind until acknowledged', async () => {
    const active = path.join(dir, 'audit.log');
    await writeFile(active, lines(1, 10));
    let tip: JournalTip = { linesWritten: 10, pendingLines: 0 };
    const collector = heldSender();
    const shipper = new JournalShipper({
      layout: new JournalLayout(active),
      sender: collector.sender,
      encoding: otlpLogEncoding('http/json', { 'service.name': 'lag' }, 'scope'),
      diagnostics: new AuditDiagnostics(),
      options: resolveShipperOptions({ pollIntervalMs: 10, maxBatchRecords: 64, maxInFlight: 2 }, {}),
      tip: () => tip,
    });
    shipper.start();
    try {
      await waitFor(() => collector.sentCount() === 1);
      // the shipper has read the whole file and now waits for the batch out; the journal writes on
      await new Promise((r) => setTimeout(r, 150));
      await appendFile(active, lines(11, 20));
      tip = { linesWritten: 20, pendingLines: 0 };
      expect(shipper.status().recordsBehind, 'before the acknowledgement').to.equal(20);
      collector.release();
      await waitFor(() => collector.sentCount() === 2);
      expect(collector.sent).to.deep.equal([10, 10]);
      // 1..10 acknowledged, 11..20 out and not acknowledged
      expect(shipper.status()).to.include({ recordsShipped: 10, recordsBehind: 10 });
      await appendFile(active, lines(21, 25));
      tip = { linesWritten: 25, pendingLines: 0 };
      expect(shipper.status().recordsBehind).to.equal(15);
      collector.release();
      await waitFor(() => collector.sentCount() === 3);
      collector.release();
      await waitFor(() => shipper.status().state === 'caught-up' && shipper.status().recordsShipped === 25);
      expect(shipper.status()).to.include({ recordsShipped: 25, recordsBehind: 0 });
    } finally {
      const stopped = shipper.stop();
      for (let i = 0; i < 5; i++) collector.release();
      await stopped;
    }
  });
});
