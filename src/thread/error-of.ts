/**
 * Errors thrown in the audit worker, rebuilt on the app thread with their class where it is one
 * of the SDK's, so `createAuditLogger`, flush and shutdown throw what the in-process pipeline would.
 */
import { AuditKeyError } from '../processors/signing/keys.js';
import { JournalLockedError } from '../sinks/journal/errors.js';
import type { ErrorShape } from './protocol.js';

/** Rebuilds an error thrown in the worker with its class where it is one of the SDK's. */
export function errorOf(shape: ErrorShape): Error {
  let err: Error;
  if (shape.name === 'AuditKeyError') err = new AuditKeyError(shape.message);
  else if (shape.name === 'RangeError') err = new RangeError(shape.message);
  else if (shape.name === 'TypeError') err = new TypeError(shape.message);
  else if (shape.name === 'JournalLockedError') {
    err = Object.setPrototypeOf(new Error(shape.message), JournalLockedError.prototype) as Error;
    Object.defineProperty(err, 'name', { value: shape.name });
  } else err = new Error(shape.message);
  return Object.assign(err, shape.fields ?? {}, shape.code !== undefined ? { code: shape.code } : {});
}
