/**
 * Loki's query response, as documented for `GET /loki/api/v1/query_range` (Loki 3.x HTTP API):
 *
 *   {"status":"success","data":{"resultType":"streams","result":[
 *     {"stream":{<labels>},"values":[["<unix ns>","<log line>"], …]}]}}
 *
 * With the request header `X-Loki-Response-Encoding-Flags: categorize-labels` each value carries
 * a third element `{"structuredMetadata":{…},"parsed":{…}}` and `stream` holds only the stream
 * labels; without it, structured metadata is merged into `stream` (one result per label set).
 * {@link parseStreamsResponse} accepts both.
 */

/** One log entry read from Loki. */
export interface LokiEntry {
  /** Entry time in nanoseconds since the epoch (as Loki returns it, a decimal string). */
  readonly tsNs: bigint;
  /** The log line (for audit records: the signed canonical content). */
  readonly line: string;
  /** Index (stream) labels, e.g. `service_name`. */
  readonly labels: Readonly<Record<string, string>>;
  /** Structured metadata, e.g. `audit_sig`, `audit_stream`, `audit_seq`. */
  readonly metadata: Readonly<Record<string, string>>;
}

/** The header asking Loki to return structured metadata apart from stream labels. */
export const CATEGORIZE_LABELS_HEADER = { 'X-Loki-Response-Encoding-Flags': 'categorize-labels' } as const;

/** Loki answered with something that is not a documented streams response. */
export class LokiResponseError extends Error {
  override readonly name = 'LokiResponseError';
}

/** Parses a `resultType: "streams"` response body into entries (in response order). */
export function parseStreamsResponse(body: unknown): LokiEntry[] {
  const data = objectField(body, 'data');
  if (objectField(body, 'status', 'string') !== 'success')
    throw new LokiResponseError(`Loki query status is not "success"`);
  const resultType = objectField(data, 'resultType', 'string');
  if (resultType !== 'streams')
    throw new LokiResponseError(`expected a streams result from Loki, got "${String(resultType)}"`);
  const result = objectField(data, 'result');
  if (!Array.isArray(result)) throw new LokiResponseError('Loki response data.result is not an array');
  const categorized = hasCategorizeFlag(data);
  const entries: LokiEntry[] = [];
  for (const stream of result) {
    const streamLabels = stringRecord(objectField(stream, 'stream'), 'stream');
    const values = objectField(stream, 'values');
    if (!Array.isArray(values)) throw new LokiResponseError('Loki stream values is not an array');
    for (const value of values) entries.push(entryOf(value, streamLabels, categorized));
  }
  return entries;
}

function entryOf(value: unknown, streamLabels: Record<string, string>, categorized: boolean): LokiEntry {
  if (!Array.isArray(value) || value.length < 2 || typeof value[0] !== 'string' || typeof value[1] !== 'string') {
    throw new LokiResponseError('Loki stream value is not ["<ns>", "<line>", …]');
  }
  let tsNs: bigint;
  try {
    tsNs = BigInt(value[0]);
  } catch {
    throw new LokiResponseError(`Loki timestamp "${value[0]}" is not an integer`);
  }
  const extra: unknown = value[2];
  if (extra !== undefined && extra !== null) {
    const metadata = stringRecord(optionalField(extra, 'structuredMetadata') ?? {}, 'structuredMetadata');
    return { tsNs, line: value[1], labels: streamLabels, metadata };
  }
  // Not categorized: stream labels and structured metadata come merged; keep both views.
  return { tsNs, line: value[1], labels: streamLabels, metadata: categorized ? {} : streamLabels };
}

function hasCategorizeFlag(data: unknown): boolean {
  const flags = optionalField(data, 'encodingFlags');
  return Array.isArray(flags) && flags.includes('categorize-labels');
}

function objectField(value: unknown, key: string, type?: 'string'): unknown {
  if (typeof value !== 'object' || value === null)
    throw new LokiResponseError(`Loki response: expected an object holding "${key}"`);
  const field = (value as Record<string, unknown>)[key];
  if (type === 'string' && typeof field !== 'string')
    throw new LokiResponseError(`Loki response: "${key}" is not a string`);
  return field;
}

function optionalField(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

function stringRecord(value: unknown, what: string): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new LokiResponseError(`Loki response: ${what} is not an object`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v === 'string') out[k] = v;
  }
  return out;
}
