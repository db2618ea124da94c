/**
 * A log record handed to the processors of an SDK logger without the SDK's own record
 * (`LogRecordImpl`): the same fields, with the resource, scope object and attribute count limit of
 * the logger's provider, behaving as the SDK's record does for everything processors and exporters
 * do with it (read the fields, set attributes, the body and the event name, move attributes within
 * the map; changes after the processors ran are ignored).
 *
 * What it leaves out is the SDK record's check and deep copy of every attribute value when the
 * record is created. It is only made for attributes the SDK would store unchanged and that belong
 * to this record alone: the AuditLogger helpers' attributes (a fresh, sanitized map of plain maps,
 * arrays and scalars built for the one record) and, in thread mode, the attributes the audit worker
 * parses from a ring snapshot. Values set later by the processors are checked and copied as the SDK
 * does, and count against the same limit. Emitted through `leanChainOf` (lean-chain.ts).
 */
import { diag, type HrTime, type SpanContext } from '@opentelemetry/api';
import type { AnyValue, AnyValueMap, LogAttributes, LogBody, SeverityNumber } from '@opentelemetry/api-logs';
import type { InstrumentationScope } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { ReadWriteLogRecord } from '@opentelemetry/sdk-logs';

const hasOwn = Object.prototype.hasOwnProperty;

/** Whether `value` is a value the SDK accepts as an attribute (plain maps, arrays, bytes, scalars, no cycles). */
function isAttributeValue(value: unknown, open: Set<object>): boolean {
  if (value === null || value === undefined) return true;
  const type = typeof value;
  if (type === 'string' || type === 'number' || type === 'boolean') return true;
  if (type !== 'object') return false;
  const object = value as object;
  if (object instanceof Uint8Array) return true;
  if (open.has(object)) return false;
  open.add(object);
  if (Array.isArray(object)) return object.every((item) => isAttributeValue(item, open));
  const ctor = (object as { constructor?: unknown }).constructor;
  if (ctor !== Object && ctor !== undefined) return false;
  for (const key in object) {
    if (hasOwn.call(object, key) && !isAttributeValue((object as Record<string, unknown>)[key], open)) return false;
  }
  return true;
}

/** A copy of an accepted value: new maps and arrays all the way down, bytes and scalars kept. */
function copyOf(value: AnyValue): AnyValue {
  if (typeof value !== 'object' || value === null || value instanceof Uint8Array) return value;
  if (Array.isArray(value)) return value.map(copyOf);
  const copy: AnyValueMap = {};
  for (const [key, member] of Object.entries(value)) copy[key] = copyOf(member);
  return copy;
}

/** The fields of a {@link LeanLogRecord} besides its attributes, resource and scope. */
export interface LeanFields {
  readonly hrTime: HrTime;
  readonly hrTimeObserved: HrTime;
  readonly spanContext: SpanContext | undefined;
  readonly eventName: string | undefined;
  readonly severityNumber: SeverityNumber | undefined;
  readonly severityText: string | undefined;
  readonly body: LogBody | undefined;
}

/** A record handed to the processors without the SDK's record (see the module doc). */
export class LeanLogRecord implements ReadWriteLogRecord {
  hrTime: HrTime;
  hrTimeObserved: HrTime;
  spanContext: SpanContext | undefined;
  severityText: string | undefined;
  severityNumber: SeverityNumber | undefined;
  body: LogBody | undefined;
  eventName: string | undefined;
  droppedAttributesCount = 0;
  /** Attributes added so far (a key removed from the map directly still counts, as in the SDK). */
  private count: number;
  private done = false;

  /**
   * @param attributes the record's attributes, kept as they are (owned by the record, stored unchanged by the SDK)
   * @param count their number (at most `countLimit`)
   */
  constructor(
    fields: LeanFields,
    readonly attributes: LogAttributes,
    count: number,
    readonly resource: Resource,
    readonly instrumentationScope: InstrumentationScope,
    private readonly countLimit: number,
  ) {
    this.hrTime = fields.hrTime;
    this.hrTimeObserved = fields.hrTimeObserved;
    this.spanContext = fields.spanContext;
    this.eventName = fields.eventName;
    this.severityNumber = fields.severityNumber;
    this.severityText = fields.severityText;
    this.body = fields.body;
    this.count = count;
  }

  /** Sets an attribute as the SDK does: an empty key or an invalid value is ignored, a new key past the limit is dropped and counted. */
  setAttribute(key: string, value?: AnyValue): this {
    if (this.closed()) return this;
    if (key.length === 0) {
      diag.warn(`Invalid attribute key: ${key}`);
      return this;
    }
    const type = typeof value;
    const scalar = type === 'string' || type === 'number' || type === 'boolean' || value == null;
    if (!scalar && !isAttributeValue(value, new Set())) {
      diag.warn(`Invalid attribute value set for key: ${key}`);
      return this;
    }
    const isNew = !hasOwn.call(this.attributes, key);
    if (isNew && this.count >= this.countLimit) {
      if (++this.droppedAttributesCount === 1) diag.warn('Dropping extra attributes.');
      return this;
    }
    (this.attributes as Record<string, AnyValue>)[key] = scalar ? value : copyOf(value);
    if (isNew) this.count++;
    return this;
  }

  setAttributes(attributes: LogAttributes): this {
    for (const [key, value] of Object.entries(attributes)) this.setAttribute(key, value);
    return this;
  }

  setBody(body: LogBody): this {
    return this.setField('body', body);
  }

  setEventName(eventName: string): this {
    return this.setField('eventName', eventName);
  }

  setSeverityNumber(severityNumber: SeverityNumber): this {
    return this.setField('severityNumber', severityNumber);
  }

  setSeverityText(severityText: string): this {
    return this.setField('severityText', severityText);
  }

  private setField<K extends 'body' | 'eventName' | 'severityNumber' | 'severityText'>(field: K, value: this[K]): this {
    if (!this.closed()) this[field] = value;
    return this;
  }

  /** Ends the time processors may change the record (after they all ran): later changes are ignored. */
  close(): void {
    this.done = true;
  }

  private closed(): boolean {
    if (this.done) diag.warn('Can not execute the operation on emitted log record');
    return this.done;
  }
}
