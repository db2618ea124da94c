/**
 * The journal's active file can be rotated between the shipper's listing of the journal and its
 * opening of the file it chose: the active path then names the new, empty active file, and the
 * segment the old one became must not be skipped. The rotation is made to happen exactly there
 * (a layout whose listing rotates the journal right after it was taken), at start and when the
 * shipper moves on from a finished segment; every record must still be shipped, in order. Also a
 * listing can miss a segment whose gzip is renamed into place while the directory is read (seen
 * under load: two 98-record segments skipped in a 3,000-record run); a cut listing stands in.
 */
import { rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'chai';
import { AuditDiagnostics } from '../../src/events/diagnostics.js';
import { JournalShipper } from '../../src/sinks/shipper/journal-shipper.js';
import { resolveShipperOptions } from '../../src/sinks/shipper/options.js';
import { otlpLogEncoding } from '../../src/sinks/shipper/otlp-encoding.js';
import { tempDir } from '../journal/helpers.js';
import { collectingSender, HookedLayout, lines } from './helpers.js';

describe('journal shipper: rotation between listing and opening', function () {
  this.timeout(20_000);
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempDir()));
  afterEach(() => cleanup());

  async function shipWith(
    layout: HookedLayout,
    seqs: number[],
    diagnostics: AuditDiagnostics,
  ): Promise<{ shipper: JournalShipper; drained: boolean }> {
    const shipper = new JournalShipper({
      layout,
      sender: collectingSender(seqs),
      encoding: otlpLogEncoding('http/json', { 'service.name': 'race' }, 'scope'),
      diagnostics,
      options: resolveShipperOptions({ pollIntervalMs: 10, maxBatchRecords: 64 }, {}),
    });
    shipper.start();
    const drained = await shipper.drain(5000);
    return { shipper, drained };
  }

  it('at start: the active file rotates between the listing and the open; the segment it became is shipped', async () => {
    const active = path.join(dir, 'audit.log');
    await writeFile(active, lines(1, 100));
    const layout = new HookedLayout(active);
    layout.hook = async (listing) => {
      if (listing.length !== 1) return;
      layout.hook = undefined; // once
      await rename(active, path.join(dir, layout.segmentName(new Date('2026-01-01T00:00:00Z'), 0)));
      await writeFile(active, lines(101, 150));
    };
    const seqs: number[] = [];
    const { shipper, drained } = await shipWith(layout, seqs, new AuditDiagnostics());
    await shipper.stop();
    expect(drained, 'caught up').to.equal(true);
    expect(seqs).to.deep.equal(Array.from({ length: 150 }, (_, i) => i + 1));
  });

  it('moving on from a finished segment: the active file rotates between the listing and the open; nothing is skipped', async () => {
    const active = path.join(dir, 'audit.log');
    const layout = new HookedLayout(active);
    await writeFile(path.join(dir, layout.segmentName(new Date('2026-01-01T00:00:00Z'), 0)), lines(1, 100));
    await writeFile(active, lines(101, 200));
    let listings = 0;
    layout.hook = async (listing) => {
      // the two listings at start (choice, check), then the one after the segment's end
      if (++listings < 3 || listing.length !== 2) return;
      layout.hook = undefined;
      await rename(active, path.join(dir, layout.segmentName(new Date('2026-01-01T00:00:01Z'), 0)));
      await writeFile(active, lines(201, 250));
    };
    const seqs: number[] = [];
    const { shipper, drained } = await shipWith(layout, seqs, new AuditDiagnostics());
    await shipper.stop();
    expect(drained, 'caught up').to.equal(true);
    expect(listings, 'the rotation was injected').to.be.at.least(3);
    expect(seqs).to.deep.equal(Array.from({ length: 250 }, (_, i) => i + 1));
  });

  it('a listing that misses a segment (its gzip renamed into place while the directory was read) skips nothing', async () => {
    const active = path.join(dir, 'audit.log');
    const layout = new HookedLayout(active);
    const names = [0, 1, 2].map((i) => layout.segmentName(new Date('2026-01-01T00:00:00Z'), i));
    for (const [i, name] of names.entries()) await writeFile(path.join(dir, name), lines(i * 100 + 1, i * 100 + 100));
    await writeFile(active, lines(301, 350));
    let listings = 0;
    let dropped = false;
    layout.hook = (listing) => {
      // after the two listings at start: the listing taken to move on from the first segment lacks the second
      if (++listings !== 3) return Promise.resolve();
      dropped = true;
      return Promise.resolve(listing.filter((f) => f.name !== names[1]));
    };
    const seqs: number[] = [];
    const { shipper, drained } = await shipWith(layout, seqs, new AuditDiagnostics());
    await shipper.stop();
    expect(drained, 'caught up').to.equal(true);
    expect(dropped, 'the listing was cut').to.equal(true);
    expect(seqs).to.deep.equal(Array.from({ length: 350 }, (_, i) => i + 1));
  });
});
