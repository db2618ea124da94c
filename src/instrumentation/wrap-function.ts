/**
 * The core wrapper: runs a function inside a span, then writes its duration (`trackPerformance`,
 * the same histogram and `performance` record as `track()`) and its audit event, or on a throw /
 * rejection its `error` record, and rethrows the same error object. Sync functions, promise-
 * returning and async functions, sync and async generators keep their semantics, `this` and
 * return values. A wrapped function carries a marker: wrapping it again returns it unchanged.
 */
import { performance } from 'node:perf_hooks';
import { context, SpanStatusCode, trace, type Context, type Span } from '@opentelemetry/api';
import { AuditDiagnostics } from '../events/diagnostics.js';
import { ATTR } from '../events/semconv.js';
import { getAuditLogger } from '../logger/default-logger.js';
import { type AuditLogger } from '../logger/audit-logger.js';
import { compileCallPlan, errorParts, INSTRUMENTATION_FAILURE, type CallPlan } from './call-plan.js';
import type { CallAuditSpec, CallContext, InstrumentOptions } from './spec.js';
import { errorText } from '../events/error-text.js';

/** Marker property on wrapped functions; its value is the original function. */
export const INSTRUMENTED = Symbol.for('orchestrator-audit-otel.instrumented');

/** Name of the tracer of run/step spans. */
export const TRACER_NAME = 'orchestrator-audit-otel';

/**
 * Failures counted when no AuditLogger can be resolved at call time (the call then runs
 * un-audited; there is no logger whose diagnostics could count it).
 */
export const instrumentationDiagnostics = new AuditDiagnostics();

type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;

/** True when `fn` is a function wrapped by this module. */
export function isInstrumented(fn: unknown): boolean {
  return typeof fn === 'function' && Object.prototype.hasOwnProperty.call(fn, INSTRUMENTED);
}

/** The original of a wrapped function (`fn` itself when it is not wrapped). */
export function originalOf<F>(fn: F): F {
  return isInstrumented(fn) ? ((fn as unknown as Record<symbol, F>)[INSTRUMENTED] as F) : fn;
}

/**
 * Only native promises (and subclasses) are awaited. Any other thenable is returned as it is and
 * not touched: calling its `then` could start work (a lazy query builder) or fail.
 */
function isPromise(value: unknown): value is Promise<unknown> {
  try {
    return value instanceof Promise;
  } catch {
    return false; // e.g. a revoked proxy
  }
}

/** Copies the own properties of `from` (name, length, custom properties, prototype) onto the wrapper. */
function copyOwnProperties(from: AnyFunction, to: AnyFunction): void {
  for (const key of Reflect.ownKeys(from)) {
    if (key === 'arguments' || key === 'caller' || key === INSTRUMENTED) continue;
    try {
      if (key === 'prototype') {
        // the wrapper's own prototype slot is writable but not configurable
        if (Object.prototype.hasOwnProperty.call(to, 'prototype'))
          (to as unknown as { prototype: unknown }).prototype = (from as unknown as { prototype: unknown }).prototype;
        continue;
      }
      const descriptor = Object.getOwnPropertyDescriptor(from, key);
      if (descriptor) Object.defineProperty(to, key, descriptor);
    } catch {
      // a property that cannot be copied is left out; the call itself is unaffected
    }
  }
}

/**
 * Resolves the AuditLogger of `options` (a logger, a getter, else `getAuditLogger()`); when there
 * is none, returns `undefined` and counts `instrumentation.audit` in `instrumentationDiagnostics`.
 * Internal: shared with the zero-code instrumentation.
 */
export function auditResolver(options: InstrumentOptions): () => AuditLogger | undefined {
  const given = options.audit;
  const get = typeof given === 'function' ? given : given !== undefined ? () => given : getAuditLogger;
  return () => {
    let audit: unknown;
    try {
      audit = get();
    } catch (err) {
      instrumentationDiagnostics.count(
        INSTRUMENTATION_FAILURE.audit,
        `no AuditLogger: ${errorText(err, 'the getter threw')}`,
      );
      return undefined;
    }
    if (typeof audit !== 'object' || audit === null) {
      // a getter returning nothing (e.g. before start-up): un-audited, but not silently
      instrumentationDiagnostics.count(
        INSTRUMENTATION_FAILURE.audit,
        `no AuditLogger: the audit getter returned ${audit === null ? 'null' : typeof audit}`,
      );
      return undefined;
    }
    return audit as AuditLogger;
  };
}

