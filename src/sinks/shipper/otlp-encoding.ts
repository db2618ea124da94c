/**
 * OTLP logs encoding of journal lines, straight from the line: each line is parsed once and
 * encoded once as an OTLP `LogRecord` (protobuf or JSON), and a request is the resource and scope
 * (encoded once per shipper) around any subset of encoded records, so a batch can be split and
 * re-sent without encoding anything again.
 *
 * A signed record becomes the log record the in-process OTLP sink would have exported: the body is
 * the signed canonical record (the bytes the signature covers), the attributes are the record's own
 * plus `audit.sig`, `audit.stream`, `audit.seq` and `audit.kid`, and time, severity, event name and
 * trace context come from the record. A line of another shape (a record kind this version does not
 * know, an edited line) is shipped unchanged as the body, with `audit.stream` / `audit.seq` when
 * the line names them. Everything is derived from the line alone, so a record shipped twice
 * (at-least-once delivery after a restart) is the same bytes both times.
 */
import type { Attributes, AttributeValue } from '@opentelemetry/api';
import { ATTR } from '../../events/semconv.js';
import { ProtobufWriter } from './protobuf-writer.js';

/** OTLP/HTTP encodings (the values of `OTEL_EXPORTER_OTLP_PROTOCOL` for HTTP). */
export type OtlpProtocol = 'http/protobuf' | 'http/json';

/** One journal line, encoded, with what the shipper tracks about it. */
export interface ShipEntry {
  /** The OTLP `LogRecord`: protobuf message bytes, or JSON object text. */
  readonly encoded: Buffer | string;
  /** Stream and seq of the record, when the line names them. */
  readonly stream?: string;
  readonly seq?: number;
  /** Record time (ISO-8601), when the line has one. */
  readonly ts?: string;
  /** Event name, when the line is a signed record with one. */
  readonly event?: string;
  /** False when the line is not a signed record of the known shape (shipped unchanged as the body). */
  readonly signed: boolean;
}

/** Encodes journal lines and OTLP requests of them. */
export interface OtlpLogEncoding {
  readonly protocol: OtlpProtocol;
  /** `content-type` of the requests. */
  readonly contentType: string;
  /** The entry of one journal line (never throws). */
  entryOf(line: string): ShipEntry;
  /** An `ExportLogsServiceRequest` carrying `entries`. */
  request(entries: readonly ShipEntry[]): Buffer;
}

/** Start of every journal line of a signed record; the canonical record follows it. */
const LINE_HEAD = '{"rec":';
/** What separates the canonical record from the signature in a journal line. */
const SIG_MARK = ',"sig":';

/** A JSON value as parsed from a journal line. */
type Json = string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json };

/** What a line says, parsed once. */
interface ParsedLine {
  readonly nanos: bigint;
  readonly body: string;
  readonly attrs: Readonly<Record<string, Json>>;
  /** Attributes after `attrs` (the signing attributes). */
  readonly extra?: Readonly<Record<string, Json>>;
  readonly sevNum?: number;
  readonly sev?: string;
  readonly event?: string;
  readonly trace?: string;
  readonly span?: string;
  readonly stream?: string;
  readonly seq?: number;
  readonly ts?: string;
  readonly signed: boolean;
}

/** The encoding for `protocol`, with the resource attributes and scope name of every request. */
export function otlpLogEncoding(protocol: OtlpProtocol, resource: Attributes, scopeName: string): OtlpLogEncoding {
  return protocol === 'http/json' ? new JsonEncoding(resource, scopeName) : new ProtobufEncoding(resource, scopeName);
}

/** Parses a journal line (a signed record, or anything else: shipped unchanged). */
function parseLine(line: string): ParsedLine {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return { nanos: 0n, body: line, attrs: {}, signed: false };
  }
  const top = isObject(parsed) ? parsed : {};
  const rec = isObject(top.rec) ? top.rec : {};
  const stream = typeof rec.stream === 'string' ? rec.stream : undefined;
  const seq = Number.isSafeInteger(rec.seq) ? (rec.seq as number) : undefined;
  const ts = typeof rec.ts === 'string' ? rec.ts : undefined;
  const nanos = nanosOf(ts, rec.tsNanos);
  const cut = line.lastIndexOf(SIG_MARK);
  const signed =
    line.startsWith(LINE_HEAD) &&
    cut > LINE_HEAD.length &&
    Object.keys(top).length === 2 &&
    typeof top.sig === 'string' &&
    stream !== undefined &&
    seq !== undefined &&
    typeof rec.kid === 'string' &&
    nanos !== undefined &&
    isObject(rec.attrs);
  if (!signed) {
    const named: Record<string, Json> = {};
    if (stream !== undefined && seq !== undefined) {
      named[ATTR.stream] = stream;
      named[ATTR.seq] = seq;
    }
    return {
      nanos: nanos ?? 0n,
      body: line,
      attrs: named,
      signed: false,
      ...(stream !== undefined ? { stream } : {}),
      ...(seq !== undefined ? { seq } : {}),
      ...(ts !== undefined ? { ts } : {}),
    };
  }
  const attrs = rec.attrs as Record<string, Json>;
  if (ATTR.sig in attrs || ATTR.stream in attrs || ATTR.seq in attrs || ATTR.kid in attrs) {
    // the signing attributes set after signing win (as in the in-process export)
    return parsedSigned(line, top, rec, nanos, { ...attrs, ...signingAttrs(top, rec) }, undefined, cut);
  }
  return parsedSigned(line, top, rec, nanos, attrs, signingAttrs(top, rec), cut);
}

