/**
 * The shared ring against a model (fast-check): random entries (empty to beyond the largest
 * payload, multi-byte UTF-8, surrogate pairs and lone surrogates, entries straddling the end of
 * the data area) interleaved with reads of random batch sizes, the byte counters started just
 * below 2^32 so they wrap mid-run. Every written entry comes out once, in order, with its kind,
 * byte for byte as Buffer encodes it; `full` and `too-large` are said exactly when the model says
 * so; nothing written is overwritten.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { Buffer } from 'node:buffer';
import { MIN_RING_BYTES, Ring, RING_WORD, type EntryKind } from '../../src/thread/ring.js';

/** Bytes an entry of `n` payload bytes occupies (4-byte header, padded to 4). */
const entrySize = (n: number): number => 4 + ((n + 3) & ~3);

type Step =
  | { op: 'write'; kind: EntryKind; text: string }
  | { op: 'read'; max: number }
  /** Writes the same entry until the ring refuses it: the last write meets the ring exactly full. */
  | { op: 'fill'; kind: EntryKind; text: string };

/** Pieces texts are made of: ASCII, 2-, 3- and 4-byte UTF-8, lone surrogates, line separators. */
const piece = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('a', 'é', '日', '🎉', '\uD800', '\uDFFF', 'x\uD83D', '\uDE00y', '\u2028', '\0'),
);
/** Texts from empty to several times the largest payload (1 KiB in a 4 KiB ring). */
const text = fc.oneof(
  fc.array(piece, { maxLength: 30 }).map((parts) => parts.join('')),
  fc.tuple(piece, fc.integer({ min: 1, max: 1400 })).map(([p, n]) => p.repeat(Math.ceil(n / Math.max(1, p.length)))),
  fc.constantFrom('', 'x'.repeat(1024), 'x'.repeat(1025), 'é'.repeat(512), 'é'.repeat(513), '🎉'.repeat(256)),
);
const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('write' as const),
      kind: fc.constantFrom(0, 1, 2) as fc.Arbitrary<EntryKind>,
      text,
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('read' as const), max: fc.integer({ min: 0, max: 12 }) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('fill' as const),
      kind: fc.constantFrom(0, 1, 2) as fc.Arbitrary<EntryKind>,
      text: fc.oneof(fc.string({ unit: 'binary', maxLength: 12 }), text),
    }),
  },
);

describe('thread ring (property)', function () {
  this.timeout(10000);

  it('returns every entry once, in order, byte-identical, across the end of the data area and the 2^32 wrap', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 3000 }),
        fc.array(step, { minLength: 1, maxLength: 120 }),
        (back, steps) => {
          const ring = new Ring(Ring.allocate(MIN_RING_BYTES));
          // head = tail a little below 2^32 (4-byte aligned, as every position is)
          const start = (2 ** 32 - back * 4) | 0;
          Atomics.store(ring.words, RING_WORD.head, start);
          Atomics.store(ring.words, RING_WORD.tail, start);
          const model: { kind: EntryKind; text: string; size: number }[] = [];
          let used = 0;
          const readAndCompare = (max: number): void => {
            const out: [EntryKind, string][] = [];
            const n = ring.read(max, (kind, t) => out.push([kind, t]));
            const expected = model.splice(0, Math.min(max, model.length));
            expect(n).to.equal(expected.length);
            expect(out).to.deep.equal(expected.map((e) => [e.kind, e.text]));
            for (const e of expected) used -= e.size;
            expect(ring.used()).to.equal(used);
          };
          /** Writes one entry and checks the outcome against the model; returns whether it was written. */
          const writeAndCheck = (kind: EntryKind, t: string): boolean => {
            const bytes = Buffer.byteLength(t, 'utf8');
            const free = ring.capacity - used;
            const outcome = ring.write(kind, t);
            let written = false;
            if (bytes <= ring.maxPayload && entrySize(bytes) <= free) {
              expect(outcome, `${bytes} bytes, ${free} free`).to.equal('written');
              // what comes out is what Buffer makes of the text (a lone surrogate becomes U+FFFD)
              model.push({ kind, text: Buffer.from(t, 'utf8').toString('utf8'), size: entrySize(bytes) });
              used += entrySize(bytes);
              written = true;
            } else if (bytes > ring.maxPayload) {
              // too large for ever; a ring without room for even one byte per UTF-16 unit may say full first
              const allowed = entrySize(t.length) > free ? ['too-large', 'full'] : ['too-large'];
              expect(allowed, `${bytes} bytes, ${free} free`).to.include(outcome);
            } else expect(outcome, `${bytes} bytes, ${free} free`).to.equal('full');
            expect(ring.used()).to.equal(used);
            expect(ring.countEntries()).to.equal(model.length);
            return written;
          };
          for (const s of steps) {
            if (s.op === 'read') readAndCompare(s.max);
            else if (s.op === 'write') writeAndCheck(s.kind, s.text);
            else for (let i = 0; i < 1100 && writeAndCheck(s.kind, s.text); i++);
          }
          readAndCompare(Number.MAX_SAFE_INTEGER);
          expect(ring.isEmpty()).to.equal(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
