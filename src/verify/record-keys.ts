/**
 * What the verifier checks signatures with: an HMAC {@link Keyring} (shared secrets), the public
 * sealing keys ({@link SealPublicKeys}), or both ({@link combineKeys}).
 */
import type { AuditRecordContent } from '../record/audit-record.js';
import type { SignatureCheck } from '../processors/signing/keys.js';

/** A set of verification keys by key id. */
export interface RecordKeys {
  /** Whether records with this key id can be checked. */
  has(kid: string): boolean;
  /** Checks `sig` over `canonical` (the content of `rec`) under key `kid`. */
  verify(kid: string, canonical: string, sig: string, rec?: AuditRecordContent): SignatureCheck;
}

/** Key sets checked together: each record by the first set that knows its key id. */
export function combineKeys(...sets: readonly RecordKeys[]): RecordKeys {
  return {
    has: (kid) => sets.some((set) => set.has(kid)),
    verify: (kid, canonical, sig, rec) => {
      const set = sets.find((s) => s.has(kid));
      return set ? set.verify(kid, canonical, sig, rec) : 'unknown-key';
    },
  };
}
