/**
 * `audit-cli --source loki integrity --public-key`: records sealed with an Ed25519 key, read back
 * through the Loki query API (the loopback stand-in of test/query/loki-stand-in.ts, holding the
 * records of a real journal: log line = canonical record, structured metadata audit_sig /
 * audit_stream / audit_seq),
 * verified with the public key alone; the query entry point's `verifyRecords` the same way.
 */
import { expect } from 'chai';
import path from 'node:path';
import { createAuditLogger } from '../../src/logger/default-logger.js';
import { readJournal } from '../../src/sinks/journal/reader.js';
import { loadSealPublicKey, verifyRecords } from '../../src/entry/verify.js';
import { LokiStandIn, type StandInEntry } from '../query/loki-stand-in.js';
import { cli, tempDir } from './fixture.js';

describe('public-key verification of records read from Loki (loopback Loki API)', () => {
  let cleanup: () => Promise<void>;
  const loki = new LokiStandIn();
  let url: string;
  let pubFile: string;
  const original: StandInEntry[] = [];

  before(async () => {
    const t = await tempDir('audit-seal-loki-');
    cleanup = t.cleanup;
    const made = await cli(['keygen', '--out', path.join(t.dir, 'keys'), '--json']);
    const keys = JSON.parse(made.stdout) as { keyFile: string; publicKeyFile: string };
    pubFile = keys.publicKeyFile;
    const file = path.join(t.dir, 'audit.log');
    const audit = createAuditLogger({ auditFile: file, sealKeyFile: keys.keyFile, sealEveryRecords: 3, env: {} });
    for (let i = 0; i < 7; i++) audit.logLeadIngested(`LEAD-${i}`, 'web_form', { company: 'Acme' }, 'sales');
    await audit.shutdown();
    for await (const e of readJournal(file)) {
      if (!e.decoded.ok) throw new Error('journal line not decodable');
      const { rec, sig } = e.decoded.record;
      const ns = BigInt(Date.parse(rec.ts)) * 1_000_000n + BigInt(rec.tsNanos);
      original.push({
        tsNs: ns,
        line: e.decoded.canonical,
        labels: { service_name: 'orchestrator' },
        metadata: { audit_sig: sig, audit_stream: rec.stream, audit_seq: String(rec.seq) },
      });
    }
    await loki.start();
    url = loki.url;
  });
  beforeEach(() => {
    loki.entries.length = 0;
    loki.entries.push(...original.map((e) => ({ ...e })));
  });
  after(async () => {
    await loki.stop();
    await cleanup?.();
  });

  it('integrity --source loki --public-key: exit 0 with no key in the environment; an altered record is modified (exit 1)', async () => {
    const clean = await cli(['--source', 'loki', '--loki-url', url, 'integrity', '--public-key', pubFile, '--json']);
    expect(clean.code, clean.stdout + clean.stderr).to.equal(0);
    expect((JSON.parse(clean.stdout) as { recordsVerified: number }).recordsVerified).to.equal(original.length);
    const victim = loki.entries[2]!;
    loki.entries[2] = { ...victim, line: victim.line.replace('"Acme"', '"Acne"') };
    const altered = await cli(['--source', 'loki', '--loki-url', url, 'integrity', '--public-key', pubFile, '--json']);
    expect(altered.code).to.equal(1);
    expect(Object.keys((JSON.parse(altered.stdout) as { countsByClass: object }).countsByClass)).to.deep.equal([
      'modified',
    ]);
  });

  it('verifyRecords of the verify entry point takes the public key the same way', () => {
    const pairs = original.map((e) => ({ canonical: e.line, sig: e.metadata.audit_sig! }));
    const report = verifyRecords(pairs, loadSealPublicKey(pubFile), { writerRunning: false });
    expect(report.findings).to.deep.equal([]);
    expect(report.recordsVerified).to.equal(pairs.length);
    const forged = pairs.map((p, i) => (i === 1 ? { ...p, canonical: p.canonical.replace('"sales"', '"s4les"') } : p));
    expect(verifyRecords(forged, loadSealPublicKey(pubFile)).exitCode).to.equal(1);
  });
});
