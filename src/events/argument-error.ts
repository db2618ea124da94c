/**
 * The error public APIs throw (or reject with) when called with an argument they cannot use: it
 * names the method, the argument and what was wrong with it, instead of a `TypeError` raised deep
 * inside (`x.getTime is not a function`). It is a `TypeError`, so existing `instanceof` checks hold.
 */
import { types } from 'node:util';

/** A public API was given an argument it cannot use; the message says which and why. */
export class AuditArgumentError extends TypeError {
  override readonly name = 'AuditArgumentError';
  /** The method called (`queryEvents`, `track`). */
  readonly method: string;
  /** The argument or property at fault (`filter.startTime`, `fn`). */
  readonly argument: string;

  constructor(method: string, argument: string, problem: string, options?: ErrorOptions) {
    super(`${method}: ${argument} ${problem}`, options);
    this.method = method;
    this.argument = argument;
  }
}

/**
 * A short description of what a value is, for error messages. It never calls into the value (no
 * getters, no `toString`, no Proxy traps), so hostile values cannot throw from here, and it does
 * not echo long or object content back.
 */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (types.isProxy(value)) return 'a Proxy';
  switch (typeof value) {
    case 'undefined':
      return 'undefined';
    case 'string':
      return value.length > 40 ? `a string of ${value.length} characters` : `the string ${JSON.stringify(value)}`;
    case 'number':
      return `the number ${String(value)}`;
    case 'bigint':
      return 'a bigint';
    case 'boolean':
      return `${String(value)}`;
    case 'symbol':
      return 'a symbol';
    case 'function':
      return 'a function';
    default:
      if (types.isDate(value)) return Number.isNaN(Date.prototype.getTime.call(value)) ? 'an Invalid Date' : 'a Date';
      return Array.isArray(value) ? 'an array' : 'an object';
  }
}
