/**
 * When public-key seals are written: before every journal batch that holds unsealed records, so
 * the journal on disk ends at a seal after each flush; and when the sealing key moves to its next
 * epoch (by time, by seal count).
 */
import { expect } from 'chai';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { createAuditLogger } from '../../src/logger/default-logger.js';
import { verifyLines } from '../verify/helpers.js';
import { pipeline, sleep } from '../signing/helpers.js';
import { recOf, rootKeys } from './helpers.js';

function linesOf(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '');
}

describe('public-key seal schedule', () => {
  let keys: ReturnType<typeof rootKeys>;
  beforeEach(() => {
    keys = rootKeys();
  });
  afterEach(() => rmSync(keys.dir, { recursive: true, force: true }));

  it('every journal flush that wrote records ends with a seal: a running writer is live, not unsealed', async () => {
    const journal = path.join(keys.dir, 'audit.log');
    const audit = createAuditLogger({
      auditFile: journal,
      sealKeyFile: keys.keyFile,
      flushIntervalMs: 10,
      sealIntervalMs: 0,
      sealEveryRecords: 0,
      env: {},
    });
    try {
      for (let burst = 0; burst < 3; burst++) {
        for (let i = 0; i < 4; i++) audit.logLeadIngested(`LEAD-${burst}-${i}`, 'web_form', {}, 'sales');
        await sleep(60);
        const lines = linesOf(journal);
        const last = recOf(lines[lines.length - 1] as string);
        expect(last.event).to.equal('audit.seal');
        expect(last.attrs['audit.seal.reason']).to.equal('flush');
        const report = verifyLines(lines, { writerRunning: true }, keys.verifier());
        expect(report.findings).to.deep.equal([]);
        expect(report.streams[0]?.status).to.equal('live');
      }
    } finally {
      await audit.shutdown();
    }
    const report = verifyLines(linesOf(journal), { writerRunning: false }, keys.verifier());
    expect(report.findings).to.deep.equal([]);
  });

  it('the key moves to its next epoch at the first seal after sealEpochMs, or after sealEpochSeals seals', async () => {
    const byTime = pipeline({ keyring: undefined, env: {}, sealKeyFile: keys.keyFile, sealEpochMs: 400 });
    byTime.emitLeads(2);
    byTime.signer.seal('manual');
    expect(byTime.signer.sealEpoch).to.equal(0);
    await sleep(450);
    byTime.signer.seal('manual'); // the first seal after 400 ms closes epoch 0
    expect(byTime.signer.sealEpoch).to.equal(1);
    await byTime.provider.shutdown();
    const start = byTime.signer.sealEpoch ?? -1;
    const bySeals = pipeline({
      keyring: undefined,
      env: {},
      sealKeyFile: keys.keyFile,
      sealEpochMs: 0,
      sealEpochSeals: 2,
      previous: byTime.signer.head()!,
    });
    expect(bySeals.signer.sealEpoch).to.equal(start); // continues from the key file
    for (let i = 0; i < 4; i++) {
      bySeals.emitLeads(1, i);
      bySeals.signer.seal('manual');
    }
    expect(bySeals.signer.sealEpoch).to.equal(start + 2);
    await bySeals.provider.shutdown();
    const all = [...byTime.lines(), ...bySeals.lines()];
    expect(verifyLines(all, { writerRunning: false }, keys.verifier()).findings).to.deep.equal([]);
  });
});
