/**
 * While the shipper finds its cursor and counts the records after it at start, its lag is not
 * known yet: the status says `counting` (and the lag gauges report nothing), instead of a
 * records-behind figure that reads low. Once counted, the figure is the backlog.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'chai';
import { AuditDiagnostics } from '../../src/events/diagnostics.js';
import { JournalShipper } from '../../src/sinks/shipper/journal-shipper.js';
import { resolveShipperOptions } from '../../src/sinks/shipper/options.js';
import { otlpLogEncoding } from '../../src/sinks/shipper/otlp-encoding.js';
import type { LogBatchSender } from '../../src/sinks/shipper/otlp-sender.js';
import { tempDir, waitFor } from '../journal/helpers.js';
import { collectingSender, HookedLayout, lines } from './helpers.js';

describe('journal shipper: counting the backlog at start', function () {
  this.timeout(20_000);

  it('reports `counting` until the backlog is counted, then the backlog as records behind', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const active = path.join(dir, 'audit.log');
      await writeFile(active, lines(1, 300)); // a previous process's records, never shipped
      const layout = new HookedLayout(active);
      let release: () => void = () => undefined;
      const held = new Promise<void>((resolve) => (release = resolve));
      layout.hook = () => held; // the start-up listing waits until released
      let accept = false;
      const seqs: number[] = [];
      const collecting = collectingSender(seqs);
      const sender: LogBatchSender = {
        send: (body, type) =>
          accept ? collecting.send(body, type) : Promise.resolve({ kind: 'retry', error: 'not yet' }),
        close() {},
      };
      const shipper = new JournalShipper({
        layout,
        sender,
        encoding: otlpLogEncoding('http/json', {}, 'scope'),
        diagnostics: new AuditDiagnostics(),
        options: resolveShipperOptions({ pollIntervalMs: 10, retryInitialMs: 20, retryMaxMs: 50 }, {}),
        tip: () => ({ linesWritten: 0, pendingLines: 0 }), // this process has written nothing yet
      });
      shipper.start();
      expect(shipper.status().state).to.equal('counting');
      layout.hook = undefined;
      release();
      await waitFor(() => shipper.status().state === 'retrying', 5000);
      expect(shipper.status().recordsBehind).to.equal(300);
      accept = true;
      expect(await shipper.drain(5000)).to.equal(true);
      expect(shipper.status()).to.include({ state: 'caught-up', recordsBehind: 0, recordsShipped: 300 });
      await shipper.stop();
      expect(seqs).to.have.length(300);
    } finally {
      await cleanup();
    }
  });
});