/** `audit.sig`, `audit.stream`, `audit.seq`, `audit.kid` of a signed record. */
function signingAttrs(top: Record<string, unknown>, rec: Record<string, unknown>): Record<string, Json> {
  return {
    [ATTR.sig]: top.sig as string,
    [ATTR.stream]: rec.stream as string,
    [ATTR.seq]: rec.seq as number,
    [ATTR.kid]: rec.kid as string,
  };
}

function parsedSigned(
  line: string,
  top: Record<string, unknown>,
  rec: Record<string, unknown>,
  nanos: bigint,
  attrs: Record<string, Json>,
  extra: Record<string, Json> | undefined,
  cut: number,
): ParsedLine {
  const traced = isHex(rec.trace, 32) && isHex(rec.span, 16);
  return {
    nanos,
    body: line.slice(LINE_HEAD.length, cut),
    attrs,
    ...(extra ? { extra } : {}),
    signed: true,
    stream: rec.stream as string,
    seq: rec.seq as number,
    ts: rec.ts as string,
    ...(Number.isSafeInteger(rec.sevNum) ? { sevNum: rec.sevNum as number } : {}),
    ...(typeof rec.sev === 'string' ? { sev: rec.sev } : {}),
    ...(typeof rec.event === 'string' ? { event: rec.event } : {}),
    ...(traced ? { trace: rec.trace as string, span: rec.span as string } : {}),
  };
}

function entryFields(p: ParsedLine): Omit<ShipEntry, 'encoded'> {
  return {
    signed: p.signed,
    ...(p.stream !== undefined ? { stream: p.stream } : {}),
    ...(p.seq !== undefined ? { seq: p.seq } : {}),
    ...(p.ts !== undefined ? { ts: p.ts } : {}),
    ...(p.event !== undefined ? { event: p.event } : {}),
  };
}

/** OTLP/HTTP protobuf (`application/x-protobuf`). Field numbers: opentelemetry/proto logs/v1, common/v1. */
class ProtobufEncoding implements OtlpLogEncoding {
  readonly protocol = 'http/protobuf';
  readonly contentType = 'application/x-protobuf';
  private readonly scratch = new ProtobufWriter(8192);
  /** `ResourceLogs.resource` and `ScopeLogs.scope` fields, encoded once. */
  private readonly resourceField: Buffer;
  private readonly scopeField: Buffer;

  constructor(resource: Attributes, scopeName: string) {
    const w = new ProtobufWriter(1024);
    w.begin(1); // ResourceLogs.resource
    for (const [key, value] of Object.entries(resource)) if (value !== undefined) keyValuePb(w, 1, key, value as Json);
    w.end();
    this.resourceField = w.finish();
    w.reset();
    w.begin(1); // ScopeLogs.scope
    w.stringField(1, scopeName);
    w.end();
    this.scopeField = w.finish();
  }

  entryOf(line: string): ShipEntry {
    const p = parseLine(line);
    const w = this.scratch;
    w.reset();
    if (p.nanos > 0n) {
      w.fixed64Field(1, p.nanos); // time_unix_nano
      w.fixed64Field(11, p.nanos); // observed_time_unix_nano
    }
    if (p.sevNum !== undefined) w.varintField(2, p.sevNum);
    if (p.sev !== undefined) w.stringField(3, p.sev);
    w.begin(5); // body: AnyValue
    w.stringField(1, p.body);
    w.end();
    for (const key in p.attrs) keyValuePb(w, 6, key, p.attrs[key] as Json);
    if (p.extra) for (const key in p.extra) keyValuePb(w, 6, key, p.extra[key] as Json);
    if (p.trace !== undefined && p.span !== undefined) {
      w.bytesField(9, Buffer.from(p.trace, 'hex'));
      w.bytesField(10, Buffer.from(p.span, 'hex'));
    }
    if (p.event !== undefined) w.stringField(12, p.event);
    return { encoded: w.finish(), ...entryFields(p) };
  }

  request(entries: readonly ShipEntry[]): Buffer {
    const size = entries.reduce((n, e) => n + e.encoded.length + 6, 64 + this.resourceField.length);
    const w = new ProtobufWriter(size);
    w.begin(1); // ExportLogsServiceRequest.resource_logs
    w.raw(this.resourceField);
    w.begin(2); // ResourceLogs.scope_logs
    w.raw(this.scopeField);
    for (const e of entries) w.bytesField(2, e.encoded as Buffer); // ScopeLogs.log_records
    w.end();
    w.end();
    return w.finish();
  }
}

