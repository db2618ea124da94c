import { expect } from 'chai';
import fc from 'fast-check';
import { PiiDetectors } from '../../src/processors/pii/detectors.js';
import { HOSTILE_SHAPES, repeated } from './hostile-shapes.js';

const detectors = new PiiDetectors();

/**
 * CPU time (µs) of `reps` scans of `text`, the smallest of 5 rounds: other load on the machine and a
 * garbage collection falling into one round only add, so the minimum is the scan's own cost.
 */
function cpuMicros(text: string, reps: number): number {
  let best = Infinity;
  for (let round = 0; round < 5; round++) {
    const start = process.cpuUsage();
    for (let i = 0; i < reps; i++) detectors.find(text);
    const used = process.cpuUsage(start);
    best = Math.min(best, used.user + used.system);
  }
  return best;
}

/** CPU time (µs) of one run of `reps` scans of `text`. */
function cpuOnce(text: string, reps: number): number {
  const start = process.cpuUsage();
  for (let i = 0; i < reps; i++) detectors.find(text);
  const used = process.cpuUsage(start);
  return used.user + used.system;
}

/** Least CPU time (µs) each side of {@link growth} measures: far above the clock's tick and a context switch. */
const MIN_SIDE_MICROS = 4000;

/**
 * How the cost per character grows from a text of `small` characters to one 8 times as long:
 * the small text is scanned 8 times as often, so both measure the same number of characters and the ratio
 * is about 1 for a linear scan, 8 for a quadratic one.
 */
function growth(build: (n: number) => string, small = 4096): number {
  const a = build(small);
  const b = build(small * 8);
  detectors.find(a); // compile the paths first
  detectors.find(b);
  // enough scans that each side runs for milliseconds (a cheap text is scanned more often), so one
  // pause or a coarse CPU-time tick cannot decide the ratio
  let reps = 4;
  while (reps < 1024 && cpuOnce(b, reps) < MIN_SIDE_MICROS) reps *= 2;
  return cpuMicros(b, reps) / Math.max(1, cpuMicros(a, reps * 8));
}

describe('PII detectors: linear time on hostile input', function () {
  this.timeout(60_000);

  for (const [name, build] of HOSTILE_SHAPES) {
    it(`${name}: 8× the text costs about 8× the time, not 64×`, () => {
      const ratio = growth(build);
      // linear: ~1 (same characters scanned); quadratic: ~8. Margin for a shared, loaded machine.
      expect(ratio, `${name}: per-character cost grew ${ratio.toFixed(2)}× from 4 KB to 32 KB`).to.be.below(4);
    });
  }

  it('adversarial generated runs (digits and separators, @ and dots, colons and hex, IBAN-like) never throw nor grow superlinearly', () => {
    const piece = fc.oneof(
      fc.stringMatching(/^[0-9]{1,4}$/),
      fc.constantFrom(
        ' ',
        '-',
        '.',
        '(',
        ')',
        '+',
        '/',
        '@',
        ':',
        '::',
        'a',
        'x',
        'DE',
        'de',
        'ff',
        '.com',
        'ext.',
        '\u00a0',
        '\u200b',
        '＠',
        '１',
      ),
      fc.stringMatching(/^[A-Za-z]{2}[0-9]{2}$/),
      fc.stringMatching(/^[0-9a-f]{1,4}:$/),
    );
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 12 }), (parts) => {
        const unit = parts.join('');
        const text = repeated(unit, 4096);
        expect(() => detectors.find(text)).to.not.throw();
        expect(() => detectors.classify(text)).to.not.throw();
        const ratio = growth((n) => repeated(unit, n));
        expect(ratio, `unit ${JSON.stringify(unit)}: grew ${ratio.toFixed(2)}×`).to.be.below(4);
      }),
      { numRuns: 25 },
    );
  });
});
