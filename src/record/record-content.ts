/**
 * Turns an OTel log record into the content a signer commits to ({@link AuditRecordContent}).
 * Values are made JSON-safe defensively (the logger sanitizes them first, but any OTel code may
 * emit into the pipeline): byte arrays become base64 strings, non-finite numbers become strings,
 * functions/symbols/bigints become strings, cycles are cut. It never throws.
 */
import { isSpanContextValid } from '@opentelemetry/api';
import type { AnyValue, LogAttributes } from '@opentelemetry/api-logs';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { RECORD_FORMAT_VERSION, type AuditRecordContent } from './audit-record.js';
import { canonicalize, isStringifyCanonical, type CanonicalValue } from './canonical.js';

/** Where the record sits in its stream. */
export interface ChainSlot {
  readonly stream: string;
  readonly seq: number;
  readonly prev: string;
  readonly kid: string;
}

/** The chain slot of a record that did not pass a signer: empty stream, key and previous signature, seq 0. */
export const UNSIGNED_SLOT: ChainSlot = Object.freeze({ stream: '', seq: 0, prev: '', kid: '' });

/** What happened while making values JSON-safe. */
export interface ConversionNotes {
  /** Values converted (non-finite numbers, bigints, functions, cycles, dates, …); counted for diagnostics. */
  fixed: number;
  /**
   * An object had a key starting with a digit. JavaScript enumerates integer-like keys first, so
   * `JSON.stringify` of such a sorted copy would not be canonical: the caller must use `canonicalize`.
   */
  digitKeys: boolean;
}

/** Maximum nesting depth kept; deeper values are replaced by a marker string. */
const MAX_DEPTH = 64;
/** Most objects/arrays copied per value, attributes and body each (shared references are copied each time they are met). */
const MAX_NODES = 20_000;
/** Objects/arrays still allowed in the value being copied (single-threaded, reset for the attributes and for the body). */
let budget = MAX_NODES;

/**
 * The record content of `log` at chain slot `slot`. Every object in it, the content itself
 * included, has its keys inserted in canonical (sorted) order, so that unless `notes.digitKeys`
 * is set, `JSON.stringify(content) === canonicalize(content)`. Never throws.
 */
export function recordContentOf(log: ReadableLogRecord, slot: ChainSlot, notes: ConversionNotes): AuditRecordContent {
  const hr = log.hrTime;
  const secs = Array.isArray(hr) && Number.isFinite(hr[0]) ? hr[0] : 0;
  const nanosRaw = Array.isArray(hr) && Number.isFinite(hr[1]) ? hr[1] : 0;
  const ms = secs * 1000 + Math.floor(nanosRaw / 1e6);
  const ts = isoOf(ms, notes);
  budget = MAX_NODES;
  const sc = log.spanContext;
  const traced = sc !== undefined && isSpanContextValid(sc);
  const sev = log.severityText;
  const sevNum = log.severityNumber;
  const event = log.eventName;
  // Keys in canonical order: attrs body event kid prev seq sev sevNum span stream trace ts tsNanos v.
  const attrs = attributesOf(log.attributes, notes);
  budget = MAX_NODES;
  const content: { -readonly [K in keyof AuditRecordContent]: AuditRecordContent[K] } = {
    attrs,
    body: log.body === undefined ? null : (jsonSafe(log.body, notes, 0, undefined) ?? null),
    event: typeof event === 'string' ? event : null,
    kid: slot.kid,
    prev: slot.prev,
    seq: slot.seq,
    sev: typeof sev === 'string' ? sev : null,
    sevNum: typeof sevNum === 'number' && Number.isFinite(sevNum) ? sevNum : null,
  } as AuditRecordContent;
  if (traced) content.span = sc.spanId;
  content.stream = slot.stream;
  if (traced) content.trace = sc.traceId;
  content.ts = ts;
  content.tsNanos = Math.floor(nanosRaw % 1e6);
  content.v = RECORD_FORMAT_VERSION;
  return content;
}

/**
 * The canonical serialization of `log` at chain slot `slot`, built directly as a string: the same
 * bytes as `canonicalContent(recordContentOf(log, slot, notes))`, without the intermediate content
 * object. Attributes and body that are already in canonical shape ({@link isStringifyCanonical})
 * are serialized natively as they are; others get the JSON-safe sorted copy first. Never throws.
 */
export function canonicalRecordOf(log: ReadableLogRecord, slot: ChainSlot, notes: ConversionNotes): string {
  const hr = log.hrTime;
  const secs = Array.isArray(hr) && Number.isFinite(hr[0]) ? hr[0] : 0;
  const nanosRaw = Array.isArray(hr) && Number.isFinite(hr[1]) ? hr[1] : 0;
  const ts = isoOf(secs * 1000 + Math.floor(nanosRaw / 1e6), notes);
  const sc = log.spanContext;
  const traced = sc !== undefined && isSpanContextValid(sc);
  const { severityText: sev, severityNumber: sevNum, eventName: event, body } = log;
  // Keys in canonical order: attrs body event kid prev seq sev sevNum span stream trace ts tsNanos v.
  // Integers print the same through String() as through JSON.stringify; labels come from a small cache.
  let out = '{"attrs":' + canonicalJsonOf(log.attributes, true, notes);
  out += ',"body":' + (body === undefined ? 'null' : typeof body === 'string' ? JSON.stringify(body) : canonicalJsonOf(body, false, notes));
  out += ',"event":' + (typeof event === 'string' ? labelJson(event) : 'null');
  out += ',"kid":' + labelJson(slot.kid) + ',"prev":' + JSON.stringify(slot.prev) + ',"seq":' + JSON.stringify(slot.seq);
  out += ',"sev":' + (typeof sev === 'string' ? labelJson(sev) : 'null');
  out += ',"sevNum":' + (typeof sevNum === 'number' && Number.isFinite(sevNum) ? JSON.stringify(sevNum) : 'null');
  if (traced) out += ',"span":' + JSON.stringify(sc.spanId);
  out += ',"stream":' + labelJson(slot.stream);
  if (traced) out += ',"trace":' + JSON.stringify(sc.traceId);
  // an ISO timestamp (digits, `-`, `:`, `T`, `.`, `Z`) needs no escaping
  return out + ',"ts":"' + ts + '","tsNanos":' + String(Math.floor(nanosRaw % 1e6)) + VERSION_TAIL;
}

