/**
 * PII anonymization: the `PiiAnonymizingProcessor` log record processor, its detectors and the
 * `pseudonymize` function that computes the token of a known value.
 */
export { PiiAnonymizingProcessor, type PiiAnonymizingOptions } from './pii-processor.js';
export { PiiDetectors } from './detectors.js';
export { DEFAULT_PII_FIELD_NAMES, PiiFieldMatcher, normalizeFieldName } from './field-names.js';
export { PiiReplacer, maskPii, normalizePii, pseudonymize } from './replacement.js';
export { ibanValid, luhnValid } from './checksums.js';
export {
  DETECTOR_KINDS,
  PII_KINDS,
  type DetectorSwitches,
  type PiiDetectorKind,
  type PiiKind,
  type PiiMatch,
  type PiiMode,
} from './types.js';
