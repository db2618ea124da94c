/**
 * A failed read of the journal (an I/O error, a listing that fails) is retried from where the last
 * acknowledged batch ended, not from the start of the journal: records already shipped are not
 * sent again, nothing is skipped, and the failure is counted.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'chai';
import { AuditDiagnostics } from '../../src/events/diagnostics.js';
import { JournalShipper } from '../../src/sinks/shipper/journal-shipper.js';
import { resolveShipperOptions } from '../../src/sinks/shipper/options.js';
import { otlpLogEncoding } from '../../src/sinks/shipper/otlp-encoding.js';
import { SHIPPER_FAILURE } from '../../src/sinks/shipper/shipper-status.js';
import { tempDir } from '../journal/helpers.js';
import { collectingSender, HookedLayout, lines } from './helpers.js';

describe('journal shipper: a failed read of the journal', function () {
  this.timeout(20_000);
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempDir()));
  afterEach(() => cleanup());

  it('moving on from a finished segment, the listing fails once: shipping goes on after the last acknowledged record, nothing is sent twice', async () => {
    const active = path.join(dir, 'audit.log');
    const layout = new HookedLayout(active);
    await writeFile(path.join(dir, layout.segmentName(new Date('2026-01-01T00:00:00Z'), 0)), lines(1, 100));
    await writeFile(path.join(dir, layout.segmentName(new Date('2026-01-01T00:00:01Z'), 0)), lines(101, 200));
    await writeFile(active, lines(201, 250));
    let listings = 0;
    layout.hook = () => {
      // the two listings at start (choice, check), then the one after the first segment's end
      if (++listings !== 3) return Promise.resolve();
      return Promise.reject(Object.assign(new Error('EIO: i/o error, scandir'), { code: 'EIO' }));
    };
    const seqs: number[] = [];
    const diagnostics = new AuditDiagnostics();
    const shipper = new JournalShipper({
      layout,
      sender: collectingSender(seqs),
      encoding: otlpLogEncoding('http/json', { 'service.name': 'read-error' }, 'scope'),
      diagnostics,
      options: resolveShipperOptions({ pollIntervalMs: 10, maxBatchRecords: 64, retryInitialMs: 10 }, {}),
    });
    shipper.start();
    const drained = await shipper.drain(5000);
    await shipper.stop();
    expect(listings, 'the failure was injected').to.be.at.least(3);
    expect(diagnostics.total(SHIPPER_FAILURE.read), 'the failed read is counted').to.equal(1);
    expect(drained, 'caught up').to.equal(true);
    expect(seqs).to.deep.equal(Array.from({ length: 250 }, (_, i) => i + 1));
    expect(shipper.status()).to.include({ recordsShipped: 250 });
  });
});
