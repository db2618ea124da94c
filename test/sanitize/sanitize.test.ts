import { expect } from 'chai';
import { isLogAttributeValue } from '@opentelemetry/sdk-logs/build/src/utils/validation.js';
import { canonicalize, type CanonicalValue } from '../../src/record/canonical.js';
import { sanitizeId, sanitizeValue } from '../../src/events/sanitize.js';

/** The sanitized value is accepted by the OTel SDK and by the canonical form, and round-trips through JSON. */
function usable(value: unknown): void {
  expect(isLogAttributeValue(value), 'OTel AnyValue').to.equal(true);
  const canonical = canonicalize(value as CanonicalValue);
  expect(canonicalize(JSON.parse(canonical) as CanonicalValue)).to.equal(canonical);
}

describe('sanitizeValue: bad input', () => {
  it('keeps clean primitives and plain objects without issues', () => {
    for (const v of ['x', 1.5, true, null, { a: [1, 'b', { c: null }] }]) {
      const r = sanitizeValue(v);
      expect(r.value).to.deep.equal(v);
      expect(r.issues).to.deep.equal([]);
    }
    const input = { a: { b: 1 } };
    expect(sanitizeValue(input).value).to.not.equal(input); // a fresh copy
  });

  it('cuts circular references', () => {
    const a: Record<string, unknown> = { name: 'a', list: [] as unknown[] };
    a['self'] = a;
    (a['list'] as unknown[]).push(a, { back: a });
    const r = sanitizeValue(a);
    expect(r.value).to.deep.equal({ name: 'a', list: ['[Circular]', { back: '[Circular]' }], self: '[Circular]' });
    expect(r.issues).to.deep.equal(['circular']);
    usable(r.value);
  });

  it('keeps shared (non-circular) references', () => {
    const shared = { x: 1 };
    expect(sanitizeValue({ a: shared, b: shared }).value).to.deep.equal({ a: { x: 1 }, b: { x: 1 } });
  });

  it('turns BigInt, functions, symbols and non-finite numbers into strings', () => {
    function namedFn(): void {}
    const r = sanitizeValue({
      big: 12345678901234567890n,
      fn: namedFn,
      arrow: () => 1,
      sym: Symbol('s'),
      nan: NaN,
      inf: -Infinity,
    });
    expect(r.value).to.deep.equal({
      big: '12345678901234567890',
      fn: '[Function namedFn]',
      arrow: '[Function arrow]',
      sym: 'Symbol(s)',
      nan: 'NaN',
      inf: '-Infinity',
    });
    expect(r.issues).to.deep.equal(['bigint', 'function', 'non-finite', 'symbol']);
    usable(r.value);
  });

  it('encodes Buffers, typed arrays and ArrayBuffers as marked base64', () => {
    const r = sanitizeValue({
      buf: Buffer.from('hi'),
      u8: new Uint8Array([1, 2, 3]),
      ab: new Uint8Array([255]).buffer,
    });
    expect(r.value).to.deep.equal({ buf: 'base64:aGk=', u8: 'base64:AQID', ab: 'base64:/w==' });
    expect(r.issues).to.deep.equal(['bytes']);
  });

  it('writes Dates as ISO strings, Maps as objects, Sets as arrays', () => {
    const r = sanitizeValue({
      at: new Date(Date.UTC(2026, 10, 26)),
      bad: new Date(NaN),
      map: new Map<unknown, unknown>([
        ['k', 1],
        [2, new Set(['x'])],
      ]),
      set: new Set([1, 2]),
    });
    expect(r.value).to.deep.equal({
      at: '2026-11-26T00:00:00.000Z',
      bad: 'Invalid Date',
      map: { k: 1, '2': ['x'] },
      set: [1, 2],
    });
    expect(r.issues).to.deep.equal(['date', 'map', 'map-key', 'set']);
    usable(r.value);
  });

  it('keeps __proto__/constructor/prototype keys as data without polluting prototypes', () => {
    const input = JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}},"ok":1}') as unknown;
    const r = sanitizeValue(input);
    expect(r.value).to.deep.equal({
      '[__proto__]': { polluted: true },
      '[constructor]': { '[prototype]': { x: 1 } },
      ok: 1,
    });
    expect(r.issues).to.deep.equal(['reserved-key']);
    expect(({} as Record<string, unknown>)['polluted']).to.equal(undefined);
    expect(Object.getPrototypeOf(r.value)).to.equal(Object.prototype);
    usable(r.value);
  });

  it('turns Errors into {name, message, stack, cause} and class instances into plain data', () => {
    class Lead {
      id = 'L1';
      get upper(): string {
        return 'not own';
      }
    }
    const err = new TypeError('boom', { cause: new Error('root') });
    const r = sanitizeValue({ err, lead: new Lead() });
    const value = r.value as { err: Record<string, unknown>; lead: unknown };
    expect(value.err['name']).to.equal('TypeError');
    expect(value.err['message']).to.equal('boom');
    expect(value.err['stack']).to.be.a('string').and.include('boom');
    expect((value.err['cause'] as Record<string, unknown>)['message']).to.equal('root');
    expect(value.lead).to.deep.equal({ id: 'L1' });
    expect(r.issues).to.deep.equal(['class-instance', 'error-object']);
    usable(r.value);
  });

  it('survives getters and proxies that throw', () => {
    const trap = Object.defineProperty({ ok: 1 }, 'bad', {
      enumerable: true,
      get() {
        throw new Error('getter');
      },
    });
    const proxy = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('ownKeys');
        },
      },
    );
    const r = sanitizeValue({ trap, proxy });
    expect(r.value).to.deep.equal({ trap: { ok: 1, bad: '[Unreadable]' }, proxy: '[Unreadable]' });
    expect(r.issues).to.deep.equal(['unreadable']);
  });

  it('stops at the depth limit', () => {
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 100; i++) deep = { d: deep };
    const r = sanitizeValue(deep, { maxDepth: 5 });
    expect(JSON.stringify(r.value)).to.equal('{"d":{"d":{"d":{"d":{"d":"[Too deep]"}}}}}');
    expect(r.issues).to.deep.equal(['too-deep']);
  });

  it('truncates long strings, wide containers and large payloads with markers inside the value', () => {
    const r1 = sanitizeValue('x'.repeat(20_000), { maxStringLength: 100 });
    expect(r1.value).to.equal('x'.repeat(100) + '…[truncated 19900 chars]');
    expect(r1.issues).to.deep.equal(['truncated']);

    const r2 = sanitizeValue(
      {
        list: Array.from({ length: 50 }, (_, i) => i),
        obj: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, i])),
      },
      { maxItems: 10 },
    );
    const v2 = r2.value as { list: unknown[]; obj: Record<string, unknown> };
    expect(v2.list).to.have.length(11);
    expect(v2.list[10]).to.equal('…[truncated 40 items]');
    expect(Object.keys(v2.obj)).to.have.length(11);
    expect(v2.obj['…[truncated]']).to.equal('40 keys');

    const big = Array.from({ length: 1000 }, () => 'y'.repeat(1000));
    const r3 = sanitizeValue(big, { maxBytes: 10_000 });
    const size = JSON.stringify(r3.value).length;
    expect(size).to.be.lessThan(12_000);
    expect(JSON.stringify(r3.value)).to.include('…[truncated');
    expect(r3.issues).to.deep.equal(['truncated']);
    usable(r3.value);
  });

  it('applies small configured limits to short strings too', () => {
    expect(sanitizeValue('x'.repeat(50), { maxStringLength: 10 })).to.deep.equal({
      value: 'x'.repeat(10) + '…[truncated 40 chars]',
      issues: ['truncated'],
    });
    expect(sanitizeValue('y'.repeat(30), { maxBytes: 20 })).to.deep.equal({
      value: 'y'.repeat(20) + '…[truncated 10 chars]',
      issues: ['truncated'],
    });
    expect(sanitizeValue('z'.repeat(10), { maxStringLength: 10 })).to.deep.equal({ value: 'z'.repeat(10), issues: [] });
  });

  it('drops undefined members and writes undefined array items as null', () => {
    expect(sanitizeValue({ a: undefined, b: [undefined, 1] }).value).to.deep.equal({ b: [null, 1] });
    expect(sanitizeValue(undefined).value).to.equal(null);
  });

  it('never throws on a mix of everything', () => {
    const nasty: Record<string, unknown> = {
      big: 1n,
      when: new Date(),
      m: new Map([[{}, Symbol()]]),
      buf: Buffer.alloc(3),
    };
    nasty['self'] = nasty;
    const r = sanitizeValue([
      nasty,
      nasty,
      () => 0,
      new WeakMap(),
      Promise.resolve(1),
      /re/g,
      new URL('https://x.test/p'),
    ]);
    usable(r.value);
    expect(r.issues.length).to.be.greaterThan(3);
  });
});

