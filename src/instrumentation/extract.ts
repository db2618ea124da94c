/** Evaluates {@link Extractor}s against a call: paths, functions and constants. */
import type { CallContext, Extractor } from './spec.js';

const ROOTS = new Set(['args', 'result', 'this', 'error']);

/** Thrown by {@link parsePath} for a path that does not start at a known root. */
export class ExtractorPathError extends TypeError {
  override readonly name = 'ExtractorPathError';
}

/** Splits `'args.0.id'` into `['args', '0', 'id']`; throws {@link ExtractorPathError} on an unknown root. */
export function parsePath(path: string): readonly string[] {
  const parts = path.split('.').filter((p) => p !== '');
  const root = parts[0];
  if (root === undefined || !ROOTS.has(root)) {
    throw new ExtractorPathError(`extractor path "${path}" must start with args, result, this or error`);
  }
  return parts;
}

function rootOf(call: CallContext, root: string): unknown {
  switch (root) {
    case 'args':
      return call.args;
    case 'result':
      return call.result;
    case 'this':
      return call.this;
    default:
      return call.error;
  }
}

function walk(value: unknown, parts: readonly string[]): unknown {
  let current = value;
  for (let i = 1; i < parts.length; i++) {
    if (current === null || current === undefined) return undefined;
    if (typeof current !== 'object' && typeof current !== 'function') return undefined;
    const key = parts[i] as string;
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** A compiled extractor: a function of the call (paths are parsed once, here). Throws on a bad path. */
export function compileExtractor(extractor: Extractor): (call: CallContext) => unknown {
  if (typeof extractor === 'function') return extractor;
  if (typeof extractor === 'string') {
    const parts = parsePath(extractor);
    return (call) => walk(rootOf(call, parts[0] as string), parts);
  }
  const value = extractor.const;
  return () => value;
}

/** Compiles one extractor or a first-defined-wins list. */
export function compileFirstDefined(extractors: Extractor | readonly Extractor[]): (call: CallContext) => unknown {
  const list = (Array.isArray(extractors) ? extractors : [extractors]) as readonly Extractor[];
  const compiled = list.map(compileExtractor);
  return (call) => {
    for (const get of compiled) {
      const value = get(call);
      if (value !== undefined && value !== null) return value;
    }
    return undefined;
  };
}
