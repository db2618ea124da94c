/**
 * The catalogue of failure kinds: every kind `AuditDiagnostics` counts, with what it means. The
 * `orchestrator.audit.failures` metric (attribute `audit.failure.kind`), `getDiagnostics()` and
 * `audit-cli stats` show these names. `AuditDiagnostics.count` takes only a {@link FailureKind},
 * so a misspelt kind does not compile; docs/sdk.md lists this table (checked by a test).
 */

/**
 * What a helper argument can have changed (counted as `sanitize.<issue>`; the record names them in
 * its `audit.sanitized` attribute).
 */
export const SANITIZE_ISSUES = {
  circular: 'a circular reference, written as "[Circular]"',
  bigint: 'a BigInt, written as its decimal string',
  function: 'a function, written as "[Function name]"',
  symbol: 'a symbol, written as "Symbol(description)"',
  bytes: 'a Buffer, typed array or ArrayBuffer, written as "base64:<bytes>"',
  date: 'a Date, written as its ISO string',
  map: 'a Map, written as an object',
  set: 'a Set, written as an array',
  'map-key': 'a Map key that is not a string, stringified',
  'reserved-key': 'a `__proto__`, `constructor` or `prototype` key, kept as data',
  'error-object': 'an Error, written as `{ name, message, stack, cause? }`',
  'class-instance': 'another class instance, RegExp, URL or boxed primitive, written as its data or string form',
  'non-finite': 'NaN or ±Infinity, written as a string',
  unreadable: 'a getter or proxy that threw, written as "[Unreadable]"',
  'too-deep': 'nesting deeper than the limit, cut with "[Too deep]"',
  'too-large': 'more objects and arrays than the limit, cut with "[Too large]"',
  truncated: 'a string, container or the whole value over its size limit, cut and marked',
  'id-truncated': 'an id over its length limit, cut and marked',
  'id-not-string': 'an id given as a number, bigint, boolean or symbol, written as a string',
  'id-missing': 'an id left out (undefined or null), written as "unknown"',
  'id-invalid': 'an id that is an object or function, replaced',
  'id-empty': 'an empty id',
  'not-string': 'a text argument that is not a string, converted',
  'text-missing': 'a required text argument left out',
  'not-number': 'a number argument that is not a finite number',
  'not-boolean': 'a boolean argument that is not a boolean',
  'negative-duration': 'a negative duration (kept in the record, not as a sample)',
  'not-object': 'attributes of a directly emitted record that are not an object, kept under `value`',
} as const;

/** An issue of a helper argument (see {@link SANITIZE_ISSUES}). */
export type SanitizeIssue = keyof typeof SANITIZE_ISSUES;

