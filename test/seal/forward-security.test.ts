/**
 * Forward security: the sealing key evolves per epoch and the key file holds only the current
 * epoch's key. Someone who takes that key out of a live logger (reads its key file now) and uses
 * it to change a record of an earlier epoch and re-seal the chain is found by the verifier holding
 * only the public key (exit 1): the earlier epoch's seals cannot be made again with a later key.
 */
import { expect } from 'chai';
import { createPrivateKey } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createAuditLogger } from '../../src/logger/default-logger.js';
import { loadSealKeyFile } from '../../src/processors/signing/seal-key.js';
import { canonicalize, type CanonicalValue } from '../../src/record/canonical.js';
import { journalLineOf } from '../../src/record/journal-line.js';
import { SEAL_KEY_ATTR } from '../../src/record/seal-epoch.js';
import { verifyLines } from '../verify/helpers.js';
import { recOf, resealFrom, rootKeys } from './helpers.js';

function linesOf(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('forward security: a key stolen from a live logger cannot rewrite earlier epochs', () => {
  let keys: ReturnType<typeof rootKeys>;
  let journal: string;
  let lines: string[];
  let stolen: ReturnType<typeof loadSealKeyFile>;
  let rootDer: Buffer;

  before(async () => {
    keys = rootKeys();
    rootDer = createPrivateKey(readFileSync(keys.keyFile)).export({ format: 'der', type: 'pkcs8' });
    journal = path.join(mkdtempSync(path.join(os.tmpdir(), 'audit-fs-')), 'audit.log');
    const audit = createAuditLogger({
      auditFile: journal,
      sealKeyFile: keys.keyFile,
      sealEpochSeals: 2,
      sealEveryRecords: 3,
      sealIntervalMs: 0,
      flushIntervalMs: 10,
      env: {},
    });
    for (let burst = 0; burst < 4; burst++) {
      for (let i = 0; i < 4; i++) audit.logLeadIngested(`LEAD-${burst}-${i}`, 'web_form', { company: 'Acme' }, 'sales');
      await sleep(30);
    }
    // the logger is live: take its current key out of the state it keeps, and what it wrote so far
    stolen = loadSealKeyFile(keys.keyFile);
    lines = linesOf(journal);
    await audit.shutdown();
  });
  after(() => {
    rmSync(keys.dir, { recursive: true, force: true });
    rmSync(path.dirname(journal), { recursive: true, force: true });
  });

  it('the key file evolved: it holds one key, of the current epoch, not the root key; mode 0600, no temporary file left', () => {
    expect(stolen.epoch).to.be.greaterThan(1);
    expect(stolen.certs.length).to.equal(stolen.epoch);
    expect(stolen.privateKey.export({ format: 'der', type: 'pkcs8' }).equals(rootDer)).to.equal(false);
    const text = readFileSync(keys.keyFile, 'utf8');
    expect(text.match(/BEGIN PRIVATE KEY/g)).to.have.length(1);
    expect(statSync(keys.keyFile).mode & 0o777).to.equal(0o600);
    expect(readdirSync(keys.dir).sort()).to.deep.equal(['audit-seal.key', 'audit-seal.pub']);
    // and what was written verifies clean with the public key alone
    expect(verifyLines(linesOf(journal), { writerRunning: false }, keys.verifier()).findings).to.deep.equal([]);
  });

  it('changing a record of epoch 0 and re-sealing with the stolen key is tampering (exit 1), found by the epoch order', () => {
    const target = lines.findIndex((l) => recOf(l).event === 'orchestrator.lead.ingested' && recOf(l).seq > 1);
    expect((recOf(lines[target] as string).attrs as Record<string, unknown>)[SEAL_KEY_ATTR.epoch]).to.equal(undefined);
    const firstSeal = lines.findIndex((l) => recOf(l).event === 'audit.seal');
    expect(recOf(lines[firstSeal] as string).attrs[SEAL_KEY_ATTR.epoch]).to.equal(0);
    // the thief also has the public certificates of the state file, and puts them in so its key is certified
    const thief = { privateKey: stolen.privateKey, epoch: stolen.epoch, certs: stolen.certs };
    const forged = resealFrom(lines, target, thief, (rec) => {
      rec.attrs = { ...rec.attrs, 'orchestrator.lead.source': 'forged' };
    });
    const report = verifyLines(forged, {}, keys.verifier());
    expect(report.exitCode).to.equal(1);
    expect(report.findings.some((f) => f.class === 'modified' && /re-signed with a later key/.test(f.detail))).to.equal(
      true,
      JSON.stringify(report.findings),
    );
  });

  it('claiming the earlier epoch while signing with the stolen key does not verify either', () => {
    const target = lines.findIndex((l) => recOf(l).event === 'orchestrator.lead.ingested' && recOf(l).seq > 1);
    const forged = resealFrom(lines, target, { privateKey: stolen.privateKey, epoch: 0, certs: stolen.certs });
    const report = verifyLines(forged, {}, keys.verifier());
    expect(report.exitCode).to.equal(1);
    expect(report.countsByClass['unknown-key']).to.be.greaterThan(0);
  });

  it('a whole journal forged with the stolen key (a new run starting in its epoch, no earlier run) is missing-stream', () => {
    const first = recOf(lines[0] as string);
    const start = {
      ...first,
      stream: 'f0f0f0f0f0f0f0f0',
      attrs: { ...first.attrs, [SEAL_KEY_ATTR.certs]: stolen.certs.map((c) => ({ ...c })) },
    };
    const seed = journalLineOf({ canonical: canonicalize(start as unknown as CanonicalValue), sig: '' });
    const forged = resealFrom([seed], 0, { privateKey: stolen.privateKey, epoch: stolen.epoch });
    const report = verifyLines(forged, {}, keys.verifier());
    expect(report.countsByClass['missing-stream']).to.equal(1, JSON.stringify(report.findings));
    expect(report.exitCode).to.equal(1);
  });

  it('a restart continues from the evolved key file; the public key still verifies both runs', async () => {
    const audit = createAuditLogger({ auditFile: journal, sealKeyFile: keys.keyFile, sealIntervalMs: 0, env: {} });
    audit.logLeadIngested('LEAD-after', 'web_form', {}, 'sales');
    await audit.shutdown();
    const report = verifyLines(linesOf(journal), { writerRunning: false }, keys.verifier());
    expect(report.findings).to.deep.equal([]);
    expect(report.streams).to.have.length(2);
    expect(existsSync(keys.keyFile)).to.equal(true);
  });
});
