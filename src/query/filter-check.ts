/**
 * Validation of query arguments (`queryEvents` filters, `getLeadHistory` lead ids, `getStatistics`
 * options) before any source reads them. Each property is read exactly once into a plain object,
 * so a getter or Proxy cannot answer differently later, and a throwing one becomes a clear
 * {@link AuditArgumentError} naming the property, as does any value of the wrong type.
 */
import { types } from 'node:util';
import { AuditArgumentError, describeValue } from '../events/argument-error.js';
import type { EventFilter } from './types.js';

const STRING_KEYS = ['eventType', 'leadId', 'workflow'] as const;
const TIME_KEYS = ['startTime', 'endTime'] as const;
const FILTER_KEYS: readonly string[] = [...STRING_KEYS, ...TIME_KEYS, 'limit'];

/**
 * The {@link EventFilter} in `input`, copied and checked: an object (or `undefined`) with only the
 * known keys; strings for `eventType`/`leadId`/`workflow`; valid `Date`s for `startTime`/`endTime`
 * (start not after end); a non-negative integer (or `Infinity`) for `limit`.
 * @throws AuditArgumentError saying which property is wrong and why.
 */
export function checkEventFilter(input: unknown, method = 'queryEvents'): EventFilter {
  if (input === undefined) return {};
  const raw = readObject(input, method, 'filter', FILTER_KEYS);
  const out: { -readonly [K in keyof EventFilter]: EventFilter[K] } = {};
  for (const key of STRING_KEYS) {
    const value = raw[key];
    if (value === undefined) continue;
    if (typeof value !== 'string')
      throw new AuditArgumentError(method, `filter.${key}`, `must be a string, got ${describeValue(value)}`);
    out[key] = value;
  }
  for (const key of TIME_KEYS) {
    const value = raw[key];
    if (value === undefined) continue;
    out[key] = checkDate(value, method, `filter.${key}`);
  }
  if (out.startTime && out.endTime && out.startTime.getTime() > out.endTime.getTime()) {
    throw new AuditArgumentError(
      method,
      'filter.startTime',
      `(${out.startTime.toISOString()}) is after filter.endTime (${out.endTime.toISOString()})`,
    );
  }
  if (raw.limit !== undefined) {
    const limit = raw.limit;
    if (
      typeof limit !== 'number' ||
      Number.isNaN(limit) ||
      limit < 0 ||
      (Number.isFinite(limit) && !Number.isInteger(limit))
    ) {
      throw new AuditArgumentError(
        method,
        'filter.limit',
        `must be a non-negative integer, got ${describeValue(limit)}`,
      );
    }
    out.limit = limit;
  }
  return out;
}

/** A lead id for `getLeadHistory`: a non-empty string (or a finite number, as the helpers accept). */
export function checkLeadId(input: unknown, method = 'getLeadHistory'): string {
  if (typeof input === 'number' && Number.isFinite(input)) return String(input);
  if (typeof input !== 'string' || input === '')
    throw new AuditArgumentError(method, 'leadId', `must be a non-empty string, got ${describeValue(input)}`);
  return input;
}

/** The options of `getStatistics`: `undefined`, or an object whose optional `workflow` is a string. */
export function checkStatisticsOptions(input: unknown, method = 'getStatistics'): { readonly workflow?: string } {
  if (input === undefined) return {};
  const raw = readObject(input, method, 'options', ['workflow']);
  if (raw.workflow === undefined) return {};
  if (typeof raw.workflow !== 'string')
    throw new AuditArgumentError(method, 'options.workflow', `must be a string, got ${describeValue(raw.workflow)}`);
  return { workflow: raw.workflow };
}

/** Reads the own enumerable properties of a plain object once; unknown keys and throwing reads are errors. */
function readObject(input: unknown, method: string, name: string, known: readonly string[]): Record<string, unknown> {
  const notAnObject = (): AuditArgumentError =>
    new AuditArgumentError(method, name, `must be an object (or left out), got ${describeValue(input)}`);
  if (typeof input !== 'object' || input === null || types.isDate(input)) throw notAnObject();
  const copy: Record<string, unknown> = {};
  let keys: string[];
  let isArray: boolean;
  try {
    // Array.isArray throws for a revoked Proxy: inside the try like every other look at the input
    isArray = Array.isArray(input);
    keys = Object.keys(input);
  } catch (err) {
    throw new AuditArgumentError(method, name, `cannot be read: listing its properties threw (${errorText(err)})`, {
      cause: err,
    });
  }
  if (isArray) throw notAnObject();
  for (const key of keys) {
    if (!known.includes(key)) {
      throw new AuditArgumentError(
        method,
        name,
        `has an unknown property ${JSON.stringify(key.slice(0, 40))} (known: ${known.join(', ')})`,
      );
    }
    try {
      copy[key] = (input as Record<string, unknown>)[key];
    } catch (err) {
      throw new AuditArgumentError(method, `${name}.${key}`, `cannot be read: reading it threw (${errorText(err)})`, {
        cause: err,
      });
    }
  }
  return copy;
}

function checkDate(value: unknown, method: string, argument: string): Date {
  // util.types.isDate checks the internal slot: a Proxy or an object faking Date's prototype is not a Date
  if (!types.isDate(value))
    throw new AuditArgumentError(method, argument, `must be a Date, got ${describeValue(value)}`);
  const ms = Date.prototype.getTime.call(value);
  if (Number.isNaN(ms)) throw new AuditArgumentError(method, argument, 'must be a valid Date, got an Invalid Date');
  return new Date(ms);
}

/** What a thrown value says, without letting a hostile one throw again. */
function errorText(err: unknown): string {
  try {
    if (err instanceof Error) return `${String(err.name)}: ${String(err.message).slice(0, 120)}`;
  } catch {
    // a Proxy or getter that throws again: describe it without reading it
  }
  return describeValue(err);
}
