/**
 * Records larger than the ring's largest payload, and larger than the whole overflow queue,
 * interleaved with small ones under a backlog: each reaches the journal, in call order (seq
 * order = call order), nothing counted lost, and the journal verifies clean with audit-cli.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../cli/fixture.js';
import { runBin } from '../cli/spawn.js';
import { THREAD_TEST_KEY as KEY, threadAudit } from './fixtures/worker-probe.js';

const VERIFY_ENV = { AUDIT_VERIFY_KEYS: `k1:hex:${KEY.toString('hex')}` };

describe('thread mode: large records', function () {
  this.timeout(10000);
  let dir: string;
  let cleanup: () => Promise<void>;
  before(async () => ({ dir, cleanup } = await tempDir('audit-thread-large-')));
  after(() => cleanup());

  it('writes records larger than the ring and than the overflow queue in call order, none lost', async () => {
    const file = path.join(dir, 'large.log');
    // a 16 KiB ring (4 KiB largest payload) and a queue bound below one large record (~60,000 chars)
    const audit = threadAudit({
      auditFile: file,
      thread: { ringBytes: 16384, overflowChars: 50000 },
    });
    const large = Object.fromEntries(Array.from({ length: 15 }, (_, k) => [`f${k}`, `${'é'.repeat(3900)}🎉${k}`]));
    const calls = 800;
    for (let i = 0; i < calls; i++)
      audit.logLeadIngested(`G-${i}`, 'web', i % 200 === 150 ? large : { email: 'jane.doe@example.com' }, 'wf');
    await audit.shutdown();

    const ids = readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.includes('"G-'))
      .map((l) => Number(/"G-(\d+)"/.exec(l)![1]));
    expect(audit.diagnostics.total('thread.lost')).to.equal(0);
    expect(ids).to.deep.equal(Array.from({ length: calls }, (_, i) => i));
    const big = readFileSync(file, 'utf8')
      .split('\n')
      .find((l) => l.includes('"G-150"'))!;
    expect(big.length).to.be.greaterThan(50000);
    const report = await runBin(['--file', file, 'integrity', '--json'], VERIFY_ENV);
    expect(report.code, report.stdout + report.stderr).to.equal(0);
  });
});
