/**
 * Helpers for public-key seal tests: sealing keys, sealed journal lines from a real signing
 * pipeline, and an attacker's re-sealing of a chain from a given line on.
 */
import { createPublicKey, sign, type KeyObject } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AuditRecordContent } from '../../src/record/audit-record.js';
import { canonicalize, type CanonicalValue } from '../../src/record/canonical.js';
import { journalLineOf } from '../../src/record/journal-line.js';
import {
  needsSealSignature,
  rawPublicKey,
  recordHash,
  SEAL_KEY_ATTR,
  type EpochCertificate,
} from '../../src/record/seal-epoch.js';
import { generateSealKeys } from '../../src/processors/signing/seal-key.js';
import { loadSealPublicKey, type SealPublicKeys } from '../../src/verify/seal-keys.js';
import { pipeline } from '../signing/helpers.js';

/** A fresh key pair in a new temporary directory: the key file, and the verifier's public keys. */
export function rootKeys(): { dir: string; keyFile: string; pubFile: string; verifier: () => SealPublicKeys } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'audit-seal-test-'));
  const made = generateSealKeys(dir);
  return {
    dir,
    keyFile: made.keyFile,
    pubFile: made.publicKeyFile,
    verifier: () => loadSealPublicKey(made.publicKeyFile),
  };
}

/**
 * Journal lines of `runs` signer lifetimes sealed with the key file (a seal every 4 records, a
 * shutdown seal at the end, each run linked to the one before), `leads` leads each; the key file
 * evolves as in a logger.
 */
export async function sealedRuns(
  keyFile: string,
  runs = 2,
  leads = 6,
  extra: { sealEpochSeals?: number } = {},
): Promise<string[][]> {
  const out: string[][] = [];
  let previous: { stream: string; seq: number; sig: string } | undefined;
  for (let r = 0; r < runs; r++) {
    const p = pipeline({
      keyring: undefined,
      env: {},
      sealKeyFile: keyFile,
      sealEveryRecords: 4,
      ...(extra.sealEpochSeals !== undefined ? { sealEpochSeals: extra.sealEpochSeals } : {}),
      ...(previous ? { previous } : {}),
    });
    p.emitLeads(leads, r * 100);
    await p.provider.shutdown();
    out.push(p.lines());
    previous = p.signer.head();
  }
  return out;
}

/** The content of a journal line. */
export function recOf(line: string): AuditRecordContent {
  return (JSON.parse(line) as { rec: AuditRecordContent }).rec;
}

/** A stolen or attacker's signing key: private key, its epoch and public key (raw). */
export interface AttackerKey {
  readonly privateKey: KeyObject;
  readonly epoch: number;
  /** Certificates to add to every re-signed record (the stolen state's, so that its key is certified). */
  readonly certs?: readonly EpochCertificate[];
}

/**
 * Re-seals `lines` from index `from` on, as someone who changed the record at `from` and holds
 * `key` would: each later record gets the new `prev`; ordinary records their new hash; seals and
 * stream starts are re-signed with `key` (claiming its epoch and public key). `edit` changes the
 * record at `from` first.
 */
export function resealFrom(
  lines: readonly string[],
  from: number,
  key: AttackerKey | undefined,
  edit: (rec: { -readonly [K in keyof AuditRecordContent]: AuditRecordContent[K] }) => void = () => undefined,
): string[] {
  const out = [...lines];
  let prev: string | undefined;
  for (let i = from; i < out.length; i++) {
    const rec = JSON.parse(JSON.stringify(recOf(out[i] as string))) as {
      -readonly [K in keyof AuditRecordContent]: AuditRecordContent[K];
    };
    if (i === from) edit(rec);
    if (prev !== undefined) {
      rec.prev = prev;
      if (rec.event === 'audit.seal') rec.attrs = { ...rec.attrs, 'audit.seal.head': prev };
    }
    let sig: string;
    if (needsSealSignature(rec) && key) {
      rec.attrs = {
        ...rec.attrs,
        [SEAL_KEY_ATTR.epoch]: key.epoch,
        [SEAL_KEY_ATTR.key]: rawPublicKey(createPublicKey(key.privateKey)),
        ...(key.certs ? { [SEAL_KEY_ATTR.certs]: key.certs.map((c) => ({ ...c })) } : {}),
      };
      const canonical = canonicalize(rec as unknown as CanonicalValue);
      sig = sign(null, Buffer.from(canonical), key.privateKey).toString('base64url');
      out[i] = journalLineOf({ canonical, sig });
    } else {
      const canonical = canonicalize(rec as unknown as CanonicalValue);
      sig = needsSealSignature(rec) ? (JSON.parse(out[i] as string) as { sig: string }).sig : recordHash(canonical);
      out[i] = journalLineOf({ canonical, sig });
    }
    prev = sig;
  }
  return out;
}
