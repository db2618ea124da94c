/**
 * Records emitted straight through a logger of the AuditLogger's provider get the helpers' input
 * handling, in process and in thread mode: values the OTel SDK would drop (a Date, a Map, a class
 * instance) and a `__proto__` key are converted and kept, bytes are written the same way in both, the record lists them in
 * `audit.sanitized`, they are counted, and the journal verifies clean with audit-cli.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { createAuditLogger } from '../../src/logger/default-logger.js';
import { tempDir } from '../cli/fixture.js';
import { runBin } from '../cli/spawn.js';

const KEY = Buffer.from('direct-emit-test-key-0123456789abcdef', 'utf8');
const VERIFY_ENV = { AUDIT_VERIFY_KEYS: `k1:hex:${KEY.toString('hex')}` };

class Step {
  readonly name = 'qualify';
  readonly attempt = 2;
}

function journalRecord(file: string, event: string): Record<string, unknown> {
  const line = readFileSync(file, 'utf8')
    .split('\n')
    .find((l) => l.includes(`"event":"${event}"`));
  expect(line, `a journal line of ${event}`).to.be.a('string');
  return (JSON.parse(line as string) as { rec: Record<string, unknown> }).rec;
}

for (const thread of [false, true]) {
  describe(`direct emits through the AuditLogger's provider${thread ? ' (thread mode)' : ''}`, function () {
    this.timeout(30_000);
    let dir: string;
    let cleanup: () => Promise<void>;
    beforeEach(async () => ({ dir, cleanup } = await tempDir('direct-emit-')));
    afterEach(() => cleanup());

    it('keeps values the OTel SDK would drop, converted and listed in audit.sanitized; the journal verifies', async () => {
      const file = path.join(dir, 'audit.log');
      const audit = createAuditLogger({ auditFile: file, signingKey: KEY, signingKeyId: 'k1', env: {}, thread });
      const attributes = {
        plain: 'ok',
        when: new Date('2026-03-04T05:06:07.089Z'),
        tags: new Map([['tier', 'gold']]),
        step: new Step(),
        raw: new Uint8Array([104, 105]),
        ...(JSON.parse('{"payload": {"__proto__": {"polluted": true}, "kept": 1}}') as object),
      };
      audit.loggerProvider.getLogger('orchestrator').emit({
        eventName: 'app.step.done',
        severityText: 'INFO',
        body: new Date('2026-03-04T05:06:07.089Z') as unknown as string,
        attributes: attributes as never,
      });
      await audit.forceFlush();
      const counted = audit.getDiagnostics();
      await audit.shutdown();

      const rec = journalRecord(file, 'app.step.done');
      const attrs = rec.attrs as Record<string, unknown>;
      expect(attrs).to.deep.include({
        plain: 'ok',
        when: '2026-03-04T05:06:07.089Z',
        tags: { tier: 'gold' },
        step: { attempt: 2, name: 'qualify' },
        raw: 'base64:aGk=',
        payload: { '[__proto__]': { polluted: true }, kept: 1 },
      });
      expect(rec.body).to.equal('2026-03-04T05:06:07.089Z');
      expect(attrs['audit.sanitized']).to.deep.equal(['bytes', 'class-instance', 'date', 'map', 'reserved-key']);
      expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
      const kinds = JSON.stringify(counted);
      for (const issue of ['date', 'map', 'class-instance', 'reserved-key'])
        expect(kinds).to.include(`sanitize.${issue}`);

      const verified = await runBin(['--file', file, 'integrity', '--json'], VERIFY_ENV);
      expect(verified.code, verified.stdout + verified.stderr).to.equal(0);
    });
  });
}
