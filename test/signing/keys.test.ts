import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { expect } from 'chai';
import {
  AuditKeyError,
  derivedKeyId,
  keyringOf,
  loadKeyring,
  loadVerificationKeys,
} from '../../src/processors/signing/keys.js';
import { SigningProcessor } from '../../src/processors/signing/signing-processor.js';

const RAW = randomBytes(32);
const B64 = RAW.toString('base64');
const HEX = RAW.toString('hex');

describe('signing keys', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'audit-keys-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('decodes base64, base64url, hex, prefixed text and bytes to the same key', () => {
    const canonical = '{"a":1}';
    const reference = keyringOf({ k: RAW }).sign(canonical);
    for (const form of [B64, RAW.toString('base64url'), HEX, `hex:${HEX}`, `base64:${B64}`, ` ${B64}\n`]) {
      expect(keyringOf({ k: form }).sign(canonical), form).to.equal(reference);
    }
  });

  it('refuses a missing key at construction with a message that says how to fix it', () => {
    expect(() => loadKeyring({ env: {} })).to.throw(AuditKeyError, /AUDIT_SIGNING_KEY/);
    expect(() => new SigningProcessor({ env: {}, sealIntervalMs: 0 })).to.throw(AuditKeyError, /integrity: false/);
  });

  it('refuses keys shorter than 32 bytes and undecodable text', () => {
    expect(() => loadKeyring({ signingKey: randomBytes(16).toString('base64'), env: {} })).to.throw(
      AuditKeyError,
      /16 bytes.*at least 32/,
    );
    expect(() => loadKeyring({ env: { AUDIT_SIGNING_KEY: 'hex:zz' } })).to.throw(AuditKeyError, /not valid hex/);
    expect(() => loadKeyring({ env: { AUDIT_SIGNING_KEY: 'not a key!' } })).to.throw(
      AuditKeyError,
      /neither hex nor base64/,
    );
  });

  it('reads the active key, its id and verification keys from the environment', () => {
    const old = randomBytes(40).toString('hex');
    const ring = loadKeyring({
      env: { AUDIT_SIGNING_KEY: B64, AUDIT_SIGNING_KEY_ID: 'k2', AUDIT_VERIFY_KEYS: `k1:${old}, k0:base64:${B64}` },
    });
    expect(ring.activeKid).to.equal('k2');
    expect(ring.kids()).to.deep.equal(['k2', 'k1', 'k0']);
    const sig = keyringOf({ k1: old }).sign('x');
    expect(ring.verify('k1', 'x', sig)).to.equal('valid');
    expect(() => loadKeyring({ env: { AUDIT_SIGNING_KEY: B64, AUDIT_VERIFY_KEYS: `${B64}` } })).to.throw(
      AuditKeyError,
      /kid:secret/,
    );
  });

  it('derives a stable key id that is not the secret when none is given', () => {
    const ring = loadKeyring({ signingKey: B64, env: {} });
    expect(ring.activeKid)
      .to.match(/^k-[0-9a-f]{8}$/)
      .and.equal(derivedKeyId(RAW));
    expect(HEX).to.not.include((ring.activeKid as string).slice(2));
  });

  it('reads a key file (option or AUDIT_KEY_FILE) with an active key and older keys', async () => {
    const file = path.join(dir, 'keys.json');
    const k1 = randomBytes(32).toString('base64');
    await writeFile(file, JSON.stringify({ active: 'k2', keys: { k1, k2: B64 } }));
    for (const ring of [loadKeyring({ keyFile: file, env: {} }), loadKeyring({ env: { AUDIT_KEY_FILE: file } })]) {
      expect(ring.activeKid).to.equal('k2');
      expect(ring.has('k1')).to.equal(true);
    }
    const bad = path.join(dir, 'bad.json');
    await writeFile(bad, '{"keys": [');
    expect(() => loadKeyring({ keyFile: bad, env: {} })).to.throw(AuditKeyError, /not valid JSON/);
    expect(() => loadKeyring({ keyFile: path.join(dir, 'absent.json'), env: {} })).to.throw(AuditKeyError, /ENOENT/);
    await writeFile(bad, JSON.stringify({ active: 'k9', keys: { k1 } }));
    expect(() => loadKeyring({ keyFile: bad, env: {} })).to.throw(AuditKeyError, /"active" must name/);
  });

  it('refuses one key id configured with two different secrets', () => {
    const other = randomBytes(32).toString('base64');
    expect(() =>
      loadKeyring({ signingKey: B64, signingKeyId: 'k1', env: { AUDIT_VERIFY_KEYS: `k1:${other}` } }),
    ).to.throw(AuditKeyError, /"k1" is configured twice/);
    expect(
      loadKeyring({ signingKey: B64, signingKeyId: 'k1', env: { AUDIT_VERIFY_KEYS: `k1:${HEX}` } }).kids(),
    ).to.deep.equal(['k1']);
  });

  it('options take precedence over the environment for the active key', () => {
    const other = randomBytes(32).toString('base64');
    const ring = loadKeyring({
      signingKey: B64,
      signingKeyId: 'opt',
      env: { AUDIT_SIGNING_KEY: other, AUDIT_SIGNING_KEY_ID: 'env' },
    });
    expect(ring.activeKid).to.equal('opt');
    expect(ring.has('env')).to.equal(true);
  });

  it('never prints secrets (JSON, inspect, string, error messages)', () => {
    const ring = loadKeyring({ signingKey: B64, signingKeyId: 'k1', verificationKeys: { k0: HEX }, env: {} });
    const shown = [JSON.stringify(ring), inspect(ring, { depth: 10, showHidden: true }), String(ring), `${ring}`];
    for (const text of shown) {
      expect(text).to.include('k1');
      expect(text).to.not.include(B64.slice(0, 12));
      expect(text).to.not.include(HEX.slice(0, 12));
    }
    const short = randomBytes(8).toString('hex');
    try {
      loadKeyring({ signingKey: short, env: {} });
      expect.fail('should throw');
    } catch (err) {
      expect((err as Error).message).to.not.include(short);
    }
  });

  it('checks signatures in constant time: valid, invalid, unknown key', () => {
    const ring = keyringOf({ k1: B64 });
    const sig = ring.sign('content');
    expect(sig).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect(ring.verify('k1', 'content', sig)).to.equal('valid');
    expect(ring.verify('k1', 'content!', sig)).to.equal('invalid');
    expect(ring.verify('k1', 'content', sig.slice(0, -1))).to.equal('invalid');
    expect(ring.verify('k9', 'content', sig)).to.equal('unknown-key');
  });

  it('loads verification-only keyrings and refuses an empty one unless allowed', () => {
    const ring = loadVerificationKeys({ env: { AUDIT_VERIFY_KEYS: `k1:${B64}` } });
    expect(ring.activeKid).to.equal(undefined);
    expect(ring.has('k1')).to.equal(true);
    expect(() => ring.sign('x')).to.throw(AuditKeyError);
    expect(() => loadVerificationKeys({ env: {} })).to.throw(AuditKeyError, /AUDIT_VERIFY_KEYS/);
    expect(loadVerificationKeys({ env: {}, allowEmpty: true }).kids()).to.deep.equal([]);
  });
});
