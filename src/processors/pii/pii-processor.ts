/**
 * `PiiAnonymizingProcessor`: an OpenTelemetry log record processor that replaces PII in the
 * attributes and the body of every record, at any depth of nested maps and arrays, before later
 * processors see it. Place it BEFORE the signing processor, so that the signature covers the
 * anonymized content that is stored:
 * `new LoggerProvider({ processors: [new PiiAnonymizingProcessor(...), signing, sink] })`.
 *
 * Besides values it scans attribute and map keys (a key holding PII is renamed), the event name,
 * and the text inside bytes (`Uint8Array` values and the sanitizer's `base64:` strings). What it
 * never touches: every `audit.*` attribute, keys listed in `skipKeys`, and the records the SDK writes
 * about the trail itself (seals `audit.seal`, retention records `audit.retention`). It never throws: when anonymizing a value fails, the whole value is redacted
 * (`[REDACTED:error]`) and the failure is counted as `pii.failure`.
 */
import type { AnyValue, AnyValueMap } from '@opentelemetry/api-logs';
import type { LogRecordProcessor, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import { defaultDiagnostics, type AuditDiagnostics } from '../../events/diagnostics.js';
import { TRAIL_EVENT_NAMES } from '../../record/record-kinds.js';
import {
  base64End,
  base64TextOf,
  BYTES_PREFIX,
  bytesOfBase64Text,
  bytesOfText,
  freeKey,
  moveRenamedAttributes,
  safeCutIndex,
  textOfBytes,
} from './egress-parts.js';
import { PiiDetectors } from './detectors.js';
import { DEFAULT_PII_FIELD_NAMES, PiiFieldMatcher } from './field-names.js';
import { PiiReplacer } from './replacement.js';
import type { DetectorSwitches, PiiMode } from './types.js';
import { errorKind } from '../../events/error-text.js';
import { MEMO_DEPTHS, MEMO_KEYS, MEMO_VALUE_LENGTH, newMemo, remember, slotOf, type KeyMemo } from './key-memo.js';

/** Most distinct keys and event names whose anonymized form is remembered. */
const MAX_REMEMBERED_NAMES = 4096;

const SCAN = 0;
const PII_FIELD = 1;
const SKIP = 2;

/** Options of {@link PiiAnonymizingProcessor}. */
export interface PiiAnonymizingOptions {
  /** Whether records are anonymized from the start (default true); see {@link PiiAnonymizingProcessor.anonymizing}. */
  readonly enabled?: boolean;
  /** How PII is replaced (default `redact`). */
  readonly mode?: PiiMode;
  /** HMAC key of `pseudonymize` mode (required there). Keep it secret: it makes tokens linkable to values. */
  readonly key?: string | Uint8Array;
  /** Field names whose values are PII whatever their content, added to {@link DEFAULT_PII_FIELD_NAMES}. */
  readonly fieldNames?: readonly string[];
  /** When true, `fieldNames` replaces the default list instead of extending it. */
  readonly replaceDefaultFieldNames?: boolean;
  /** Content detectors to turn off, e.g. `{ ipv4: false }` (all on by default). */
  readonly detectors?: DetectorSwitches;
  /** Further top-level attribute keys never touched (exact keys). */
  readonly skipKeys?: readonly string[];
  /** Deepest nesting scanned (default 32); anything deeper is redacted whole. */
  readonly maxDepth?: number;
  /** Where failures are counted (default: the process-wide diagnostics). */
  readonly diagnostics?: AuditDiagnostics;
}

/** Replaces PII in log records (see module doc). */
export class PiiAnonymizingProcessor implements LogRecordProcessor {
  /**
   * Whether records are anonymized; when false they pass unchanged (compliance mode switch,
   * `enableComplianceMode({ anonymizePii })`). Not named `enabled`: that name belongs to the
   * optional `LogRecordProcessor.enabled()` filter of the SDK.
   */
  anonymizing: boolean;
  /** The replacement mode in use. */
  readonly mode: PiiMode;
  private readonly detectors: PiiDetectors;
  private readonly fields: PiiFieldMatcher;
  private readonly replacer: PiiReplacer;
  private readonly skip: ReadonlySet<string>;
  private readonly maxDepth: number;
  private readonly diagnostics: AuditDiagnostics;
  private readonly keyClasses = new Map<string, number>();
  /** Anonymized form of keys and event names seen (bounded); the name itself when it holds no PII. */
  private readonly names = new Map<string, string>();
  private readonly topKeys: KeyMemo = newMemo();
  /** The event name met last, and its anonymized form (`undefined`: a trail record, left alone). */
  private lastEvent: string | undefined;
  private lastEventName: string | undefined;
  private readonly mapKeys: KeyMemo[] = Array.from({ length: MEMO_DEPTHS }, newMemo);
  /** `redact` mode: the replacement does not depend on the value (so it is not trimmed first). */
  private readonly redacting: boolean;

  /** Throws an `Error` for an unknown mode or `pseudonymize` without a key (at construction, never later). */
  constructor(options: PiiAnonymizingOptions = {}) {
    this.mode = options.mode ?? 'redact';
    this.redacting = this.mode === 'redact';
    this.replacer = new PiiReplacer(this.mode, options.key);
    this.anonymizing = options.enabled ?? true;
    this.detectors = new PiiDetectors(options.detectors);
    const extra = options.fieldNames ?? [];
    this.fields = new PiiFieldMatcher(
      options.replaceDefaultFieldNames ? extra : [...DEFAULT_PII_FIELD_NAMES, ...extra],
    );
    this.skip = new Set(options.skipKeys ?? []);
    this.maxDepth = options.maxDepth ?? 32;
    this.diagnostics = options.diagnostics ?? defaultDiagnostics;
  }

  /** Turns anonymization on or off. */
  setAnonymizing(on: boolean): void {
    this.anonymizing = on;
  }

  /**
   * Where `text` may be cut at or before `at` so that no value the detectors find is split (the
   * kept part would hold its start: `4111 1111 1111 …`, `carol.smith@…`): `at`, or the start of the
   * value straddling it. Always `at` while not anonymizing. Used by the input sanitizer's cuts.
   */
  safeCut(text: string, at: number): number {
    if (!this.anonymizing) return at;
    try {
      return safeCutIndex(this.detectors, text, at);
    } catch (err) {
      this.fail('cut', err);
      return 0;
    }
  }

  /**
   * Anonymizes `log` in place: maps and arrays inside attributes are changed where they are, a
   * changed top-level value is set with `setAttribute`, an attribute under a renamed key is moved
   * within the attribute map, the body is set with `setBody`. Never throws.
   */
  onEmit(log: ReadWriteLogRecord): void {
    if (!this.anonymizing) return;
    const eventName = log.eventName;
    if (eventName !== undefined && eventName !== '') {
      // records of one kind follow each other: the event name met last is answered at once
      let name: string | undefined;
      if (eventName === this.lastEvent) {
        name = this.lastEventName;
      } else {
        name = TRAIL_EVENT_NAMES.has(eventName) ? undefined : this.cleanName(eventName);
        this.lastEvent = eventName;
        this.lastEventName = name;
      }
      if (name === undefined) return; // the trail's own records (seals, losses, retention)
      if (name !== eventName) log.setEventName(name);
    }
    const attributes = log.attributes;
    const memo = this.topKeys;
    let position = 0;
    let renamed: [string, string][] | undefined;
    for (const key in attributes) {
      let keyClass: number;
      let name: string;
      if (memo.keys[position] === key) {
        keyClass = memo.answers[position] as number;
        name = memo.names[position] as string;
      } else {
        keyClass = this.classOf(key);
        name = keyClass === SKIP ? key : this.cleanName(key);
        remember(memo, position, key, keyClass, name);
      }
      position++;
      if (keyClass === SKIP) continue;
      const before = attributes[key];
      let after: AnyValue;
      try {
        // maps and arrays inside attributes are the SDK's own copies (made when the record was
        // created), so they are changed in place; only a changed top-level value is set again
        after =
          typeof before === 'string'
            ? this.cleanString(memo, position - 1, before, keyClass === PII_FIELD)
            : this.clean(before, keyClass === PII_FIELD, 0, true);
      } catch (err) {
        this.fail('attribute', err);
        after = '[REDACTED:error]';
      }
      if (after !== before) log.setAttribute(key, after);
      if (name !== key) (renamed ??= []).push([key, name]);
    }
    if (renamed !== undefined) moveRenamedAttributes(log, attributes, renamed);
    const body = log.body;
    if (body === undefined || body === null) return;
    let cleaned: AnyValue;
    try {
      cleaned = this.clean(body, false, 0, false);
    } catch (err) {
      this.fail('body', err);
      cleaned = '[REDACTED:error]';
    }
    if (cleaned !== body) log.setBody(cleaned);
  }

  /** Anonymizes one value (copy-on-write: returns `value` itself when nothing changed). */
  anonymizeValue(value: AnyValue, isPiiField = false): AnyValue {
    try {
      return this.clean(value, isPiiField, 0, false);
    } catch (err) {
      this.fail('value', err);
      return '[REDACTED:error]';
    }
  }

  /** Anonymizes the PII inside one string (whole-string replacement when `isPiiField`). */
  anonymizeText(text: string, isPiiField = false): string {
    return this.anonymizeValue(text, isPiiField) as string;
  }

  /** Anonymizes `value`; containers are changed in place when `inPlace`, else copied on write. */
  private clean(value: AnyValue, pii: boolean, depth: number, inPlace: boolean): AnyValue {
    switch (typeof value) {
      case 'string':
        return pii ? this.replaceWhole(value) : this.scan(value);
      case 'number':
        return pii ? this.replaceWhole(String(value)) : value;
      case 'object':
        break;
      default:
        return value;
    }
    if (value === null) return value;
    if (depth >= this.maxDepth) {
      this.diagnostics.count('pii.too-deep', `nesting deeper than ${this.maxDepth} redacted`);
      return '[REDACTED:too-deep]';
    }
    if (value instanceof Uint8Array)
      return pii ? this.replaceWhole(Buffer.from(value).toString('base64'), true) : this.scanBytes(value);
    if (Array.isArray(value)) {
      let copy: AnyValue[] | undefined;
      for (let i = 0; i < value.length; i++) {
        const item = value[i] as AnyValue;
        const cleaned = this.clean(item, pii, depth + 1, inPlace);
        if (cleaned !== item) {
          if (inPlace) {
            (value as AnyValue[])[i] = cleaned;
          } else {
            copy ??= value.slice();
            copy[i] = cleaned;
          }
        }
      }
      return copy ?? value;
    }
    const map = value as AnyValueMap;
    const memo = pii || depth >= MEMO_DEPTHS ? undefined : this.mapKeys[depth];
    let copy: AnyValueMap | undefined;
    let position = 0;
    let renamed: string[] | undefined;
    for (const key in map) {
      const member = map[key];
      let field = pii;
      let name: string;
      if (memo === undefined) {
        field ||= this.fields.matches(key);
        name = this.cleanName(key);
      } else if (memo.keys[position] === key) {
        field = memo.answers[position] === 1;
        name = memo.names[position] as string;
      } else {
        field = this.fields.matches(key);
        name = this.cleanName(key);
        remember(memo, position, key, field ? 1 : 0, name);
      }
      position++;
      // (strings are the common leaves: handled here without another call of `clean`)
      const cleaned =
        typeof member === 'string'
          ? memo === undefined
            ? field
              ? this.replaceWhole(member)
              : this.scan(member)
            : this.cleanString(memo, position - 1, member, field)
          : this.clean(member, field, depth + 1, inPlace);
      if (cleaned !== member) {
        if (inPlace) {
          map[key] = cleaned;
        } else {
          copy ??= { ...map };
          copy[key] = cleaned;
        }
      }
      if (name !== key) (renamed ??= []).push(key);
    }
    if (renamed === undefined) return copy ?? value;
    const target = inPlace ? map : (copy ?? { ...map });
    for (const key of renamed) {
      const member = target[key] as AnyValue;
      delete target[key];
      target[freeKey(this.cleanName(key), (k) => Object.prototype.hasOwnProperty.call(target, k))] = member;
    }
    return target;
  }

  /**
   * The string under the key remembered at `position` of `memo`, anonymized (whole when `pii`);
   * a value equal to one remembered there is not scanned again.
   */
  private cleanString(memo: KeyMemo, position: number, text: string, pii: boolean): string {
    if (position >= MEMO_KEYS || text.length > MEMO_VALUE_LENGTH)
      return pii ? this.replaceWhole(text) : this.scan(text);
    const slot = slotOf(position, text);
    if (memo.values[slot] === text) return memo.cleaned[slot] as string;
    const cleaned = pii ? this.replaceWhole(text) : this.scan(text);
    memo.values[slot] = text;
    memo.cleaned[slot] = cleaned;
    return cleaned;
  }

  /** A key or event name with its PII replaced (remembered, bounded). */
  private cleanName(name: string): string {
    const known = this.names.get(name);
    if (known !== undefined) return known;
    const cleaned = this.scan(name);
    if (this.names.size >= MAX_REMEMBERED_NAMES) this.names.clear();
    this.names.set(name, cleaned);
    return cleaned;
  }

  /** Bytes whose text holds PII become the bytes of the anonymized text; others are kept. */
  private scanBytes(bytes: Uint8Array): Uint8Array {
    const { text, encoding } = textOfBytes(bytes);
    const cleaned = this.scanText(text);
    return cleaned === text ? bytes : bytesOfText(cleaned, encoding);
  }

  /** `text` with its PII replaced; the sanitizer's `base64:` byte strings are scanned as the text of their bytes. */
  private scan(text: string): string {
    if (text.charCodeAt(0) === 98 && text.startsWith(BYTES_PREFIX)) {
      const end = base64End(text);
      const bytes = bytesOfBase64Text(text, end);
      const cleaned = this.scanBytes(bytes);
      if (cleaned !== bytes) return base64TextOf(cleaned) + this.scanText(text.slice(end));
    }
    return this.scanText(text);
  }

  private scanText(text: string): string {
    const found = this.detectors.find(text);
    if (found === undefined) return text;
    let out = '';
    let at = 0;
    for (const m of found) {
      // (in redact mode the replacement does not depend on the value: no slice for it)
      out += text.slice(at, m.start) + this.replacer.replace(this.redacting ? '' : text.slice(m.start, m.end), m.kind);
      at = m.end;
    }
    return out + text.slice(at);
  }

  private replaceWhole(text: string, opaque = false): string {
    if (text.length === 0) return text;
    const kind = opaque ? 'field' : (this.detectors.classify(text) ?? 'field');
    return this.replacer.replace(kind === 'field' || this.redacting ? text : text.trim(), kind);
  }

  /** Skip, PII field or scan, per top-level key (remembered for the keys seen, bounded). */
  private classOf(key: string): number {
    const known = this.keyClasses.get(key);
    if (known !== undefined) return known;
    const result = this.skip.has(key) || key.startsWith('audit.') ? SKIP : this.fields.matches(key) ? PII_FIELD : SCAN;
    if (this.keyClasses.size < 4096) this.keyClasses.set(key, result);
    return result;
  }

  private fail(where: string, err: unknown): void {
    this.diagnostics.count('pii.failure', `${where}: ${errorKind(err)}`);
  }

  /** Nothing buffered. */
  async forceFlush(): Promise<void> {}

  /** Nothing to release. */
  async shutdown(): Promise<void> {}
}
