import { expect } from 'chai';
import { instrument, InstrumentTargetError } from '../../src/instrumentation/instrument.js';
import { instrumentationDiagnostics, isInstrumented, wrapFunction } from '../../src/instrumentation/wrap-function.js';
import { INSTRUMENTATION_FAILURE } from '../../src/instrumentation/call-plan.js';
import type { AuditLogger } from '../../src/logger/audit-logger.js';
import { contentOf, summaryOf, testTracer, useTestAudit } from './fixture.js';

/** The wrapped code must behave exactly as before, whatever it throws, returns or is. */
describe('instrument(): robustness of wrapped functions', () => {
  const t = useTestAudit();

  it('keeps custom own properties of the function (besides name and length)', () => {
    function score(a: number, b: number): number {
      return a + b;
    }
    score.version = 3;
    Object.defineProperty(score, 'hidden', { value: 'h', enumerable: false });
    const wrapped = wrapFunction(score, 'score', { event: 'scored' }, { audit: t.audit });
    expect(isInstrumented(wrapped)).to.equal(true);
    expect([wrapped.name, wrapped.length, wrapped(1, 2)]).to.deep.equal(['score', 2, 3]);
    expect(wrapped.version).to.equal(3);
    expect((wrapped as unknown as { hidden: unknown }).hidden).to.equal('h');
    expect(Object.getOwnPropertyDescriptor(wrapped, 'hidden')?.enumerable).to.equal(false);
  });

  it('rethrows a thrown null-prototype object (sync and rejected) unchanged and still writes the error record', async () => {
    const thrown = Object.create(null) as Record<string, unknown>;
    thrown.code = 'E1';
    const opts = { audit: t.audit };
    const sync = wrapFunction(
      () => {
        throw thrown;
      },
      'sync',
      { event: 'x', leadId: { const: 'L-1' } },
      opts,
    );
    const async = wrapFunction(
      async () => {
        throw thrown;
      },
      'async',
      { event: 'x', leadId: { const: 'L-2' } },
      opts,
    );
    expect(sync).to.throw().that.equals(thrown);
    const rejected = await async().then(
      () => 'resolved',
      (e: unknown) => e,
    );
    expect(rejected).to.equal(thrown);
    const records = await t.records();
    expect(summaryOf(records).map((r) => [r.type, r.lead])).to.deep.equal([
      ['error', 'L-1'],
      ['error', 'L-2'],
    ]);
    expect(contentOf(records[0]!).attrs['orchestrator.error.type']).to.equal('Object');
    expect(t.audit.diagnostics.total(INSTRUMENTATION_FAILURE.audit)).to.equal(0);
  });

  it('rethrows an error whose message getter throws, unchanged', async () => {
    const error = new RangeError('x');
    Object.defineProperty(error, 'message', {
      get() {
        throw new Error('getter');
      },
    });
    const wrapped = wrapFunction(
      () => {
        throw error;
      },
      'f',
      { event: 'x' },
      { audit: t.audit },
    );
    let caught: unknown;
    try {
      wrapped();
    } catch (e) {
      caught = e;
    }
    expect(caught === error).to.equal(true); // (chai would stringify the error)
    const records = await t.records();
    expect(summaryOf(records).map((r) => r.type)).to.deep.equal(['error']);
    expect(contentOf(records[0]!).attrs['orchestrator.error.type']).to.equal('RangeError');
  });

  it('returns a non-promise thenable unchanged and does not call its then', async () => {
    let thenCalls = 0;
    const builder = {
      rows: 2,
      where() {
        return this;
      },
      then(resolve: (v: number) => void) {
        thenCalls++;
        resolve(this.rows);
      },
    };
    const wrapped = wrapFunction(
      () => builder,
      'query',
      { event: 'queried', fields: { rows: 'result.rows' } },
      { audit: t.audit },
    );
    const out = wrapped();
    expect(out).to.equal(builder);
    await new Promise((r) => setImmediate(r));
    expect(thenCalls).to.equal(0);
    const records = await t.records();
    expect(summaryOf(records).map((r) => r.type)).to.deep.equal(['queried']);
  });

  it('returns a value whose then getter throws, without throwing', async () => {
    const odd = {
      get then(): unknown {
        throw new Error('no then');
      },
    };
    const wrapped = wrapFunction(() => odd, 'f', { event: 'x' }, { audit: t.audit });
    expect(wrapped()).to.equal(odd);
    expect(summaryOf(await t.records()).map((r) => r.type)).to.deep.equal(['x']);
  });

  it('keeps a Promise subclass and the resolved value; the event follows completion', async () => {
    class TrackedPromise<T> extends Promise<T> {}
    const wrapped = wrapFunction(
      () => TrackedPromise.resolve({ id: 'L-9' }),
      'f',
      { event: 'x', leadId: 'result.id' },
      { audit: t.audit },
    );
    const out = wrapped();
    expect(out).to.be.instanceOf(TrackedPromise);
    expect(await out).to.deep.equal({ id: 'L-9' });
    expect(summaryOf(await t.records()).map((r) => [r.type, r.lead])).to.deep.equal([['x', 'L-9']]);
  });

  it('`new` on a wrapped constructor function or class constructs the original', async () => {
    function Legacy(this: { x: number }, x: number): void {
      this.x = x;
    }
    Legacy.prototype.twice = function (this: { x: number }): number {
      return this.x * 2;
    };
    class Modern {
      constructor(readonly x: number) {}
    }
    const WrappedLegacy = wrapFunction(
      Legacy as unknown as (x: number) => void,
      'Legacy',
      { event: 'made' },
      { audit: t.audit },
    ) as unknown as new (x: number) => { twice(): number };
    const WrappedModern = wrapFunction(
      Modern as unknown as (x: number) => void,
      'Modern',
      { event: 'made' },
      { audit: t.audit },
    ) as unknown as new (x: number) => Modern;
    const legacy = new WrappedLegacy(4);
    expect(legacy).to.be.instanceOf(Legacy);
    expect(legacy.twice()).to.equal(8);
    const modern = new WrappedModern(5);
    expect(modern).to.be.instanceOf(Modern);
    expect(modern.x).to.equal(5);
    expect(summaryOf(await t.records()).map((r) => r.type)).to.deep.equal(['made', 'made']);
  });

  it('refuses accessors with InstrumentTargetError, without calling the getter', () => {
    let calls = 0;
    class WithGetter {
      #secret = 1;
      get handler(): () => number {
        calls++;
        return () => this.#secret;
      }
    }
    const object = {
      get handler(): () => number {
        calls++;
        return () => 1;
      },
    };
    expect(() => instrument(WithGetter, { handler: { event: 'x' } }, { audit: t.audit })).to.throw(
      InstrumentTargetError,
      /accessor/,
    );
    expect(() => instrument(object, { handler: { event: 'x' } }, { audit: t.audit })).to.throw(
      InstrumentTargetError,
      /accessor/,
    );
    expect(calls).to.equal(0);
  });

  it('wraps a non-writable but configurable method, keeping its attributes; a read-only one is a clear error', () => {
    const target = {} as { step(): number; frozen(): number };
    Object.defineProperty(target, 'step', { value: () => 1, writable: false, enumerable: false, configurable: true });
    Object.defineProperty(target, 'frozen', { value: () => 2, writable: false, enumerable: true, configurable: false });
    instrument(target, { step: { event: 'x' } }, { audit: t.audit });
    expect(isInstrumented(target.step)).to.equal(true);
    expect(target.step()).to.equal(1);
    expect(Object.getOwnPropertyDescriptor(target, 'step')).to.include({
      writable: false,
      enumerable: false,
      configurable: true,
    });
    expect(() => instrument(target, { frozen: { event: 'x' } }, { audit: t.audit })).to.throw(
      InstrumentTargetError,
      /read-only/,
    );
  });

  it('a throwing tracer is counted and the call runs un-audited', () => {
    const tracer = {
      startSpan(): never {
        throw new Error('tracer broken');
      },
    } as unknown as NonNullable<Parameters<typeof wrapFunction>[3]>['tracer'];
    const wrapped = wrapFunction((x: number) => x + 1, 'f', { event: 'x' }, { audit: t.audit, tracer });
    expect(wrapped(1)).to.equal(2);
    expect(t.audit.diagnostics.total(INSTRUMENTATION_FAILURE.audit)).to.equal(1);
  });

  it('steps called from a generator or async generator body are children of its span', async () => {
    const { tracer, spans } = testTracer();
    const opts = { audit: t.audit, tracer };
    const step = wrapFunction((x: number) => x, 'step', { spanName: 'step' }, opts);
    const gen = wrapFunction(
      function* () {
        yield step(1);
        yield step(2);
      },
      'gen',
      { kind: 'run', spanName: 'gen' },
      opts,
    );
    const agen = wrapFunction(
      async function* () {
        yield step(1);
        await new Promise((r) => setTimeout(r, 1));
        yield step(2);
      },
      'agen',
      { kind: 'run', spanName: 'agen' },
      opts,
    );
    expect([...gen()]).to.deep.equal([1, 2]);
    const seen: number[] = [];
    for await (const v of agen()) seen.push(v);
    expect(seen).to.deep.equal([1, 2]);
    const finished = spans.getFinishedSpans();
    for (const run of ['gen', 'agen']) {
      const runId = finished.find((s) => s.name === run)?.spanContext().spanId;
      const children = finished.filter((s) => s.name === 'step' && s.parentSpanContext?.spanId === runId);
      expect(children, run).to.have.length(2);
    }
  });

  it('generator protocol is forwarded: next values, throw() caught inside, return() runs the finally', async () => {
    const log: unknown[] = [];
    const gen = wrapFunction(
      function* () {
        try {
          const a: unknown = yield 1;
          log.push(a);
          try {
            yield 2;
          } catch (e) {
            log.push((e as Error).message);
          }
          yield 3;
          yield 4;
        } finally {
          log.push('finally');
        }
      },
      'g',
      { event: 'done' },
      { audit: t.audit },
    );
    const it = gen();
    expect(it.next().value).to.equal(1);
    expect(it.next('sent').value).to.equal(2);
    expect(it.throw(new Error('inside')).value).to.equal(3);
    expect(it.return(undefined)).to.deep.equal({ value: undefined, done: true });
    expect(log).to.deep.equal(['sent', 'inside', 'finally']);
    expect(summaryOf(await t.records()).map((r) => r.type)).to.deep.equal(['done']);
  });

  it('an audit getter that returns nothing: the call runs un-audited and is counted, not silently skipped', () => {
    const before = instrumentationDiagnostics.total(INSTRUMENTATION_FAILURE.audit);
    const wrapped = wrapFunction(
      (x: number) => x * 2,
      'f',
      { event: 'x' },
      { audit: () => undefined as unknown as AuditLogger },
    );
    expect(wrapped(4)).to.equal(8);
    expect(instrumentationDiagnostics.total(INSTRUMENTATION_FAILURE.audit) - before).to.equal(1);
  });
});