/** Every failure kind other than `sanitize.<issue>`, with what it means. */
export const FAILURE_KINDS = {
  'logger.build': "building a helper's record failed; a minimal record was emitted instead",
  'logger.emit': 'the OTel logger threw while emitting a record',
  'logger.performance-sample': 'a duration sample was not kept in process (too many operation names)',
  'logger.after-shutdown': 'a helper was called after shutdown(); its record could not be written',
  'config.resource-attributes': 'OTEL_RESOURCE_ATTRIBUTES was malformed and ignored whole',
  'sink.emit': 'a sink threw while taking a record (the other sinks still got it)',
  'sink.flush': 'a sink failed or timed out flushing',
  'sink.shutdown': 'a sink failed or timed out shutting down',
  'pii.too-deep': 'a value nested deeper than the PII processor scans was redacted whole',
  'pii.failure': 'the PII processor failed on a record; the affected value was redacted',
  'signing.failed': 'a record could not be signed (or its audit attributes were dropped) and went on unsigned',
  'signing.value-converted': 'a record carried values JSON cannot hold; they were converted before signing',
  'signing.seal': 'a seal or loss record could not be written, or did not reach the signer',
  'signing.seal-key':
    "the sealing key file could not be replaced with a new epoch's key; it still holds an earlier one",
  'journal.write': 'writing to the journal failed (disk full, I/O error, permissions); retried',
  'journal.read': 'reading the journal at open failed (looking for the previous stream head)',
  'journal.overflow': 'a record was not kept: the write buffer was full while writes failed',
  'journal.lost': 'a record still unwritten when the journal shut down (one per record)',
  'journal.loss': 'a loss that could not be declared in a signed loss record',
  'journal.closed': 'a record emitted after the journal shut down',
  'journal.rotate': 'rotating the active file failed',
  'journal.compress': 'compressing a rotated segment failed',
  'journal.retention': 'deleting expired segments failed, or they were kept unrecorded',
  'journal.torn-line': 'the last line was torn by a crash; new records start on a new line',
  'journal.unsigned': 'a record that did not pass a signer was written without signature',
  'journal.encode': 'a record could not be encoded as a journal line',
  'journal.lock': 'the writer lock could not be taken at open; retried before the first write',
  'journal.stale-lock': "a dead writer's lock was taken over",
  'otlp.export': 'records not delivered to the collector (refused, failed, after shutdown, or past the shutdown limit)',
  'otlp.queue_full': 'a record not exported: the in-memory OTLP buffer was full',
  'otlp.metrics-export': 'a metric export, or a flush or shutdown of the metric readers, failed or was refused',
  'shipper.export': 'a request of the journal shipper to the collector failed; the batch is retried',
  'shipper.unreadable': 'an unterminated last line of a journal file (torn by a crash) is not sent',
  'shipper.cursor': "the shipper's cursor could not be read or written, or its file is gone",
  'shipper.read': 'the shipper could not read the journal; retried from the last acknowledged record',
  'shipper.rejected': 'the collector rejected records permanently or dropped some of an accepted batch',
  'shipper.thread': "the shipper's worker thread failed or could not be reached",
  'shipper.retention-held': 'an expired segment was kept because the shipper has not sent it yet',
  'shipper.retention-loss': 'an expired segment was deleted unsent (lag over the limit); loss records were written',
  'webhook.delivery': 'a webhook batch was given up (non-retryable status, or retries exhausted)',
  'webhook.dropped': 'webhook records dropped: queue full, or not delivered by the shutdown deadline',
  'webhook.enqueue': 'a record could not be queued for the webhooks',
  'witness.write': 'a seal could not be sent to a witness',
  'alert.delivery': 'an alert channel or handler failed or timed out',
  'alert.inspect': 'a record could not be inspected for alerts',
  'thread.overflow':
    "thread mode: the ring was full; records waited in the app thread's overflow queue (not lost); once per episode",
  'thread.lost':
    'thread mode: a record could not be handed to the audit worker (worker gone, or no ring space within the wait bound)',
  'thread.worker':
    'thread mode: the audit worker failed, exited, hung, did not finish a flush or shutdown within `flushTimeoutMs`, or did not write everything at process exit in time',
  'instrumentation.extract': 'an extractor of an instrumented call threw; its field was left out',
  'instrumentation.audit': 'auditing an instrumented call failed (the call itself went on)',
  'instrumentation.patch': 'a configured export of the zero-code instrumentation could not be patched',
} as const;

/** A failure kind: a name of {@link FAILURE_KINDS} or `sanitize.<issue>`. */
export type FailureKind = keyof typeof FAILURE_KINDS | `sanitize.${SanitizeIssue}`;

/** Every failure kind with its meaning, in catalogue order (`sanitize.<issue>` last). */
export function failureCatalogue(): { readonly kind: FailureKind; readonly meaning: string }[] {
  return [
    ...Object.entries(FAILURE_KINDS).map(([kind, meaning]) => ({ kind: kind as FailureKind, meaning })),
    ...Object.entries(SANITIZE_ISSUES).map(([issue, meaning]) => ({
      kind: `sanitize.${issue as SanitizeIssue}` as const,
      meaning: `helper argument: ${meaning}`,
    })),
  ];
}
