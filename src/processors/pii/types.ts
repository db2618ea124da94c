/**
 * Vocabulary of the PII processor: what kinds of PII it knows and how it replaces them.
 */

/** A kind of PII found by a content detector (`ssn`: US Social Security number). */
export type PiiDetectorKind = 'email' | 'phone' | 'card' | 'iban' | 'ipv4' | 'ipv6' | 'ssn';

/**
 * A kind of PII: one of the detector kinds, or `field` for a value that is PII because of the
 * name of the field holding it (e.g. `first_name`) while its content matches no detector.
 */
export type PiiKind = PiiDetectorKind | 'field';

/** Every detector kind, in priority order (earlier kinds win where matches overlap). */
export const DETECTOR_KINDS: readonly PiiDetectorKind[] = ['email', 'iban', 'ipv6', 'ipv4', 'card', 'ssn', 'phone'];

/** Every PII kind. */
export const PII_KINDS: readonly PiiKind[] = [...DETECTOR_KINDS, 'field'];

/**
 * How found PII is replaced:
 * - `redact`: `[REDACTED:email]`;
 * - `mask`: partial, e.g. `j***@example.com`, `****-****-****-4242`, `+44 ** **** 0958`;
 * - `pseudonymize`: keyed HMAC-SHA256 token, e.g. `pii:email:3f9a0c…`, stable for the same
 *   (normalized) value and key.
 */
export type PiiMode = 'redact' | 'mask' | 'pseudonymize';

/** One PII occurrence inside a string: `text.slice(start, end)` is the PII. */
export interface PiiMatch {
  readonly start: number;
  readonly end: number;
  readonly kind: PiiDetectorKind;
}

/** Which detectors run (all by default). */
export type DetectorSwitches = Readonly<Partial<Record<PiiDetectorKind, boolean>>>;