interface CallState {
  readonly audit: AuditLogger;
  readonly span: Span;
  readonly ctx: Context;
  readonly start: number;
}

/** Starts the call's span; `undefined` (counted, the call runs un-audited) when the tracer throws. */
function begin(plan: CallPlan, audit: AuditLogger, options: InstrumentOptions): CallState | undefined {
  try {
    const tracer = options.tracer ?? trace.getTracer(TRACER_NAME);
    const span = tracer.startSpan(plan.spanName, { root: plan.kind === 'run' });
    return { audit, span, ctx: trace.setSpan(context.active(), span), start: performance.now() };
  } catch (err) {
    audit.diagnostics.count(INSTRUMENTATION_FAILURE.audit, `span start: ${errorText(err, 'failed')}`);
    return undefined;
  }
}

function finish(plan: CallPlan, state: CallState, call: CallContext, ok: boolean): void {
  const seconds = (performance.now() - state.start) / 1000;
  const { audit, span } = state;
  context.with(state.ctx, () => {
    try {
      const workflow = plan.workflow(audit, call);
      if (workflow !== undefined) span.setAttribute(ATTR.workflow, audit.anonymize(workflow));
      if (plan.operation !== undefined) audit.trackPerformance(plan.operation, seconds, workflow);
      if (ok) plan.completed(audit, call);
      else plan.failed(audit, call);
    } catch (err) {
      // helpers never throw; this guards the plan's own code
      audit.diagnostics.count(INSTRUMENTATION_FAILURE.audit, errorText(err));
    }
    try {
      if (!ok) {
        // spans leave the process on their own exporter: anonymized like the log record of the same error
        const e = errorParts(call.error);
        const message = audit.anonymize(e.message);
        span.setStatus({ code: SpanStatusCode.ERROR, message });
        span.recordException({
          name: audit.anonymize(e.type),
          message,
          ...(e.stack !== undefined ? { stack: audit.anonymize(e.stack) } : {}),
        });
      }
      span.end();
    } catch (err) {
      audit.diagnostics.count(INSTRUMENTATION_FAILURE.audit, `span end: ${errorText(err, 'failed')}`);
    }
  });
}

type AnyIterator = Iterator<unknown, unknown, unknown> | AsyncIterator<unknown, unknown, unknown>;

/**
 * An iterable over `inner` whose next/throw/return run in `ctx`, for `yield*`: the generator's
 * body runs at each step, so that is where the call's span must be active (steps called from a
 * generator run are its children).
 */
function inContext(inner: AnyIterator, ctx: Context, async: boolean): Iterable<unknown> & AsyncIterable<unknown> {
  const bound: Record<string, unknown> = {};
  for (const method of ['next', 'throw', 'return'] as const) {
    const fn = inner[method] as ((value?: unknown) => unknown) | undefined;
    if (typeof fn === 'function')
      bound[method] = (value?: unknown): unknown => context.with(ctx, () => fn.call(inner, value));
  }
  const iterate = (): unknown => bound;
  return (async
    ? { [Symbol.asyncIterator]: iterate }
    : { [Symbol.iterator]: iterate }) as unknown as Iterable<unknown> & AsyncIterable<unknown>;
}

function kindOf(fn: AnyFunction): 'plain' | 'generator' | 'async-generator' {
  const tag = Object.prototype.toString.call(fn);
  if (tag === '[object AsyncGeneratorFunction]') return 'async-generator';
  if (tag === '[object GeneratorFunction]') return 'generator';
  return 'plain';
}

/**
 * Wraps `fn` (named `name`) so each call is audited per `spec`. Returns `fn` itself when it is
 * already wrapped. Throws `ExtractorPathError` at once on a malformed path in `spec`.
 */
