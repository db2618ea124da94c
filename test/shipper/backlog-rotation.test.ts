/**
 * Counting the records behind reads the files of one listing of the journal. When the active file
 * is rotated after that listing, the segment it became is not in the listing and the active path
 * names the new file: the count must notice (the active file is another file than before) and be
 * taken again, both at shipper start and in the lag `audit-cli stats` reads from disk.
 */
import { rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'chai';
import { AuditDiagnostics } from '../../src/events/diagnostics.js';
import { CURSOR_VERSION, cursorPathOf, lineFingerprint, saveCursor } from '../../src/sinks/shipper/cursor.js';
import { JournalShipper } from '../../src/sinks/shipper/journal-shipper.js';
import { readShipperLag } from '../../src/sinks/shipper/lag-report.js';
import { resolveShipperOptions } from '../../src/sinks/shipper/options.js';
import { otlpLogEncoding } from '../../src/sinks/shipper/otlp-encoding.js';
import { tempDir, waitFor } from '../journal/helpers.js';
import { HookedLayout, lines } from './helpers.js';

describe('journal shipper: the backlog count when the journal rotates during it', function () {
  this.timeout(20_000);
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempDir()));
  afterEach(() => cleanup());

  /** A layout that rotates the journal (100 → segment, 50 new lines) right after its `nth` listing. */
  function rotatingAfterListing(active: string, nth: number): HookedLayout {
    const layout = new HookedLayout(active);
    let calls = 0;
    layout.hook = async () => {
      if (++calls !== nth) return;
      await rename(active, path.join(dir, layout.segmentName(new Date('2026-01-01T00:00:00Z'), 0)));
      await writeFile(active, lines(101, 150));
    };
    return layout;
  }

  it('at shipper start: the rotated segment and the new active file are both counted', async () => {
    const active = path.join(dir, 'audit.log');
    await writeFile(active, lines(1, 100));
    // listing 1 chooses the file, listing 2 confirms the choice; the rotation comes right after it
    const layout = rotatingAfterListing(active, 2);
    const shipper = new JournalShipper({
      layout,
      sender: { send: () => Promise.resolve({ kind: 'retry', error: 'held' }), close() {} },
      encoding: otlpLogEncoding('http/json', {}, 'scope'),
      diagnostics: new AuditDiagnostics(),
      options: resolveShipperOptions({ pollIntervalMs: 10, retryInitialMs: 20, retryMaxMs: 50 }, {}),
      tip: () => ({ linesWritten: 0, pendingLines: 0 }),
    });
    shipper.start();
    try {
      await waitFor(() => shipper.status().state === 'retrying', 5000);
      expect(shipper.status().recordsBehind).to.equal(150);
    } finally {
      await shipper.stop();
    }
  });

  it('in the saved lag: the lines after the cursor in the rotated segment are counted', async () => {
    const active = path.join(dir, 'audit.log');
    const text = lines(1, 100);
    await writeFile(active, text);
    const shippedText = lines(1, 40);
    await saveCursor(cursorPathOf(active), {
      v: CURSOR_VERSION,
      file: 'audit.log',
      head: lineFingerprint(text.slice(0, text.indexOf('\n'))),
      offset: Buffer.byteLength(shippedText),
      shippedTotal: 40,
      savedAt: new Date().toISOString(),
    });
    const lag = await readShipperLag(active, Date.now(), rotatingAfterListing(active, 1));
    expect(lag).to.include({ recordsBehind: 110, cursorFileGone: false });
  });
});
