/**
 * JournalLayout.list() under a racing directory read: a segment whose gzip is renamed into place
 * while the directory is read can be missing from that read in both of its forms. Every reader
 * of the journal (queries, verification, shipper, retention) lists through list(), so the listing
 * itself must not hide a file that is there.
 */
import { expect } from 'chai';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { JournalLayout } from '../../src/sinks/journal/layout.js';
import { tempDir } from './helpers.js';

/** A layout whose first directory read misses one file, as a read racing a rename can. */
class CutFirstRead extends JournalLayout {
  reads = 0;
  constructor(
    auditFile: string,
    private readonly missing: string,
  ) {
    super(auditFile);
  }
  protected override async readNames(): Promise<string[] | undefined> {
    const names = await super.readNames();
    this.reads++;
    return this.reads === 1 ? names?.filter((n) => n !== this.missing) : names;
  }
}

describe('journal listing under a racing directory read', () => {
  it('lists a segment that one read of the directory missed', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const auditFile = path.join(dir, 'audit.log');
      const layout = new JournalLayout(auditFile);
      const t = new Date('2026-03-01T10:00:00Z');
      const segments = [0, 1, 2].map((c) => layout.segmentName(t, c));
      const gz = `${segments[1] as string}.gz`;
      for (const name of [segments[0], gz, segments[2], 'audit.log'])
        await writeFile(path.join(dir, name as string), 'x\n');
      const cut = new CutFirstRead(auditFile, gz);
      const listed = (await cut.list()).map((s) => s.name);
      expect(listed).to.deep.equal([segments[0], gz, segments[2], 'audit.log']);
      expect(cut.reads).to.be.greaterThan(2);
    } finally {
      await cleanup();
    }
  });
});