/** The constant end of every record. */
const VERSION_TAIL = ',"v":' + JSON.stringify(RECORD_FORMAT_VERSION) + '}';
/** JSON strings of recent labels (event names, severities, key ids, stream ids). */
const labels = new Map<string, string>();
const MAX_LABELS = 512;

/** `JSON.stringify(label)`, remembered for the few distinct labels a pipeline uses (bounded). */
function labelJson(label: string): string {
  let json = labels.get(label);
  if (json === undefined) {
    json = JSON.stringify(label);
    if (labels.size >= MAX_LABELS) labels.clear();
    labels.set(label, json);
  }
  return json;
}

/** Canonical JSON of the attribute map (`attributes`) or of a body value (`null` for `undefined`). */
function canonicalJsonOf(value: unknown, attributes: boolean, notes: ConversionNotes): string {
  if (isStringifyCanonical(value)) return JSON.stringify(value) ?? 'null';
  budget = MAX_NODES;
  const digitKeysBefore = notes.digitKeys;
  notes.digitKeys = false;
  const safe = attributes ? jsonSafeObject(value as object, notes, 0, undefined) : (jsonSafe(value, notes, 0, undefined) ?? null);
  const json = notes.digitKeys ? canonicalize(safe) : JSON.stringify(safe);
  notes.digitKeys = digitKeysBefore;
  return json;
}

let lastMs = Number.NaN;
let lastIso = '';

/** ISO-8601 form of a time in ms (the last one is cached: records come in bursts within one ms). */
function isoOf(ms: number, notes: ConversionNotes): string {
  if (ms === lastMs) return lastIso;
  const date = new Date(ms);
  if (!Number.isFinite(date.getTime())) {
    notes.fixed++;
    return new Date(0).toISOString();
  }
  lastMs = ms;
  lastIso = date.toISOString();
  return lastIso;
}

/** JSON-safe copy of attributes, keys sorted. */
export function attributesOf(attributes: LogAttributes, notes: ConversionNotes): { [key: string]: CanonicalValue } {
  return jsonSafeObject(attributes, notes, 0, undefined);
}

/** A JSON-safe version of `value`; `undefined` for `undefined` (member omitted). */
function jsonSafe(value: unknown, notes: ConversionNotes, depth: number, seen: Set<object> | undefined): CanonicalValue | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (Number.isFinite(value)) return value;
      notes.fixed++;
      return String(value);
    case 'undefined':
      return undefined;
    case 'bigint':
      notes.fixed++;
      return value.toString();
    case 'object':
      break;
    default:
      notes.fixed++;
      return `[${typeof value}]`;
  }
  if (value === null) return null;
  if (depth >= MAX_DEPTH) {
    notes.fixed++;
    return '[too deep]';
  }
  if (--budget < 0) {
    notes.fixed++;
    return '[too large]';
  }
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  if (value instanceof Date) {
    notes.fixed++;
    return Number.isFinite(value.getTime()) ? value.toISOString() : 'Invalid Date';
  }
  const guard = seen ?? new Set<object>();
  if (guard.has(value)) {
    notes.fixed++;
    return '[circular]';
  }
  guard.add(value);
  try {
    if (Array.isArray(value)) {
      const arr: CanonicalValue[] = new Array<CanonicalValue>(value.length);
      for (let i = 0; i < value.length; i++) arr[i] = jsonSafe(value[i] as AnyValue, notes, depth + 1, guard) ?? null;
      return arr;
    }
    return jsonSafeObject(value as Record<string, unknown>, notes, depth, guard);
  } finally {
    guard.delete(value);
  }
}

/** Copy of an object with JSON-safe members, keys inserted in sorted (canonical) order. */
function jsonSafeObject(value: object, notes: ConversionNotes, depth: number, guard: Set<object> | undefined): { [key: string]: CanonicalValue } {
  const keys = Object.keys(value);
  if (keys.length > 1) keys.sort();
  const obj: { [key: string]: CanonicalValue } = {};
  for (const key of keys) {
    const c = key.charCodeAt(0);
    if (c >= 48 && c <= 57) notes.digitKeys = true;
    let member: unknown;
    try {
      member = (value as Record<string, unknown>)[key];
    } catch {
      notes.fixed++;
      member = '[unreadable]';
    }
    const v = jsonSafe(member, notes, depth + 1, guard);
    if (v === undefined) continue;
    if (key === '__proto__') Object.defineProperty(obj, key, { value: v, enumerable: true, writable: true, configurable: true });
    else obj[key] = v;
  }
  return obj;
}
