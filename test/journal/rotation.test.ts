import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { JournalLayout } from '../../src/sinks/journal/layout.js';
import { JournalReadError } from '../../src/sinks/journal/errors.js';
import { listJournal, readJournal } from '../../src/sinks/journal/reader.js';
import { emit, pipelinesPerTest, type Pipeline } from './helpers.js';

describe('journal rotation, compression and retention', () => {
  let dir: string;
  const start = pipelinesPerTest((d) => (dir = d));
  const writeBatches = async (p: Pipeline, total: number, perBatch: number): Promise<void> => {
    for (let i = 1; i <= total; i++) {
      emit(p.logger, { type: 'lead_ingested', leadId: `LEAD-${i}`, message: `lead ${i} ingested from web_form` });
      if (i % perBatch === 0) await p.journal.processor.forceFlush();
    }
    await p.journal.processor.forceFlush();
    await p.journal.idle();
  };

  it('rotates at the size limit into gzipped timestamped segments and reads back every record in order', async () => {
    const auditFile = path.join(dir, 'audit.log');
    const p = start({ auditFile, maxFileSizeMb: 0.005 }); // 5 KiB
    await writeBatches(p, 200, 15);
    const names = await readdir(dir);
    const gz = names.filter((n) => n.endsWith('.log.gz'));
    expect(gz.length).to.be.greaterThan(3);
    expect(
      names.filter((n) => n !== 'audit.log' && !n.endsWith('.log.gz')),
      'no plain or tmp segments left, the writer lock held',
    ).to.deep.equal(['audit.log.lock']);
    for (const n of gz) expect(n).to.match(/^audit\.\d{8}_\d{6}(-\d+)?\.log\.gz$/);
    expect(
      gz.some((n) => /-\d+\.log\.gz$/.test(n)),
      'same-second rotations get a counter',
    ).to.equal(true);
    const segments = await listJournal(auditFile);
    expect(segments[segments.length - 1]?.kind).to.equal('active');
    for (const s of segments.filter((s) => s.kind === 'compressed')) {
      expect(gunzipSync(await readFile(s.path)).length).to.be.at.most(5 * 1024 + 200);
    }
    const seqs: number[] = [];
    for await (const e of readJournal(auditFile)) {
      if (!e.decoded.ok) throw new Error(`${e.location}: ${e.decoded.error}`);
      seqs.push(e.decoded.record.rec.seq);
    }
    expect(seqs).to.deep.equal(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(p.journal.statistics().rotations).to.equal(gz.length);
  });

  it('rotates by bytes, not characters: lines of multi-byte text never take a segment past the limit and are counted exactly', async () => {
    const auditFile = path.join(dir, 'audit.log');
    const p = start({ auditFile, maxFileSizeMb: 0.005, compress: false });
    const limit = Math.floor(0.005 * 1024 * 1024);
    // 3-byte (€), 2-byte (é) and 4-byte (🦊, a surrogate pair) characters: a line is ~1.4 KB but ~700 UTF-16 units
    for (let i = 1; i <= 40; i++) {
      emit(p.logger, {
        type: 'lead_ingested',
        leadId: `LEAD-${i}`,
        message: `${'€'.repeat(300)} é ${'🦊'.repeat(100)} ${i}`,
      });
      if (i % 7 === 0) await p.journal.processor.forceFlush();
    }
    await p.journal.processor.forceFlush();
    await p.journal.idle();
    const files = (await readdir(dir)).filter((n) => n.endsWith('.log'));
    expect(files.length, 'several segments').to.be.greaterThan(3);
    let bytes = 0;
    let lines = 0;
    for (const n of files) {
      const content = await readFile(path.join(dir, n));
      bytes += content.length;
      lines += content.toString('utf8').split('\n').length - 1;
      expect(content[content.length - 1], `${n} ends with a whole line`).to.equal(0x0a);
      if (n !== 'audit.log') expect(content.length, `${n} within the limit`).to.be.at.most(limit);
    }
    const stats = p.journal.statistics();
    expect(stats.bytesWritten).to.equal(bytes);
    expect(stats.linesWritten).to.equal(lines);
    const seqs: number[] = [];
    for await (const e of readJournal(auditFile)) {
      if (!e.decoded.ok) throw new Error(`${e.location}: ${e.decoded.error}`);
      seqs.push(e.decoded.record.rec.seq);
    }
    expect(seqs).to.deep.equal(Array.from({ length: 40 }, (_, i) => i + 1));
  });

  it('keeps rotated segments plain when compression is off, rotates with fsync per batch, never rotates when rotation is off', async () => {
    const plain = start({ auditFile: path.join(dir, 'a', 'audit.log'), maxFileSizeMb: 0.005, compress: false });
    await writeBatches(plain, 100, 20);
    const names = await readdir(path.join(dir, 'a'));
    expect(names.filter((n) => /^audit\.\d{8}_\d{6}(-\d+)?\.log$/.test(n)).length).to.be.greaterThan(1);
    expect(names.some((n) => n.endsWith('.gz'))).to.equal(false);

    const synced = start({ auditFile: path.join(dir, 'c', 'audit.log'), maxFileSizeMb: 0.005, fsync: 'batch' });
    await writeBatches(synced, 100, 20);
    expect(synced.journal.statistics().rotations).to.be.greaterThan(1);
    expect(synced.diagnostics.total()).to.equal(0);

    const never = start({ auditFile: path.join(dir, 'b', 'audit.log'), maxFileSizeMb: 0.005, enableRotation: false });
    await writeBatches(never, 100, 20);
    expect((await readdir(path.join(dir, 'b'))).sort()).to.deep.equal(['audit.log', 'audit.log.lock']);
  });

  it('deletes segments older than the retention period, by segment time, and never the active file', async () => {
    const auditFile = path.join(dir, 'audit.log');
    const layout = new JournalLayout(auditFile);
    const day = 86_400_000;
    const old = layout.segmentName(new Date(Date.now() - 40 * day), 0) + '.gz';
    const oldPlain = layout.segmentName(new Date(Date.now() - 31 * day), 0);
    const recent = layout.segmentName(new Date(Date.now() - 5 * day), 0) + '.gz';
    await writeFile(path.join(dir, old), gzipSync('x\n'));
    await writeFile(path.join(dir, oldPlain), 'x\n');
    await writeFile(path.join(dir, recent), gzipSync('y\n'));
    await writeFile(auditFile, ''); // an old active file stays whatever its age
    await writeFile(path.join(dir, 'unrelated.20000101_000000.log.gz'), 'not ours');
    const p = start({ auditFile, retentionDays: 30 });
    await p.journal.idle();
    const names = (await readdir(dir)).sort();
    expect(names).to.deep.equal(['audit.log', 'audit.log.lock', recent, 'unrelated.20000101_000000.log.gz'].sort());
  });

  it('finishes compressions a crash interrupted', async () => {
    const auditFile = path.join(dir, 'audit.log');
    const layout = new JournalLayout(auditFile);
    const a = layout.segmentName(new Date(Date.now() - 3_600_000), 0); // crashed mid-gzip: plain + partial tmp
    const b = layout.segmentName(new Date(Date.now() - 1_800_000), 0); // crashed before unlinking the plain file
    await writeFile(path.join(dir, a), 'line-a\n');
    await writeFile(path.join(dir, a + '.gz.tmp'), 'partial');
    await writeFile(path.join(dir, b), 'line-b\n');
    await writeFile(path.join(dir, b + '.gz'), gzipSync('line-b\n'));
    // before recovery the reader sees each segment once
    const before: string[] = [];
    for await (const e of readJournal(auditFile)) before.push(e.line);
    expect(before).to.deep.equal(['line-a', 'line-b']);
    const p = start({ auditFile });
    await p.journal.idle();
    expect((await readdir(dir)).sort()).to.deep.equal([a + '.gz', b + '.gz', 'audit.log.lock'].sort());
    expect(gunzipSync(await readFile(path.join(dir, a + '.gz'))).toString()).to.equal('line-a\n');
    expect(existsSync(auditFile)).to.equal(false);
  });

  it('reads a consistent prefix while the journal rotates and compresses under it', async () => {
    const auditFile = path.join(dir, 'audit.log');
    const p = start({ auditFile, maxFileSizeMb: 0.016 }); // a rotation every ~3 flushes
    emit(p.logger, { type: 'workflow_started' });
    await p.journal.processor.forceFlush();
    let writing = true;
    const writer = (async () => {
      for (let i = 0; i < 600; i++) {
        emit(p.logger, { type: 'lead_ingested', leadId: `LEAD-${i}` });
        if (i % 10 === 9) await p.journal.processor.forceFlush();
      }
      writing = false;
    })();
    let scans = 0;
    let busy = 0; // scans refused because rotations kept racing their start (never a scan with a gap)
    let duringWrites = 0;
    while (writing || scans < 2) {
      const started = writing;
      const seqs: number[] = [];
      try {
        for await (const e of readJournal(auditFile)) if (e.decoded.ok) seqs.push(e.decoded.record.rec.seq);
      } catch (err) {
        expect(err).to.be.instanceOf(JournalReadError);
        busy++;
        continue;
      }
      const ranges: string[] = [];
      seqs.forEach((q, i) =>
        i === 0 || q !== (seqs[i - 1] as number) + 1
          ? ranges.push(String(q))
          : (ranges[ranges.length - 1] = `${ranges[ranges.length - 1]?.split('-')[0]}-${q}`),
      );
      expect(ranges, `scan ${scans}`).to.deep.equal([`1-${seqs.length}`]);
      scans++;
      if (started) duringWrites++;
    }
    await writer;
    await p.journal.idle();
    const all: number[] = [];
    for await (const e of readJournal(auditFile)) if (e.decoded.ok) all.push(e.decoded.record.rec.seq);
    expect(all, 'the journal at rest').to.deep.equal(Array.from({ length: 601 }, (_, i) => i + 1));
    expect(duringWrites + busy, 'scans started while the journal was rotating').to.be.greaterThan(0);
    expect(p.journal.statistics().rotations).to.be.greaterThan(3);
  });
});
