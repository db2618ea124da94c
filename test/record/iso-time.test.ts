import { expect } from 'chai';
import fc from 'fast-check';
import { isoTimeOf } from '../../src/record/iso-time.js';

/** What `Date` makes of `ms`: its ISO text, or `undefined` for an invalid date. */
function reference(ms: number): string | undefined {
  const date = new Date(ms);
  return Number.isFinite(date.getTime()) ? date.toISOString() : undefined;
}

describe('isoTimeOf: Date.prototype.toISOString without a Date per record', () => {
  it('equals Date on any number (fractions, negatives, extended years, the limits, NaN, Infinity)', () => {
    const near = (t: number): fc.Arbitrary<number> => fc.double({ min: t - 2500, max: t + 2500, noNaN: true });
    fc.assert(
      fc.property(
        fc.oneof(
          fc.double(),
          fc.integer({ min: -8.64e15, max: 8.64e15 }),
          fc.double({ min: -8.7e15, max: 8.7e15 }),
          near(0),
          near(1_790_000_000_000),
          near(8.64e15),
          near(-8.64e15),
          near(253_402_300_800_000), // year 10000: six-digit years begin
        ),
        (ms) => {
          expect(isoTimeOf(ms)).to.equal(reference(ms));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('gives each millisecond of a second its own text, in any order of calls', () => {
    const base = 1_790_000_000_000;
    const order = Array.from({ length: 2000 }, (_, i) => base + ((i * 7919) % 2000));
    for (const ms of order) expect(isoTimeOf(ms)).to.equal(new Date(ms).toISOString());
    for (const ms of [-1, -0.5, -1000, -1001, 0.999, -0, 8.64e15, -8.64e15, 8.64e15 + 1, Number.NaN])
      expect(isoTimeOf(ms)).to.equal(reference(ms));
  });
});
