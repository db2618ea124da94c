/** Signing processor, keys and the attributes it adds. See docs/integrity.md. */
export { SigningProcessor, type SigningProcessorOptions } from './signing-processor.js';
export {
  AuditKeyError,
  Keyring,
  KEY_ENV,
  MIN_SECRET_BYTES,
  decodeSecret,
  derivedKeyId,
  keyringOf,
  loadKeyring,
  loadVerificationKeys,
  type KeyringOptions,
  type SecretInput,
  type SignatureCheck,
} from './keys.js';
export { SIGNING_FAILURE } from './attributes.js';
