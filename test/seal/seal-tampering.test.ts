/**
 * Public-key seals: every tamper class the HMAC verifier finds, found again with nothing but the
 * root public key (`audit-seal.pub`). Journal lines come from a real signing pipeline sealing with
 * an Ed25519 key file; the verifier holds no secret.
 */
import { expect } from 'chai';
import { generateKeyPairSync } from 'node:crypto';
import { rmSync } from 'node:fs';
import { canonicalize, type CanonicalValue } from '../../src/record/canonical.js';
import { decodeJournalLine, journalLineOf } from '../../src/record/journal-line.js';
import { recordHash } from '../../src/record/seal-epoch.js';
import { SealPublicKeys } from '../../src/verify/seal-keys.js';
import { ChainVerifier } from '../../src/verify/chain-verifier.js';
import { combineKeys } from '../../src/verify/record-keys.js';
import { pipeline } from '../signing/helpers.js';
import { KEYS, verifyLines } from '../verify/helpers.js';
import { recOf, resealFrom, rootKeys, sealedRuns } from './helpers.js';

function classes(report: { readonly findings: readonly { readonly class: string }[] }): string[] {
  return [...new Set(report.findings.map((f) => f.class))].sort();
}

describe('public-key seals: tampering found with the public key alone', () => {
  let keys: ReturnType<typeof rootKeys>;
  let run1: string[];
  let run2: string[];
  let all: string[];

  before(async () => {
    keys = rootKeys();
    [run1 = [], run2 = []] = await sealedRuns(keys.keyFile, 2, 6);
    all = [...run1, ...run2];
  });
  after(() => rmSync(keys.dir, { recursive: true, force: true }));

  const check = (lines: readonly string[], writerRunning?: boolean) =>
    verifyLines(lines, writerRunning === undefined ? {} : { writerRunning }, keys.verifier());

  it('an untouched sealed journal verifies clean, every record counted; seals and starts are Ed25519, the rest hashes', () => {
    const report = check(all, false);
    expect(report.findings).to.deep.equal([]);
    expect(report.exitCode).to.equal(0);
    expect(report.recordsVerified).to.equal(all.length);
    const sigs = all.map((l) => (JSON.parse(l) as { sig: string }).sig.length);
    expect(sigs.filter((n) => n === 86).length).to.be.greaterThan(3); // seals + starts
    expect(sigs.filter((n) => n === 43).length).to.be.greaterThan(6); // hashes
    expect(report.streams.map((s) => s.status)).to.deep.equal(['clean', 'clean']);
  });

  it('an HMAC keyring cannot verify a sealed journal (unknown-key): the verifier must be given the public key', () => {
    expect(verifyLines(all, {}, KEYS).countsByClass['unknown-key']).to.equal(all.length);
  });

  it('modified: content changed with its hash kept, with its hash recomputed, or with the rest of the stream re-hashed', () => {
    const edit = (rec: { body: CanonicalValue }) => {
      rec.body = 'Lead LEAD-X ingested';
    };
    // kept hash
    const rec = recOf(all[2] as string);
    const changed = [...all];
    changed[2] = journalLineOf({
      canonical: canonicalize({ ...rec, body: 'Lead LEAD-X ingested' } as unknown as CanonicalValue),
      sig: (JSON.parse(all[2] as string) as { sig: string }).sig,
    });
    expect(classes(check(changed))).to.deep.equal(['modified']);
    // recomputed hash: the next record's prev no longer matches
    const rehashed = [...all];
    const canonical = canonicalize({ ...rec, body: 'Lead LEAD-X ingested' } as unknown as CanonicalValue);
    rehashed[2] = journalLineOf({ canonical, sig: recordHash(canonical) });
    expect(classes(check(rehashed))).to.deep.equal(['modified']);
    // the whole rest of the run re-hashed without a key: the seal signatures no longer match
    const resealed = [...resealFrom(run1, 2, undefined, edit), ...run2];
    const report = check(resealed);
    expect(report.exitCode).to.equal(1);
    expect(classes(report)).to.include('modified');
  });

  it('missing: a deleted record is a gap; a deleted whole run is missing-stream', () => {
    const deleted = all.filter((_, i) => i !== 3);
    const report = check(deleted);
    expect(classes(report)).to.deep.equal(['missing']);
    expect(report.exitCode).to.equal(1);
    const noRun1 = check(run2);
    expect(classes(noRun1)).to.deep.equal(['missing-stream']);
    expect(noRun1.exitCode).to.equal(1);
  });

  it('inserted: a record with a valid hash at a taken position, and a replayed line', () => {
    const rec = recOf(all[2] as string);
    const canonical = canonicalize({ ...rec, body: 'forged' } as unknown as CanonicalValue);
    const forged = [...all.slice(0, 3), journalLineOf({ canonical, sig: recordHash(canonical) }), ...all.slice(3)];
    expect(classes(check(forged))).to.include('inserted');
    const replayed = [...all.slice(0, 4), all[2] as string, ...all.slice(4)];
    expect(classes(check(replayed))).to.deep.equal(['inserted']);
  });

  it('reordered: a swapped pair', () => {
    const swapped = [...all];
    [swapped[1], swapped[2]] = [swapped[2] as string, swapped[1] as string];
    expect(classes(check(swapped))).to.deep.equal(['reordered']);
  });

  it('truncated: the newest run cut (its shutdown seal gone), or cut right after a periodic seal, ended without closing (exit 2)', () => {
    const cut = all.slice(0, all.length - 2);
    const report = check(cut, false);
    expect(classes(report)).to.deep.equal(['unclosed']);
    expect(report.exitCode).to.equal(2);
    const atSeal = run2.findIndex((l) => recOf(l).attrs['audit.seal.reason'] !== undefined);
    expect(atSeal).to.be.greaterThan(0);
    const cutAtSeal = check([...run1, ...run2.slice(0, atSeal + 1)], false);
    expect(classes(cutAtSeal)).to.deep.equal(['unclosed']);
    expect(cutAtSeal.exitCode).to.equal(2);
    // the tail of the first run cut: the second run links to its last record
    const tailOfRun1 = check([...run1.slice(0, run1.length - 2), ...run2]);
    expect(classes(tailOfRun1)).to.deep.equal(['missing']);
  });

  it('forged seal signature: a flipped signature is modified; a seal signed with another key is unknown-key', () => {
    const sealAt = all.findIndex((l) => recOf(l).event === 'audit.seal');
    const parsed = JSON.parse(all[sealAt] as string) as { sig: string };
    const flipped = [...all];
    flipped[sealAt] = (all[sealAt] as string).replace(
      parsed.sig,
      (parsed.sig[0] === 'A' ? 'B' : 'A') + parsed.sig.slice(1),
    );
    expect(classes(check(flipped))).to.deep.equal(['modified']);
    // an attacker's own key, claimed as epoch 0: the verifier knows the root key, not this one
    const attacker = generateKeyPairSync('ed25519').privateKey;
    const resigned = [...resealFrom(run1, sealAt, { privateKey: attacker, epoch: 0 }), ...run2];
    const report = check(resigned);
    expect(report.exitCode).to.equal(1);
    expect(classes(report)).to.include('unknown-key');
  });

  it('wrong public key: every seal and stream start is unknown-key (exit 1)', () => {
    const other = new SealPublicKeys(generateKeyPairSync('ed25519').publicKey);
    const report = verifyLines(all, {}, other);
    expect(report.exitCode).to.equal(1);
    expect(report.countsByClass['unknown-key']).to.equal(all.length);
  });

  it('a journal switched from HMAC to a sealing key verifies with combineKeys(hmac, public) and not with either alone', async () => {
    const hmacRun = pipeline({ env: {} });
    hmacRun.emitLeads(3);
    await hmacRun.provider.shutdown();
    const sealedRun = pipeline({
      keyring: undefined,
      env: {},
      sealKeyFile: keys.keyFile,
      previous: hmacRun.signer.head()!,
    });
    sealedRun.emitLeads(3, 50);
    await sealedRun.provider.shutdown();
    const lines = [...hmacRun.lines(), ...sealedRun.lines()];
    const both = verifyLines(lines, { writerRunning: false }, combineKeys(KEYS, keys.verifier()));
    expect(both.findings).to.deep.equal([]);
    expect(both.streams.map((s) => s.status)).to.deep.equal(['clean', 'clean']);
    expect(verifyLines(lines, {}, keys.verifier()).countsByClass['unknown-key']).to.equal(hmacRun.lines().length);
    expect(verifyLines(lines, {}, KEYS).countsByClass['unknown-key']).to.equal(sealedRun.lines().length);
  });

  it('witness entries sealed in later epochs are checked once the records certified their keys', async () => {
    const k = rootKeys();
    try {
      const [run = []] = await sealedRuns(k.keyFile, 1, 6, { sealEpochSeals: 1 });
      const seals = run.filter((l) => recOf(l).event === 'audit.seal');
      expect(seals.some((l) => recOf(l).attrs['audit.seal.epoch'] === 1)).to.equal(true);
      const verifier = new ChainVerifier(k.verifier(), { writerRunning: false });
      const witnessOf = (line: string, location: string) => {
        const decoded = decodeJournalLine(line);
        if (!decoded.ok) throw new Error('undecodable');
        return { canonical: decoded.canonical, sig: decoded.record.sig, location };
      };
      // the witness holds only epoch-1 seals: their key is certified by the records, read after them
      const epoch1 = seals.filter((l) => recOf(l).attrs['audit.seal.epoch'] === 1);
      epoch1.forEach((line, i) => verifier.pushWitness(witnessOf(line, `w:${i}`)));
      // a forged witness entry: the last seal re-signed by someone else's key, claiming epoch 1
      const attacker = generateKeyPairSync('ed25519').privateKey;
      const forged = resealFrom([seals[seals.length - 1] as string], 0, {
        privateKey: attacker,
        epoch: 1,
      })[0] as string;
      verifier.pushWitness(witnessOf(forged, 'w:forged'));
      run.forEach((line, i) => verifier.pushLine(line, `audit.log:${i + 1}`));
      const report = verifier.finish();
      expect(report.findings.map((f) => [f.class, f.location])).to.deep.equal([['witness-mismatch', 'w:forged']]);
    } finally {
      rmSync(k.dir, { recursive: true, force: true });
    }
  });
});
