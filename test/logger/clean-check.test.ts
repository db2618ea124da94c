import { expect } from 'chai';
import fc from 'fast-check';
import { DEFAULT_SANITIZE_LIMITS, sanitizeValue, type SanitizeLimits } from '../../src/events/sanitize.js';
import { isCleanValue } from '../../src/logger/clean-check.js';

const SMALL: SanitizeLimits = { maxDepth: 4, maxStringLength: 20, maxItems: 5, maxBytes: 200 };

describe('isCleanValue (hot-path skip of the sanitizer)', () => {
  it('only reports values clean that the sanitizer would return unchanged', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.constantFrom(SMALL, DEFAULT_SANITIZE_LIMITS), (value, limits) => {
        if (!isCleanValue(value, limits)) return;
        const result = sanitizeValue(value, limits);
        expect(result.issues).to.deep.equal([]);
        expect(result.value).to.deep.equal(value);
      }),
      { numRuns: 400 },
    );
  });

  it('accepts realistic lead data and rejects what needs sanitizing', () => {
    const lead = { email: 'a@b.c', score: 3, tags: ['x'], utm: { source: 'ads' }, note: null };
    expect(isCleanValue(lead, DEFAULT_SANITIZE_LIMITS)).to.equal(true);
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    for (const bad of [
      loop,
      { d: new Date() },
      { n: Number.NaN },
      { b: 1n },
      JSON.parse('{"__proto__":1}'),
      { u: undefined },
      new Map(),
      { s: 'x'.repeat(9000) },
    ]) {
      expect(isCleanValue(bad, DEFAULT_SANITIZE_LIMITS), String(Object.keys(bad as object))).to.equal(false);
    }
  });
});