/** `KeyValue` {1 key, 2 value} in field `field`. */
function keyValuePb(w: ProtobufWriter, field: number, key: string, value: Json | AttributeValue): void {
  w.begin(field);
  w.stringField(1, key);
  anyValuePb(w, 2, value as Json);
  w.end();
}

/** `AnyValue` {1 string, 2 bool, 3 int, 4 double, 5 array, 6 kvlist} in field `field` (null: empty). */
function anyValuePb(w: ProtobufWriter, field: number, value: Json): void {
  w.begin(field);
  if (typeof value === 'string') w.stringField(1, value);
  else if (typeof value === 'boolean') w.varintField(2, value ? 1 : 0);
  else if (typeof value === 'number') {
    if (Number.isSafeInteger(value)) w.varintField(3, value);
    else w.doubleField(4, value);
  } else if (Array.isArray(value)) {
    w.begin(5);
    for (const item of value as readonly Json[]) anyValuePb(w, 1, item);
    w.end();
  } else if (value !== null && typeof value === 'object') {
    w.begin(6);
    for (const key in value) keyValuePb(w, 1, key, (value as Record<string, Json>)[key] as Json);
    w.end();
  }
  w.end();
}

/** OTLP/HTTP JSON (`application/json`): the OTLP JSON mapping (hex ids, 64-bit integers as strings). */
class JsonEncoding implements OtlpLogEncoding {
  readonly protocol = 'http/json';
  readonly contentType = 'application/json';
  private readonly head: string;

  constructor(resource: Attributes, scopeName: string) {
    const attrs = Object.entries(resource)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => keyValueJson(k, v as Json));
    this.head =
      `{"resourceLogs":[{"resource":{"attributes":[${attrs.join(',')}]},` +
      `"scopeLogs":[{"scope":{"name":${JSON.stringify(scopeName)}},"logRecords":[`;
  }

  entryOf(line: string): ShipEntry {
    const p = parseLine(line);
    let out = '{';
    if (p.nanos > 0n) out += `"timeUnixNano":"${p.nanos}","observedTimeUnixNano":"${p.nanos}",`;
    if (p.sevNum !== undefined) out += `"severityNumber":${p.sevNum},`;
    if (p.sev !== undefined) out += `"severityText":${JSON.stringify(p.sev)},`;
    out += `"body":{"stringValue":${JSON.stringify(p.body)}},"attributes":[`;
    let first = true;
    for (const attrs of [p.attrs, p.extra ?? {}])
      for (const key in attrs) {
        out += (first ? '' : ',') + keyValueJson(key, attrs[key] as Json);
        first = false;
      }
    out += ']';
    if (p.trace !== undefined && p.span !== undefined) out += `,"traceId":"${p.trace}","spanId":"${p.span}"`;
    if (p.event !== undefined) out += `,"eventName":${JSON.stringify(p.event)}`;
    return { encoded: out + '}', ...entryFields(p) };
  }

  request(entries: readonly ShipEntry[]): Buffer {
    return Buffer.from(this.head + entries.map((e) => e.encoded as string).join(',') + ']}]}]}', 'utf8');
  }
}

function keyValueJson(key: string, value: Json): string {
  return `{"key":${JSON.stringify(key)},"value":${anyValueJson(value)}}`;
}

function anyValueJson(value: Json): string {
  if (typeof value === 'string') return `{"stringValue":${JSON.stringify(value)}}`;
  if (typeof value === 'boolean') return `{"boolValue":${value}}`;
  if (typeof value === 'number')
    return Number.isSafeInteger(value) ? `{"intValue":"${value}"}` : `{"doubleValue":${JSON.stringify(value)}}`;
  if (Array.isArray(value))
    return `{"arrayValue":{"values":[${(value as readonly Json[]).map(anyValueJson).join(',')}]}}`;
  if (value !== null && typeof value === 'object') {
    const kvs = Object.keys(value).map((k) => keyValueJson(k, (value as Record<string, Json>)[k] as Json));
    return `{"kvlistValue":{"values":[${kvs.join(',')}]}}`;
  }
  return '{}';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isHex(value: unknown, length: number): value is string {
  return typeof value === 'string' && value.length === length && /^[0-9a-f]+$/i.test(value);
}

/** Nanoseconds since the epoch of an ISO time with milliseconds plus the nanoseconds within the millisecond. */
function nanosOf(ts: string | undefined, tsNanos: unknown): bigint | undefined {
  if (ts === undefined) return undefined;
  const ms = Date.parse(ts);
  if (!Number.isFinite(ms) || ms < 0) return undefined;
  const extra = Number.isSafeInteger(tsNanos) && (tsNanos as number) >= 0 && (tsNanos as number) < 1_000_000;
  return BigInt(ms) * 1_000_000n + (extra ? BigInt(tsNanos as number) : 0n);
}
