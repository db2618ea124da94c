/**
 * Turns an OTel log record into the content a signer commits to ({@link AuditRecordContent}).
 * Values are made JSON-safe defensively (the logger sanitizes them first, but any OTel code may
 * emit into the pipeline) by the one JSON-safe walker (`json-safe.ts`), with the same conversions
 * and markers as the input sanitizer: bytes become `base64:` strings, cycles `"[Circular]"`, and so
 * on. It never throws.
 */
import { isSpanContextValid } from '@opentelemetry/api';
import type { LogAttributes } from '@opentelemetry/api-logs';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { RECORD_FORMAT_VERSION, type AuditRecordContent } from './audit-record.js';
import { canonicalize, isStringifyCanonical, jsonNumber, jsonText, type CanonicalValue } from './canonical.js';
import { isoTimeOf } from './iso-time.js';
import { toJsonSafe, type JsonSafeLimits } from './json-safe.js';

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

/**
 * Limits of the record walk: nesting up to 64, at most 20,000 objects/arrays per value (attributes
 * and body each; shared references are copied each time they are met), strings and containers
 * uncut (helper arguments are already cut by the input sanitizer).
 */
const RECORD_LIMITS: JsonSafeLimits = Object.freeze({
  maxDepth: 64,
  maxStringLength: Infinity,
  maxItems: Infinity,
  maxBytes: Infinity,
  maxNodes: 20_000,
});

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
  const sc = log.spanContext;
  const traced = sc !== undefined && isSpanContextValid(sc);
  const sev = log.severityText;
  const sevNum = log.severityNumber;
  const event = log.eventName;
  // Keys in canonical order: attrs body event kid prev seq sev sevNum span stream trace ts tsNanos v.
  const attrs = attributesOf(log.attributes, notes);
  const content: { -readonly [K in keyof AuditRecordContent]: AuditRecordContent[K] } = {
    attrs,
    body: log.body === undefined ? null : jsonSafeOf(log.body, notes),
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
  // Labels come from a small cache; short texts and numbers skip the native JSON.stringify call.
  let out = '{"attrs":' + canonicalJsonOf(log.attributes, true, notes);
  out +=
    ',"body":' +
    (body === undefined ? 'null' : typeof body === 'string' ? jsonText(body) : canonicalJsonOf(body, false, notes));
  out += ',"event":' + (typeof event === 'string' ? labelJson(event) : 'null');
  out += ',"kid":' + labelJson(slot.kid) + ',"prev":' + jsonText(slot.prev) + ',"seq":' + jsonNumber(slot.seq);
  out += ',"sev":' + (typeof sev === 'string' ? labelJson(sev) : 'null');
  out += ',"sevNum":' + (typeof sevNum === 'number' ? jsonNumber(sevNum) : 'null');
  if (traced) out += ',"span":' + jsonText(sc.spanId);
  out += ',"stream":' + labelJson(slot.stream);
  if (traced) out += ',"trace":' + jsonText(sc.traceId);
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
  const walked = walk(attributes ? (value ?? {}) : value);
  notes.fixed += walked.changes;
  return walked.digitKeys ? canonicalize(walked.value) : JSON.stringify(walked.value);
}

/** The epoch as ISO text: the time of a record whose time cannot be represented. */
const EPOCH_ISO = new Date(0).toISOString();

/** ISO-8601 form of a time in ms; a time no `Date` can hold is counted and written as the epoch. */
function isoOf(ms: number, notes: ConversionNotes): string {
  const iso = isoTimeOf(ms);
  if (iso !== undefined) return iso;
  notes.fixed++;
  return EPOCH_ISO;
}

/** JSON-safe copy of attributes, keys sorted. */
export function attributesOf(attributes: LogAttributes, notes: ConversionNotes): { [key: string]: CanonicalValue } {
  const walked = walk(attributes ?? {});
  notes.fixed += walked.changes;
  if (walked.digitKeys) notes.digitKeys = true;
  return walked.value as { [key: string]: CanonicalValue };
}

/** A JSON-safe copy of a body value, keys sorted. */
function jsonSafeOf(value: unknown, notes: ConversionNotes): CanonicalValue {
  const walked = walk(value);
  notes.fixed += walked.changes;
  if (walked.digitKeys) notes.digitKeys = true;
  return walked.value;
}

/** The record walk of one value (sorted keys, record limits). */
function walk(value: unknown): ReturnType<typeof toJsonSafe> {
  return toJsonSafe(value, { limits: RECORD_LIMITS, sortKeys: true });
}
