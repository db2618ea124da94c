/**
 * `audit-cli keygen` and `audit-cli integrity --public-key`: key files, exit codes, and that
 * verification with the public key reads no secret from the environment.
 */
import { expect } from 'chai';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createAuditLogger } from '../../src/logger/default-logger.js';
import { cli, tempDir } from './fixture.js';

function linesOf(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '');
}

describe('audit-cli keygen and integrity --public-key', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let keyFile: string;
  let pubFile: string;
  let journal: string;

  before(async () => {
    ({ dir, cleanup } = await tempDir('audit-cli-seal-'));
    const made = await cli(['keygen', '--out', path.join(dir, 'keys'), '--json']);
    expect(made.code).to.equal(0, made.stderr);
    ({ keyFile, publicKeyFile: pubFile } = JSON.parse(made.stdout) as { keyFile: string; publicKeyFile: string });
    journal = path.join(dir, 'audit.log');
    for (let run = 0; run < 2; run++) {
      const audit = createAuditLogger({
        auditFile: journal,
        sealKeyFile: keyFile,
        sealEveryRecords: 3,
        sealEpochSeals: 2,
        sealIntervalMs: 0,
        env: {},
      });
      for (let i = 0; i < 5; i++) audit.logLeadIngested(`LEAD-${run}-${i}`, 'web_form', {}, 'sales');
      await audit.shutdown();
    }
  });
  after(() => cleanup());

  it('keygen --help names the files; keygen writes them (0600 private), refuses to overwrite (exit 3) unless --force', async () => {
    const help = await cli(['keygen', '--help']);
    expect(help.code).to.equal(0);
    expect(help.stdout)
      .to.match(/--out <dir>/)
      .and.match(/--force/)
      .and.match(/AUDIT_SEAL_KEY_FILE/);
    const out = path.join(dir, 'k2');
    const first = await cli(['keygen', '--out', out]);
    expect(first.code).to.equal(0, first.stderr);
    expect(first.stdout)
      .to.match(/audit-seal\.key/)
      .and.match(/audit-seal\.pub/)
      .and.match(/Key id: +seal-/);
    expect(statSync(path.join(out, 'audit-seal.key')).mode & 0o777).to.equal(0o600);
    const before = readFileSync(path.join(out, 'audit-seal.key'), 'utf8');
    const refused = await cli(['keygen', '--out', out]);
    expect(refused.code).to.equal(3);
    expect(refused.stderr).to.match(/exists; pass --force/);
    expect(readFileSync(path.join(out, 'audit-seal.key'), 'utf8')).to.equal(before);
    const forced = await cli(['keygen', '--out', out, '--force']);
    expect(forced.code).to.equal(0);
    expect(readFileSync(path.join(out, 'audit-seal.key'), 'utf8')).to.not.equal(before);
    expect((await cli(['keygen'])).code).to.equal(3); // --out is required
  });

  it('integrity --public-key: exit 0 on the untouched journal, with no key in the environment', async () => {
    const run = await cli(['--file', journal, 'integrity', '--public-key', pubFile, '--json']);
    expect(run.code).to.equal(0, run.stdout + run.stderr);
    const summary = JSON.parse(run.stdout) as { status: string; recordsVerified: number; streams: unknown[] };
    expect(summary.status).to.equal('clean');
    expect(summary.recordsVerified).to.equal(linesOf(journal).length);
    expect(summary.streams).to.have.length(2);
  });

  it('integrity --public-key reads no secret: a poisoned HMAC key in the environment is never looked at', async () => {
    const read: string[] = [];
    const env = new Proxy({ AUDIT_SIGNING_KEY: 'not-a-key', AUDIT_VERIFY_KEYS: 'broken' } as Record<string, string>, {
      get(target, name) {
        if (typeof name === 'string') read.push(name);
        return target[name as string];
      },
    });
    const run = await cli(['--file', journal, 'integrity', '--public-key', pubFile], env);
    expect(run.code).to.equal(0, run.stdout + run.stderr);
    expect(read.filter((n) => /KEY/.test(n))).to.deep.equal([]);
    // the same environment without --public-key fails on the poisoned key: the check above can fail
    const hmac = await cli(['--file', journal, 'integrity'], env);
    expect(hmac.code).to.equal(3);
  });

  it('integrity --public-key: exit 1 for an edited record, 2 for a cut newest run, 3 for an unreadable key file', async () => {
    const lines = linesOf(journal);
    const edited = path.join(dir, 'edited.log');
    writeFileSync(edited, lines.map((l, i) => (i === 1 ? l.replace('LEAD-0-1', 'LEAD-0-9') : l)).join('\n') + '\n');
    const tampered = await cli(['--file', edited, 'integrity', '--public-key', pubFile]);
    expect(tampered.code).to.equal(1);
    expect(tampered.stdout).to.match(/modified/);
    const cut = path.join(dir, 'cut.log');
    writeFileSync(cut, lines.slice(0, -1).join('\n') + '\n');
    const unclosed = await cli(['--file', cut, 'integrity', '--public-key', pubFile]);
    expect(unclosed.code).to.equal(2, unclosed.stdout);
    const missingKey = await cli(['--file', journal, 'integrity', '--public-key', path.join(dir, 'absent.pub')]);
    expect(missingKey.code).to.equal(3);
    expect(missingKey.stderr).to.match(/public key file .* cannot be read/);
    const notPublic = await cli(['--file', journal, 'integrity', '--public-key', keyFile]);
    expect(notPublic.code).to.equal(3);
    expect(notPublic.stderr).to.match(/is a private key; verify with the public key/);
  });

  it('a new key pair (rotation) continues the journal: both public keys verify it (exit 0); the old one alone does not', async () => {
    const rotated = path.join(dir, 'rotated.log');
    writeFileSync(rotated, readFileSync(journal));
    const made = await cli(['keygen', '--out', path.join(dir, 'k3'), '--json']);
    const next = JSON.parse(made.stdout) as { keyFile: string; publicKeyFile: string };
    const audit = createAuditLogger({ auditFile: rotated, sealKeyFile: next.keyFile, sealIntervalMs: 0, env: {} });
    audit.logLeadIngested('LEAD-new', 'web_form', {}, 'sales');
    await audit.shutdown();
    const both = await cli([
      '--file',
      rotated,
      'integrity',
      '--public-key',
      pubFile,
      '--public-key',
      next.publicKeyFile,
    ]);
    expect(both.code).to.equal(0, both.stdout);
    expect(both.stdout).to.match(/3 stream\(s\)/);
    const oldOnly = await cli(['--file', rotated, 'integrity', '--public-key', pubFile, '--json']);
    expect(oldOnly.code).to.equal(1);
    expect(Object.keys((JSON.parse(oldOnly.stdout) as { countsByClass: object }).countsByClass)).to.deep.equal([
      'unknown-key',
    ]);
  });
});
