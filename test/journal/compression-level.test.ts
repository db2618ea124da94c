import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { createAuditLogger } from '../../src/logger/default-logger.js';
import { JournalLayout } from '../../src/sinks/journal/layout.js';
import { resolveJournalOptions } from '../../src/sinks/journal/options.js';
import { emit, pipeline, pipelinesPerTest, type Pipeline } from './helpers.js';

/**
 * The gzip header's XFL byte (RFC 1952, offset 8) tells how the deflate stream was made: 4 for the
 * fastest algorithm (level 1), 2 for the slowest (level 9), 0 for the levels between.
 */
async function xflOf(file: string): Promise<number> {
  const bytes = await readFile(file);
  expect(bytes[0], `${file} is gzip`).to.equal(0x1f);
  return bytes[8] as number;
}

async function gzNames(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((n) => n.endsWith('.log.gz')).map((n) => path.join(dir, n));
}

describe('journal segment compression level', () => {
  let dir: string;
  const start = pipelinesPerTest((d) => (dir = d));
  const fill = async (options: Parameters<typeof pipeline>[0]): Promise<Pipeline> => {
    const p = start(options);
    for (let i = 1; i <= 120; i++) {
      emit(p.logger, { type: 'lead_ingested', leadId: `LEAD-${i}`, message: `lead ${i} ingested from web_form` });
      if (i % 20 === 0) await p.journal.processor.forceFlush();
    }
    await p.journal.processor.forceFlush();
    await p.journal.idle();
    return p;
  };

  it('compresses rotated segments with the fastest level unless another is configured, and they read back whole', async () => {
    await fill({ auditFile: path.join(dir, 'fast', 'audit.log'), maxFileSizeMb: 0.005 });
    await fill({ auditFile: path.join(dir, 'small', 'audit.log'), maxFileSizeMb: 0.005, compressionLevel: 9 });
    await fill({ auditFile: path.join(dir, 'mid', 'audit.log'), maxFileSizeMb: 0.005, compressionLevel: 6 });
    const expected: [string, number][] = [
      ['fast', 4],
      ['small', 2],
      ['mid', 0],
    ];
    for (const [name, xfl] of expected) {
      const files = await gzNames(path.join(dir, name));
      expect(files.length, `${name}: segments rotated`).to.be.greaterThan(2);
      for (const file of files) {
        expect(await xflOf(file), `${name}: ${path.basename(file)}`).to.equal(xfl);
        const lines = gunzipSync(await readFile(file))
          .toString('utf8')
          .trimEnd()
          .split('\n');
        for (const line of lines) expect(() => JSON.parse(line) as unknown).not.to.throw();
      }
    }
  });

  it('finishes an interrupted compression at the configured level', async () => {
    const auditFile = path.join(dir, 'audit.log');
    const segment = new JournalLayout(auditFile).segmentName(new Date(Date.now() - 3_600_000), 0);
    await writeFile(path.join(dir, segment), 'line-a\n'.repeat(500));
    await writeFile(path.join(dir, segment + '.gz.tmp'), 'partial');
    const p = start({ auditFile, compressionLevel: 9 });
    await p.journal.idle();
    expect(await xflOf(path.join(dir, segment + '.gz'))).to.equal(2);
  });

  it('passes the logger option through to the journal', async () => {
    const auditFile = path.join(dir, 'logger', 'audit.log');
    const audit = createAuditLogger({
      auditFile,
      signingKey: randomBytes(32),
      env: {},
      maxFileSizeMb: 0.005,
      compressionLevel: 9,
    });
    for (let i = 0; i < 60; i++) audit.logLeadIngested(`LEAD-${i}`, 'web_form', { score: i });
    await audit.shutdown();
    const files = await gzNames(path.join(dir, 'logger'));
    expect(files.length).to.be.greaterThan(0);
    for (const file of files) expect(await xflOf(file)).to.equal(2);
  });

  it('refuses a level gzip does not have', () => {
    for (const bad of [0, 10, 1.5, -1, Number.NaN, '6' as unknown as number]) {
      expect(() => resolveJournalOptions({ compressionLevel: bad }), String(bad)).to.throw(
        RangeError,
        /compressionLevel must be an integer from 1 to 9/,
      );
    }
    expect(resolveJournalOptions({}).compressionLevel).to.equal(1);
  });
});
