/** The HMAC keyring of the soak's writers and verifier (a fixed test key; never a production key). */
import { keyringOf } from '../../src/processors/signing/keys.js';

/** Secret of key `soak` (hex), for `AUDIT_VERIFY_KEYS=soak:hex:<this>`. */
export const SOAK_KEY_HEX = Buffer.from('journal-soak-test-key-0123456789abcdef-01').toString('hex');

export const SOAK_KEYS = keyringOf({ soak: Buffer.from(SOAK_KEY_HEX, 'hex') }, 'soak');
