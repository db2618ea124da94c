/**
 * `audit-cli hash`: the pseudonym of a known value equals the token the PII processor wrote into
 * the journal (pseudonymize mode, same key), so a person's records can be found without storing
 * who they are.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PiiAnonymizingProcessor } from '../../src/processors/pii/pii-processor.js';
import { emit } from '../journal/helpers.js';
import { cli, signedPipeline, tempDir } from './fixture.js';

const PSEUDONYM_KEY = 'test-pseudonym-key-0123456789abcdef';

describe('audit-cli hash', function () {
  this.timeout(20000);
  let cleanup: () => Promise<void>;
  let file: string;

  before(async () => {
    const t = await tempDir();
    cleanup = t.cleanup;
    file = path.join(t.dir, 'audit.log');
    const pii = new PiiAnonymizingProcessor({ mode: 'pseudonymize', key: PSEUDONYM_KEY });
    const p = signedPipeline(file, 1, [pii]);
    emit(p.logger, {
      type: 'email_sent',
      leadId: 'LEAD-1',
      attrs: { 'orchestrator.email.recipient': 'Jane.Doe@Example.com' },
    });
    emit(p.logger, {
      type: 'email_sent',
      leadId: 'LEAD-2',
      attrs: { 'orchestrator.email.recipient': 'bob@example.org' },
    });
    await p.close();
  });
  after(() => cleanup());

  it('prints the token the PII processor wrote for the value; the value itself is not in the journal', async () => {
    const journal = readFileSync(file, 'utf8');
    expect(journal.toLowerCase()).to.not.contain('jane.doe@example.com');
    const r = await cli(['hash', 'jane.doe@example.com'], { AUDIT_PSEUDONYM_KEY: PSEUDONYM_KEY });
    expect(r.code, r.stderr).to.equal(0);
    const token = r.stdout.trim();
    expect(token).to.match(/^pii:email:[0-9a-f]+$/);
    expect(r.stdout + r.stderr).to.not.contain('jane.doe');
    const events = JSON.parse((await cli(['--file', file, 'query', '--type', 'email_sent', '--json'])).stdout)
      .events as { leadId: string; attrs: Record<string, unknown> }[];
    const recipients = new Map(events.map((e) => [e.leadId, e.attrs['orchestrator.email.recipient']]));
    expect(recipients.get('LEAD-1')).to.equal(token);
    expect(recipients.get('LEAD-2')).to.not.equal(token);
    expect(journal).to.contain(token);
  });

  it('reads the key from --key-env, prints JSON, and rejects an unknown kind (exit 3)', async () => {
    const r = await cli(['hash', 'bob@example.org', '--key-env', 'MY_KEY', '--json'], { MY_KEY: PSEUDONYM_KEY });
    expect(r.code, r.stderr).to.equal(0);
    const out = JSON.parse(r.stdout);
    expect(out).to.include({ keyEnv: 'MY_KEY' });
    expect(readFileSync(file, 'utf8')).to.contain(out.pseudonym);
    const otherKey = await cli(['hash', 'bob@example.org'], { AUDIT_PSEUDONYM_KEY: 'another-key' });
    expect(otherKey.stdout.trim()).to.not.equal(out.pseudonym);
    const bad = await cli(['hash', 'x', '--kind', 'shoe-size'], { AUDIT_PSEUDONYM_KEY: PSEUDONYM_KEY });
    expect(bad.code).to.equal(3);
    expect(bad.stdout).to.equal('');
    expect(bad.stderr).to.contain('shoe-size');
  });
});
