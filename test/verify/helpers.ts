/** Helpers for verifier tests: verify journal lines and tamper with them. */
import { createHmac, randomBytes } from 'node:crypto';
import type { AuditRecordContent } from '../../src/record/audit-record.js';
import { canonicalize, type CanonicalValue } from '../../src/record/canonical.js';
import {
  ChainVerifier,
  keyringOf,
  type ChainVerifierOptions,
  type RecordKeys,
  type Finding,
  type VerificationReport,
} from '../../src/entry/verify.js';
import { SECRET_1 } from '../signing/helpers.js';

/** Keys the test pipelines sign with. */
export const KEYS = keyringOf({ k1: SECRET_1 });

/** A journal line to push; `torn` marks a crash-torn line as the journal reader would. */
export type Line = string | { readonly line: string; readonly torn: true };

/** Verifies lines as a journal would be (locations `audit.log:<n>`). */
export function verifyLines(
  lines: readonly Line[],
  options: ChainVerifierOptions = {},
  keys: RecordKeys = KEYS,
): VerificationReport {
  const verifier = new ChainVerifier(keys, { perRecord: true, ...options });
  lines.forEach((l, i) => {
    if (typeof l === 'string') verifier.pushLine(l, `audit.log:${i + 1}`);
    else verifier.pushLine(l.line, `audit.log:${i + 1}`, l.torn);
  });
  return verifier.finish();
}

/** Findings as compact tuples `[class, location, seq, seqTo]` for deep equality. */
export function brief(
  report: VerificationReport,
): [Finding['class'], string, number | undefined, number | undefined][] {
  return report.findings.map((f) => [f.class, f.location, f.seq, f.seqTo]);
}

/** The content of a journal line. */
export function recOf(line: string): AuditRecordContent {
  return (JSON.parse(line) as { rec: AuditRecordContent }).rec;
}

/** A journal line with `rec` re-signed under `secret` (an attacker's key by default). */
export function forgeLine(rec: AuditRecordContent, secret: Buffer = randomBytes(32)): string {
  const canonical = canonicalize(rec as unknown as CanonicalValue);
  const sig = createHmac('sha256', secret).update(canonical).digest('base64url');
  return '{"rec":' + canonical + ',"sig":' + JSON.stringify(sig) + '}';
}
