/**
 * `instrument(target, spec)`: audits the functions named in `spec` on an object, a class (its
 * prototype methods) or a module namespace. Unmapped functions are untouched.
 *
 * - class: prototype methods are replaced in place; the class itself is returned.
 * - plain object / instance: the mapped methods (own or inherited) become own properties of the
 *   object, which is returned.
 * - module namespace (`import * as ns`), or any frozen/sealed object: namespaces cannot be changed,
 *   so a NEW plain object with every enumerable property of the target and the mapped functions
 *   wrapped is returned. Code that imported the functions by name still sees the originals; pass
 *   the returned object where the orchestrator looks the functions up (or use the zero-code
 *   instrumentation, which patches the module's live bindings).
 */
import { wrapFunction } from './wrap-function.js';
import type { CallAuditSpec, InstrumentOptions, InstrumentSpec } from './spec.js';
import { errorText } from '../events/error-text.js';

/** Thrown when `spec` maps a name that is not a function on the target. */
export class InstrumentTargetError extends TypeError {
  override readonly name = 'InstrumentTargetError';
}

function isClass(target: unknown): target is abstract new (...args: never[]) => unknown {
  return (
    typeof target === 'function' &&
    typeof (target as { prototype?: unknown }).prototype === 'object' &&
    (target as { prototype: object }).prototype !== null
  );
}

function isModuleNamespace(target: object): boolean {
  return Object.prototype.toString.call(target) === '[object Module]';
}

/** The property `name` of `source` (own or inherited) without calling a getter. */
function findProperty(source: object, name: string): PropertyDescriptor | undefined {
  for (let o: object | null = source; o !== null; o = Object.getPrototypeOf(o) as object | null) {
    const descriptor = Object.getOwnPropertyDescriptor(o, name);
    if (descriptor) return descriptor;
  }
  return undefined;
}

/** Wraps one method; throws {@link InstrumentTargetError} (never calls a getter) when it is not a replaceable method. */
function wrapOne(
  holder: Record<string, unknown>,
  source: Record<string, unknown>,
  name: string,
  callSpec: CallAuditSpec,
  options: InstrumentOptions,
  what: string,
): void {
  const descriptor = findProperty(source, name);
  if (descriptor && !('value' in descriptor))
    throw new InstrumentTargetError(`${what}.${name} is an accessor (getter/setter), not a method`);
  const fn: unknown = descriptor?.value;
  if (typeof fn !== 'function') throw new InstrumentTargetError(`${what}.${name} is not a function`);
  const wrapped = wrapFunction(fn as (...args: never[]) => unknown, name, callSpec, options);
  if (wrapped === fn && holder === source) return;
  const own = Object.getOwnPropertyDescriptor(holder, name);
  if (own && !own.configurable && !own.writable)
    throw new InstrumentTargetError(`${what}.${name} is read-only (non-writable, non-configurable)`);
  if (own && own.configurable) Object.defineProperty(holder, name, { ...own, value: wrapped });
  else if (own) holder[name] = wrapped;
  else
    Object.defineProperty(holder, name, {
      value: wrapped,
      writable: true,
      enumerable: descriptor?.enumerable ?? true,
      configurable: true,
    });
}

function wrapOn(
  holder: Record<string, unknown>,
  source: Record<string, unknown>,
  spec: InstrumentSpec,
  options: InstrumentOptions,
  what: string,
): void {
  for (const [name, callSpec] of Object.entries(spec)) wrapOne(holder, source, name, callSpec, options, what);
}

/** Wraps the methods of `target` named in `spec`; see the module doc for what is returned per target kind. */
export function instrument<T extends object>(target: T, spec: InstrumentSpec, options: InstrumentOptions = {}): T {
  if (isClass(target)) {
    const proto = (target as unknown as { prototype: Record<string, unknown> }).prototype;
    wrapOn(proto, proto, spec, options, `${(target as unknown as { name: string }).name}.prototype`);
    return target;
  }
  const source = target as unknown as Record<string, unknown>;
  if (isModuleNamespace(target) || Object.isFrozen(target) || !Object.isExtensible(target)) {
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(target)) copy[key] = source[key];
    wrapOn(copy, source, spec, options, 'namespace');
    return copy as T;
  }
  wrapOn(source, source, spec, options, 'object');
  return target;
}

/**
 * Patches `exports` in place (CommonJS exports object or an import-in-the-middle namespace whose
 * setters update the live bindings): exports are read and assigned as such (their accessors are
 * the module system's). Each function and class is patched on its own; the failures (an export
 * that is missing or not a function / class) are returned, one message each, instead of stopping
 * at the first.
 */
export function patchExports(
  exports: Record<string, unknown>,
  functions: InstrumentSpec,
  classes: Readonly<Record<string, InstrumentSpec>>,
  options: InstrumentOptions,
): string[] {
  const failures: string[] = [];
  const attempt = (patch: () => void): void => {
    try {
      patch();
    } catch (err) {
      failures.push(errorText(err));
    }
  };
  for (const [name, callSpec] of Object.entries(functions)) {
    attempt(() => {
      const fn = exports[name];
      if (typeof fn !== 'function') throw new InstrumentTargetError(`module export ${name} is not a function`);
      exports[name] = wrapFunction(fn as (...args: never[]) => unknown, name, callSpec, options);
    });
  }
  for (const [className, methods] of Object.entries(classes)) {
    const cls = exports[className];
    if (!isClass(cls)) {
      failures.push(`module export ${className} is not a class`);
      continue;
    }
    for (const [name, callSpec] of Object.entries(methods))
      attempt(() => instrument(cls, { [name]: callSpec }, options));
  }
  return failures;
}
