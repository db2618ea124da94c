import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { JournalQuery } from '../../src/query/journal/journal-query.js';
import type { AuditEvent } from '../../src/query/types.js';

const run = promisify(execFile);
const DIST = resolve(import.meta.dirname, '../..');
const ROOT = resolve(DIST, '..');
const REGISTER = join(DIST, 'src/instrumentation/register.js');
const CONFIG = join(ROOT, 'examples/zero-code/sales-audit.json');

/** Environment without any audit/OTel settings of the developer's shell. */
function baseEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AUDIT_') && !k.startsWith('OTEL_')) env[k] = v;
  return { ...env, ...extra };
}

/** What must be equal between the two runs: order, type, lead id, workflow, operation, error type/message, and each event's own attributes. */
function comparable(events: readonly AuditEvent[]): unknown[] {
  return events
    .filter((e) => e.type !== 'seal' && e.event !== 'audit.seal')
    .map((e) => {
      const { 'orchestrator.duration_s': _d, 'orchestrator.error.traceback': _tb, ...attrs } = e.attrs;
      return {
        type: e.type,
        leadId: e.leadId,
        workflow: e.workflow,
        message: e.type === 'performance' ? undefined : e.message,
        attrs,
      };
    });
}

describe('zero-code instrumentation of the demo orchestrator (spawned processes)', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'audit-zero-code-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('plain-demo under --import register writes the same event sequence as the hand-instrumented demo, verifiably', async () => {
    const key = randomBytes(32).toString('hex');
    const pseudonym = randomBytes(32).toString('hex');
    const args = ['--leads', '25', '--seed', '11', '--latency', '0-0'];
    const handJournal = join(dir, 'hand/audit.log');
    const zeroJournal = join(dir, 'zero/audit.log');
    const hand = await run(process.execPath, [join(DIST, 'examples/demo.js'), ...args, '--journal', handJournal], {
      cwd: dir,
      env: baseEnv({ AUDIT_SIGNING_KEY: key, AUDIT_PSEUDONYM_KEY: pseudonym }),
      timeout: 60_000,
    });
    const zero = await run(process.execPath, ['--import', REGISTER, join(DIST, 'examples/plain-demo.js'), ...args], {
      cwd: dir,
      env: baseEnv({
        AUDIT_SIGNING_KEY: key,
        AUDIT_FILE: zeroJournal,
        AUDIT_INSTRUMENT_CONFIG: CONFIG,
        AUDIT_ANONYMIZE_PII: 'true',
        AUDIT_PII_MODE: 'pseudonymize',
        AUDIT_PII_KEY: pseudonym,
      }),
      timeout: 60_000,
    });
    expect(hand.stdout).to.match(/internal audit failures: 0/);
    const summary = JSON.parse(zero.stdout.trim()) as { leads: number; crmRetries: number };
    expect(summary.leads).to.equal(25);

    const handEvents = await new JournalQuery(handJournal).queryEvents();
    const zeroEvents = await new JournalQuery(zeroJournal).queryEvents();
    const expected = comparable(handEvents);
    expect(expected.length).to.be.greaterThan(200);
    const types = new Set(expected.map((e) => (e as { type: string }).type));
    for (const t of [
      'workflow_started',
      'lead_ingested',
      'lead_qualified',
      'crm_create',
      'email_sent',
      'email_cancelled',
      'performance',
      'error',
      'workflow_stopped',
    ])
      expect(types).to.include(t);
    expect(comparable(zeroEvents)).to.deep.equal(expected);

    // every zero-code record was written inside the run's trace (steps are child spans of the run)
    const withTrace = zeroEvents.filter((e) => e.type !== 'seal' && e.event !== 'audit.seal');
    expect(new Set(withTrace.map((e) => e.trace)).size).to.equal(1);
    expect(withTrace.every((e) => e.trace !== undefined && e.span !== undefined)).to.equal(true);

    // the shutdown hook sealed the journal: audit-cli integrity reports CLEAN (exit 0)
    const check = await run(process.execPath, [join(DIST, 'src/cli/main.js'), '--file', zeroJournal, 'integrity'], {
      env: baseEnv({ AUDIT_SIGNING_KEY: key }),
      timeout: 60_000,
    });
    expect(check.stdout).to.include('CLEAN');
  });
});
