/**
 * Reading OTLP/HTTP responses: the partial success of an `ExportLogsServiceResponse` and the
 * message of an error `Status`, in the protobuf or the JSON encoding. Bodies come from the peer:
 * anything malformed reads as "nothing said", and messages are cut short and stripped of control
 * characters before they reach diagnostics.
 */

/** Longest peer message kept. */
const MAX_MESSAGE = 200;

/** What a successful response says about records the peer did not accept. */
export interface PartialSuccess {
  readonly rejected: number;
  readonly message?: string;
}

/** The partial success in a 2xx response body; `undefined` when it reports nothing rejected. */
export function partialSuccessOf(body: Buffer, contentType: string | undefined): PartialSuccess | undefined {
  if (body.length === 0) return undefined;
  if (isJson(contentType)) {
    const parsed = parseJson(body);
    const partial = field(parsed, 'partialSuccess') ?? field(parsed, 'partial_success');
    const rejected = Number(field(partial, 'rejectedLogRecords') ?? field(partial, 'rejected_log_records') ?? 0);
    const message = field(partial, 'errorMessage') ?? field(partial, 'error_message');
    return partialOf(rejected, typeof message === 'string' ? message : undefined);
  }
  // ExportLogsServiceResponse { 1: ExportLogsPartialSuccess { 1: int64 rejected_log_records, 2: string error_message } }
  const partial = protobufFields(body).get(1);
  if (!(partial instanceof Buffer)) return undefined;
  const fields = protobufFields(partial);
  const rejected = fields.get(1);
  const message = fields.get(2);
  return partialOf(
    typeof rejected === 'number' ? rejected : 0,
    message instanceof Buffer ? message.toString('utf8') : undefined,
  );
}

/** The message of an error response (`google.rpc.Status` {2: message}, JSON `message`, or plain text). */
export function errorMessageOf(body: Buffer, contentType: string | undefined): string | undefined {
  if (body.length === 0) return undefined;
  if (isJson(contentType)) {
    const message = field(parseJson(body), 'message');
    return typeof message === 'string' ? clean(message) : undefined;
  }
  if (contentType?.includes('protobuf')) {
    const message = protobufFields(body).get(2);
    return message instanceof Buffer ? clean(message.toString('utf8')) : undefined;
  }
  return clean(body.toString('utf8'));
}

function partialOf(rejected: number, message: string | undefined): PartialSuccess | undefined {
  if (!(Number.isFinite(rejected) && rejected > 0) && !message) return undefined;
  return {
    rejected: Number.isFinite(rejected) && rejected > 0 ? Math.floor(rejected) : 0,
    ...(message ? { message: clean(message) } : {}),
  };
}

/** Cut to {@link MAX_MESSAGE} characters, control characters as spaces. */
export function clean(text: string): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
  return flat.length > MAX_MESSAGE ? flat.slice(0, MAX_MESSAGE) + '…' : flat;
}

function isJson(contentType: string | undefined): boolean {
  return contentType?.includes('json') === true;
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/**
 * The top-level fields of a protobuf message: varints as numbers, length-delimited as buffers
 * (the last occurrence of each field wins). Stops at the first malformed byte.
 */
function protobufFields(buf: Buffer): Map<number, number | Buffer> {
  const out = new Map<number, number | Buffer>();
  let pos = 0;
  const varint = (): number | undefined => {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10 && pos < buf.length; i++) {
      const byte = buf[pos++] as number;
      value += (byte & 0x7f) * scale;
      scale *= 128;
      if (byte < 0x80) return value;
    }
    return undefined;
  };
  while (pos < buf.length) {
    const tag = varint();
    if (tag === undefined) break;
    const fieldNo = Math.floor(tag / 8);
    const wire = tag % 8;
    if (wire === 0) {
      const v = varint();
      if (v === undefined) break;
      out.set(fieldNo, v);
    } else if (wire === 2) {
      const len = varint();
      if (len === undefined || pos + len > buf.length) break;
      out.set(fieldNo, buf.subarray(pos, pos + len));
      pos += len;
    } else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else break;
  }
  return out;
}