describe('sanitizeId', () => {
  it('keeps string ids and stringifies numbers, bigints and booleans', () => {
    expect(sanitizeId('LEAD-1')).to.deep.equal({ value: 'LEAD-1' });
    expect(sanitizeId(42)).to.deep.equal({ value: '42', issue: 'id-not-string' });
    expect(sanitizeId(9007199254740993n)).to.deep.equal({ value: '9007199254740993', issue: 'id-not-string' });
    expect(sanitizeId(true).value).to.equal('true');
  });

  it('gives undefined for a missing optional id and the fallback for a missing workflow', () => {
    expect(sanitizeId(undefined)).to.deep.equal({ value: undefined });
    expect(sanitizeId(null, 'unknown')).to.deep.equal({ value: 'unknown', issue: 'id-missing' });
    expect(sanitizeId(undefined, 'unknown')).to.deep.equal({ value: 'unknown', issue: 'id-missing' });
  });

  it('rejects objects and cuts very long ids with a marker', () => {
    expect(sanitizeId({ id: 1 }, 'unknown')).to.deep.equal({ value: 'unknown', issue: 'id-invalid' });
    const long = sanitizeId('L'.repeat(300));
    expect(long.value).to.equal('L'.repeat(256) + '…[truncated 44 chars]');
    expect(long.issue).to.equal('id-truncated');
  });
});
