/**
 * How a signed record travels inside an OTel log record after the signing processor: the body is
 * the canonical content string and the attribute `audit.sig` holds the signature. Sinks use
 * {@link signedPartsOf} to get them back without re-serializing anything (and `journalLineOf`
 * in journal-line.ts to store them).
 */
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { ATTR } from '../events/semconv.js';

/** The canonical content and signature carried by a signed OTel log record. */
export interface SignedParts {
  readonly canonical: string;
  readonly sig: string;
}

/** Returns the signed parts of a log record, or `undefined` when it did not pass a signer. */
export function signedPartsOf(log: ReadableLogRecord): SignedParts | undefined {
  const sig = log.attributes[ATTR.sig];
  const body = log.body;
  if (typeof sig !== 'string' || typeof body !== 'string') return undefined;
  return { canonical: body, sig };
}