export function wrapFunction<F extends (...args: never[]) => unknown>(
  fn: F,
  name: string,
  spec: CallAuditSpec,
  options: InstrumentOptions = {},
): F {
  if (isInstrumented(fn)) return fn;
  const original = fn as unknown as AnyFunction;
  const plan = compileCallPlan(name, spec, options.workflow);
  const resolve = auditResolver(options);
  let wrapped: AnyFunction;

  switch (kindOf(original)) {
    case 'async-generator':
      wrapped = async function* (this: unknown, ...args: unknown[]): AsyncGenerator<unknown, unknown, unknown> {
        const audit = resolve();
        if (!audit) return yield* original.apply(this, args) as AsyncGenerator<unknown, unknown, unknown>;
        const state = begin(plan, audit, options);
        if (!state) return yield* original.apply(this, args) as AsyncGenerator<unknown, unknown, unknown>;
        let settled = false;
        try {
          const inner = context.with(state.ctx, () => original.apply(this, args)) as AsyncGenerator<
            unknown,
            unknown,
            unknown
          >;
          const value: unknown = yield* inContext(inner, state.ctx, true) as AsyncIterable<unknown>;
          settled = true;
          finish(plan, state, { args, this: this, result: value }, true);
          return value;
        } catch (error) {
          if (!settled) finish(plan, state, { args, this: this, error }, false);
          settled = true;
          throw error;
        } finally {
          // consumer stopped early (return()): the call completed without a return value
          if (!settled) finish(plan, state, { args, this: this }, true);
        }
      } as AnyFunction;
      break;
    case 'generator':
      wrapped = function* (this: unknown, ...args: unknown[]): Generator<unknown, unknown, unknown> {
        const audit = resolve();
        if (!audit) return yield* original.apply(this, args) as Generator<unknown, unknown, unknown>;
        const state = begin(plan, audit, options);
        if (!state) return yield* original.apply(this, args) as Generator<unknown, unknown, unknown>;
        let settled = false;
        try {
          const inner = context.with(state.ctx, () => original.apply(this, args)) as Generator<
            unknown,
            unknown,
            unknown
          >;
          const value: unknown = yield* inContext(inner, state.ctx, false) as Iterable<unknown>;
          settled = true;
          finish(plan, state, { args, this: this, result: value }, true);
          return value;
        } catch (error) {
          if (!settled) finish(plan, state, { args, this: this, error }, false);
          settled = true;
          throw error;
        } finally {
          if (!settled) finish(plan, state, { args, this: this }, true);
        }
      } as AnyFunction;
      break;
    default:
      wrapped = function (this: unknown, ...args: unknown[]): unknown {
        // `new wrapped()` constructs the original (a constructor function or class listed by mistake keeps working)
        const target: unknown = new.target;
        const call = (): unknown =>
          target !== undefined
            ? Reflect.construct(
                original as unknown as new (...a: unknown[]) => unknown,
                args,
                (target === wrapped ? original : target) as new (...a: unknown[]) => unknown,
              )
            : original.apply(this, args);
        const audit = resolve();
        if (!audit) return call();
        const state = begin(plan, audit, options);
        if (!state) return call();
        let result: unknown;
        try {
          result = context.with(state.ctx, call);
        } catch (error) {
          finish(plan, state, { args, this: this, error }, false);
          throw error;
        }
        if (!isPromise(result)) {
          finish(plan, state, { args, this: this, result }, true);
          return result;
        }
        // Promise.prototype.then keeps a subclass (species) and ignores an overridden `then`
        return Promise.prototype.then.call(
          result,
          (value: unknown) => {
            finish(plan, state, { args, this: this, result: value }, true);
            return value;
          },
          (error: unknown) => {
            finish(plan, state, { args, this: this, error }, false);
            throw error;
          },
        );
      };
  }
  copyOwnProperties(original, wrapped);
  Object.defineProperty(wrapped, INSTRUMENTED, { value: original });
  return wrapped as unknown as F;
}
