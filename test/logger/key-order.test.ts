import { expect } from 'chai';
import fc from 'fast-check';
import { DEFAULT_SANITIZE_LIMITS } from '../../src/events/sanitize.js';
import { cleanSortedCopy, NOT_CLEAN } from '../../src/logger/clean-check.js';
import { inCanonicalOrder, sortedKeys } from '../../src/logger/key-order.js';
import { canonicalize, isStringifyCanonical } from '../../src/record/canonical.js';

describe('key order (canonical order of what the logger hands to the SDK)', () => {
  it('sorts any key list correctly, also when many different lists alternate through the cache', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uniqueArray(fc.string({ maxLength: 4 }), { maxLength: 8 }), { minLength: 1, maxLength: 40 }),
        (lists) => {
          for (let round = 0; round < 2; round++) {
            for (const list of lists) expect(sortedKeys(list.slice())).to.deep.equal(list.slice().sort());
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('returns the same list when it is already sorted', () => {
    const keys = ['a', 'b', 'c'];
    expect(sortedKeys(keys)).to.equal(keys);
  });

  it('reorders attribute maps without changing their entries', () => {
    const attrs = { 'orchestrator.workflow': 'sales', 'orchestrator.event.type': 'x', 'orchestrator.lead.id': 'L1' };
    const ordered = inCanonicalOrder(attrs);
    expect(Object.keys(ordered)).to.deep.equal([
      'orchestrator.event.type',
      'orchestrator.lead.id',
      'orchestrator.workflow',
    ]);
    expect(ordered).to.deep.equal(attrs);
  });

  it('gives clean JSON values a sorted copy that stringifies canonically and never aliases the input', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
        const copy = cleanSortedCopy(value, DEFAULT_SANITIZE_LIMITS);
        if (copy === NOT_CLEAN) return;
        expect(copy).to.deep.equal(value);
        if (typeof value === 'object' && value !== null) expect(copy).to.not.equal(value);
        const digitKey = /"\d/.test(JSON.stringify(value) ?? '');
        if (!digitKey) {
          expect(isStringifyCanonical(copy)).to.equal(true);
          expect(JSON.stringify(copy)).to.equal(canonicalize(value as never));
        }
      }),
      { numRuns: 500 },
    );
  });
});
