/**
 * The parts of a value the PII processor scans besides plain strings: the text inside bytes
 * (`Uint8Array` values and the `base64:` strings the input sanitizer makes of them), renamed keys,
 * and where a long string may be cut without splitting a detected value.
 */
import { Buffer } from 'node:buffer';
import type { AnyValue } from '@opentelemetry/api-logs';
import type { ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import type { PiiDetectors } from './detectors.js';

/** Prefix of byte values written as text by the input sanitizer (`base64:<bytes>`). */
export const BYTES_PREFIX = 'base64:';

/** Characters around a cut that are scanned for a value straddling it (longer than any e-mail, card, phone, IBAN or IP). */
const CUT_WINDOW = 512;

/** How the text of some bytes was read. */
export type BytesEncoding = 'utf8' | 'utf16le';

/**
 * The text of `bytes`: UTF-16LE when every other byte is mostly zero (a `Uint16Array` of char
 * codes, Windows text), else UTF-8 (ASCII PII reads the same either way).
 */
export function textOfBytes(bytes: Uint8Array): { readonly text: string; readonly encoding: BytesEncoding } {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length >= 4 && buf.length % 2 === 0) {
    let zeros = 0;
    for (let i = 1; i < buf.length; i += 2) if (buf[i] === 0) zeros++;
    if (zeros * 4 >= buf.length) return { text: buf.toString('utf16le'), encoding: 'utf16le' };
  }
  return { text: buf.toString('utf8'), encoding: 'utf8' };
}

/** The bytes of `text` in `encoding`. */
export function bytesOfText(text: string, encoding: BytesEncoding): Uint8Array {
  return new Uint8Array(Buffer.from(text, encoding));
}

/** Index just past the base64 characters of a `base64:` string (a truncation marker may follow). */
export function base64End(text: string): number {
  let i = BYTES_PREFIX.length;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const alphabet =
      (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47 || c === 61;
    if (!alphabet) break;
  }
  return i;
}

/** The bytes of the base64 characters of a `base64:` string, up to `end` ({@link base64End}). */
export function bytesOfBase64Text(text: string, end: number): Uint8Array {
  return new Uint8Array(Buffer.from(text.slice(BYTES_PREFIX.length, end), 'base64'));
}

/** A `base64:` string of `bytes`. */
export function base64TextOf(bytes: Uint8Array): string {
  return BYTES_PREFIX + Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/**
 * Where `text` may be cut at or before `at` without leaving the start of a detected value in
 * the kept part: `at` itself, or the start of the value that straddles it. Only a window of
 * {@link CUT_WINDOW} characters on each side is scanned, so the cost does not grow with `text`.
 */
export function safeCutIndex(detectors: PiiDetectors, text: string, at: number): number {
  if (at <= 0 || at >= text.length) return at;
  const from = Math.max(0, at - CUT_WINDOW);
  const found = detectors.find(text.slice(from, Math.min(text.length, at + CUT_WINDOW)));
  if (found === undefined) return at;
  let cut = at;
  for (const m of found) {
    const start = from + m.start;
    if (start < at && from + m.end > at && start < cut) cut = start;
  }
  return cut;
}

/** `key`, or `key #2`, `key #3`, … when `taken(key)` (two keys anonymized to the same text keep both values). */
export function freeKey(key: string, taken: (candidate: string) => boolean): string {
  if (!taken(key)) return key;
  for (let i = 2; ; i++) {
    const candidate = `${key} #${i}`;
    if (!taken(candidate)) return candidate;
  }
}

/**
 * The record's attribute map when it can be written directly: a plain, extensible object held in
 * an own property `attributes` (as `LogRecordImpl` of @opentelemetry/sdk-logs holds it), else
 * `undefined` (then `setAttribute` is used).
 */
function ownAttributes(log: ReadWriteLogRecord): Record<string, AnyValue> | undefined {
  if (!Object.prototype.hasOwnProperty.call(log, 'attributes')) return undefined;
  const attributes = log.attributes as Record<string, AnyValue>;
  return Object.isExtensible(attributes) && Object.getPrototypeOf(attributes) === Object.prototype
    ? attributes
    : undefined;
}

/**
 * Moves each attribute of `log` (its map `attributes`, read before it was anonymized) under its
 * anonymized key (`[key, name]` pairs; {@link freeKey} when the name is taken). A renamed attribute keeps its value (the SDK's own copy, already
 * anonymized in place): moved within the record's attribute map, it is neither validated and
 * copied again nor counted as one more attribute (which could drop it, or a later one, at the
 * count limit).
 */
export function moveRenamedAttributes(
  log: ReadWriteLogRecord,
  attributes: ReadWriteLogRecord['attributes'],
  renamed: readonly (readonly [string, string])[],
): void {
  const own = ownAttributes(log);
  for (const [key, name] of renamed) {
    const value = attributes[key];
    delete attributes[key];
    const free = freeKey(name, (k) => k in attributes);
    if (own !== undefined) own[free] = value;
    else log.setAttribute(free, value);
  }
}
