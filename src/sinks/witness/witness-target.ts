/** Where an AuditLogger sends its seals besides the journal: a file, or a URL. */
import type { LogRecordProcessor } from '@opentelemetry/sdk-logs';
import type { AuditDiagnostics } from '../../events/diagnostics.js';
import type { WebhookOptions } from '../webhooks/options.js';
import { FileWitness } from './file-witness.js';
import { WebhookWitness } from './webhook-witness.js';

/** A seal witness: `{ file }` (a path on another volume) or `{ url }` (a webhook receiver). */
export type WitnessTarget = { readonly file: string } | { readonly url: string; readonly webhook?: WebhookOptions };

/** The processor that sends seals to `target`. @throws TypeError for an invalid URL. */
export function createWitness(target: WitnessTarget, diagnostics: AuditDiagnostics): LogRecordProcessor {
  if ('file' in target) return new FileWitness(target.file, diagnostics);
  return new WebhookWitness(target.url, { ...(target.webhook ?? {}), diagnostics });
}
