/**
 * The sealing key file: what keygen writes, what the loader refuses, and a logger that runs and
 * signs with nothing but `AUDIT_SEAL_KEY_FILE`.
 */
import { expect } from 'chai';
import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createAuditLogger } from '../../src/logger/default-logger.js';
import { AuditKeyError } from '../../src/processors/signing/keys.js';
import { generateSealKeys, loadSealKeyFile } from '../../src/processors/signing/seal-key.js';
import { verifyLines } from '../verify/helpers.js';
import { rootKeys } from './helpers.js';

describe('sealing key file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'audit-seal-key-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('generateSealKeys writes a 0600 PKCS#8 private key and a public key, and refuses to overwrite without force', () => {
    const made = generateSealKeys(dir);
    expect(statSync(made.keyFile).mode & 0o777).to.equal(0o600);
    expect(readFileSync(made.keyFile, 'utf8')).to.match(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(readFileSync(made.publicKeyFile, 'utf8')).to.match(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(made.kid).to.match(/^seal-[0-9a-f]{12}$/);
    const before = readFileSync(made.keyFile, 'utf8');
    expect(() => generateSealKeys(dir)).to.throw(AuditKeyError, /exists; pass --force/);
    expect(readFileSync(made.keyFile, 'utf8')).to.equal(before);
    const again = generateSealKeys(dir, { force: true });
    expect(readFileSync(again.keyFile, 'utf8')).to.not.equal(before);
    expect(statSync(again.keyFile).mode & 0o777).to.equal(0o600);
  });

  it('the loader refuses a key file readable by group or others, a non-Ed25519 key, garbage and an edited state', () => {
    const made = generateSealKeys(dir);
    chmodSync(made.keyFile, 0o640);
    expect(() => loadSealKeyFile(made.keyFile)).to.throw(AuditKeyError, /readable by group or others.*chmod 600/);
    chmodSync(made.keyFile, 0o600);
    expect(loadSealKeyFile(made.keyFile).epoch).to.equal(0);
    const rsa = path.join(dir, 'rsa.key');
    const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' });
    writeFileSync(rsa, pem, { mode: 0o600 });
    expect(() => loadSealKeyFile(rsa)).to.throw(AuditKeyError, /ec key; an Ed25519 key is required/);
    const junk = path.join(dir, 'junk.key');
    writeFileSync(junk, 'not a key', { mode: 0o600 });
    expect(() => loadSealKeyFile(junk)).to.throw(AuditKeyError, /no PEM private key/);
    expect(() => loadSealKeyFile(path.join(dir, 'absent.key'))).to.throw(AuditKeyError, /ENOENT.*keygen/);
    const edited = path.join(dir, 'edited.key');
    writeFileSync(
      edited,
      readFileSync(made.keyFile, 'utf8') +
        '-----BEGIN AUDIT SEAL STATE-----\n' +
        Buffer.from(JSON.stringify({ v: 1, root: 'x', epoch: 3, certs: [] })).toString('base64') +
        '\n-----END AUDIT SEAL STATE-----\n',
      { mode: 0o600 },
    );
    expect(() => loadSealKeyFile(edited)).to.throw(AuditKeyError, /edited/);
  });

  it('a logger with AUDIT_SEAL_KEY_FILE and no HMAC key runs and signs; its journal verifies with the public key', async () => {
    const keys = rootKeys();
    const journal = path.join(dir, 'audit.log');
    try {
      const audit = createAuditLogger({ auditFile: journal, env: { AUDIT_SEAL_KEY_FILE: keys.keyFile } });
      audit.logLeadIngested('LEAD-1', 'web_form', {}, 'sales');
      audit.logError('crm_timeout', 'timeout', 'LEAD-1', 'sales');
      await audit.shutdown();
      const lines = readFileSync(journal, 'utf8')
        .split('\n')
        .filter((l) => l !== '');
      expect(lines).to.have.length(3);
      const report = verifyLines(lines, { writerRunning: false }, keys.verifier());
      expect(report.findings).to.deep.equal([]);
      expect(report.recordsVerified).to.equal(3);
    } finally {
      rmSync(keys.dir, { recursive: true, force: true });
    }
  });

  it('without any key the logger still refuses to start, naming the sealing key option too', () => {
    expect(() => createAuditLogger({ env: {} })).to.throw(AuditKeyError, /AUDIT_SEAL_KEY_FILE/);
  });

  it('with an HMAC key as well, the logger runs and the sealing key signs (the public key verifies every record)', async () => {
    const keys = rootKeys();
    const journal = path.join(dir, 'both.log');
    try {
      const audit = createAuditLogger({
        auditFile: journal,
        signingKey: 'hex:' + '42'.repeat(32),
        env: { AUDIT_SEAL_KEY_FILE: keys.keyFile },
      });
      audit.logLeadIngested('LEAD-1', 'web_form', {}, 'sales');
      await audit.shutdown();
      const lines = readFileSync(journal, 'utf8')
        .split('\n')
        .filter((l) => l !== '');
      const report = verifyLines(lines, { writerRunning: false }, keys.verifier());
      expect(report.findings).to.deep.equal([]);
      expect(report.recordsVerified).to.equal(2);
    } finally {
      rmSync(keys.dir, { recursive: true, force: true });
    }
  });

  it('a key file that cannot be replaced at an epoch change is counted (signing.seal-key); nothing is thrown or lost', async () => {
    const keys = rootKeys();
    const journal = path.join(dir, 'lost-key.log');
    const audit = createAuditLogger({
      auditFile: journal,
      sealKeyFile: keys.keyFile,
      sealEpochSeals: 1,
      sealIntervalMs: 0,
      env: {},
    });
    audit.logLeadIngested('LEAD-1', 'web_form', {}, 'sales');
    const pub = keys.verifier();
    rmSync(keys.dir, { recursive: true, force: true }); // the key's directory is gone
    audit.logLeadIngested('LEAD-2', 'web_form', {}, 'sales');
    await audit.shutdown();
    const failures = audit.getDiagnostics().failures;
    expect(failures.find((f) => f.kind === 'signing.seal-key')?.count).to.be.greaterThan(0);
    const lines = readFileSync(journal, 'utf8')
      .split('\n')
      .filter((l) => l !== '');
    expect(lines).to.have.length(3);
    // the certificates are in the journal, so the public key still verifies every record
    const report = verifyLines(lines, { writerRunning: false }, pub);
    expect(report.findings).to.deep.equal([]);
    expect(report.recordsVerified).to.equal(lines.length);
  });
});
