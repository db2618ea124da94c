import { expect } from 'chai';
import fc from 'fast-check';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { canonicalContent } from '../../src/record/audit-record.js';
import {
  canonicalize,
  canonicalizeMemberwise,
  isStringifyCanonical,
  type CanonicalValue,
} from '../../src/record/canonical.js';
import { canonicalRecordOf, recordContentOf, type ChainSlot } from '../../src/record/record-content.js';

const SLOT: ChainSlot = { stream: 'abc123', seq: 42, prev: 'prev-sig_', kid: 'k-1' };

/** A log record as the SDK hands it to processors (only the fields the signer reads). */
function record(
  attributes: Record<string, unknown>,
  body: unknown,
  extra: Partial<Record<'eventName' | 'severityText', unknown>> = {},
): ReadableLogRecord {
  return {
    hrTime: [1_790_000_000, 123_456_789],
    attributes,
    body,
    eventName: 'eventName' in extra ? extra.eventName : 'orchestrator.lead.ingested',
    severityText: 'severityText' in extra ? extra.severityText : 'INFO',
    severityNumber: 9,
    spanContext: { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1 },
  } as unknown as ReadableLogRecord;
}

/** Values the OTel SDK can carry and some it should not (the signer must cope with both). */
const leaf = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.uint8Array({ maxLength: 6 }),
  fc.date({ noInvalidDate: false }),
  fc.bigInt(),
);
const key = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.constantFrom('0', '10', '1a', '__proto__', 'constructor', 'b.c', 'B', 'é'),
);
const tree = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: 'small' },
    leaf,
    fc.array(tie('node'), { maxLength: 4 }),
    fc.dictionary(key, tie('node'), { maxKeys: 5 }),
  ),
})).node;

describe('signer record content: one-pass canonical string', () => {
  it('equals the reference (content object through canonicalize) on arbitrary attributes and bodies', () => {
    fc.assert(
      fc.property(fc.dictionary(key, tree, { maxKeys: 6 }), tree, (attributes, body) => {
        const log = record(attributes, body);
        const content = recordContentOf(log, SLOT, { fixed: 0, digitKeys: false });
        const reference = canonicalizeMemberwise(content as unknown as CanonicalValue);
        expect(canonicalContent(content)).to.equal(reference);
        expect(canonicalRecordOf(log, SLOT, { fixed: 0, digitKeys: false })).to.equal(reference);
      }),
      { numRuns: 1500 },
    );
  });

  it('counts the same conversions as the reference', () => {
    const log = record(
      { n: Number.NaN, when: new Date(0), big: 10n, nested: { inf: Infinity } },
      { b: new Uint8Array([1, 2]) },
    );
    const fast = { fixed: 0, digitKeys: false };
    const slow = { fixed: 0, digitKeys: false };
    canonicalRecordOf(log, SLOT, fast);
    recordContentOf(log, SLOT, slow);
    expect(fast.fixed).to.equal(slow.fixed).and.to.be.greaterThan(0);
  });

  it('handles records without event name, severity text or span, and string bodies', () => {
    const log = {
      ...record({ a: 1 }, 'text "quoted"\n', { eventName: undefined, severityText: undefined }),
      spanContext: undefined,
    } as unknown as ReadableLogRecord;
    const reference = canonicalContent(recordContentOf(log, SLOT, { fixed: 0, digitKeys: false }));
    expect(canonicalRecordOf(log, SLOT, { fixed: 0, digitKeys: false })).to.equal(reference);
    expect(reference).to.not.contain('"span"');
  });

  it('cuts cycles instead of throwing', () => {
    const loop: Record<string, unknown> = { a: 1 };
    loop.self = loop;
    const log = record({ loop }, null);
    expect(canonicalRecordOf(log, SLOT, { fixed: 0, digitKeys: false })).to.contain('"self":"[Circular]"');
  });
});

describe('isStringifyCanonical', () => {
  it('is true exactly for values whose JSON.stringify is canonical, on sorted JSON-safe trees', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const sorted = JSON.parse(canonicalize(value as never)) as unknown;
        // a parsed canonical tree is canonical unless integer-like keys were reordered by the engine
        if (isStringifyCanonical(sorted))
          expect(JSON.stringify(sorted)).to.equal(canonicalizeMemberwise(sorted as never));
        expect(canonicalize(sorted as never)).to.equal(canonicalizeMemberwise(value as never));
      }),
      { numRuns: 1000 },
    );
  });

  it('rejects unsorted keys, digit-leading keys, non-finite numbers, byte arrays, dates and deep nesting', () => {
    expect(isStringifyCanonical({ a: 1, b: { c: [1, 'x', null, true] } })).to.equal(true);
    expect(isStringifyCanonical({ b: 1, a: 2 })).to.equal(false);
    expect(isStringifyCanonical({ a: { z: 1, y: 2 } })).to.equal(false);
    expect(isStringifyCanonical({ '1': 1 })).to.equal(false);
    expect(isStringifyCanonical({ a: Number.NaN })).to.equal(false);
    expect(isStringifyCanonical({ a: new Uint8Array(1) })).to.equal(false);
    expect(isStringifyCanonical({ a: new Date(0) })).to.equal(false);
    expect(isStringifyCanonical({ a: () => 1 })).to.equal(false);
    let deep: unknown = 1;
    for (let i = 0; i < 70; i++) deep = [deep];
    expect(isStringifyCanonical(deep)).to.equal(false);
  });
});

describe('isStringifyCanonical on huge shared graphs', () => {
  it('answers false quickly for a DAG with 2^40 paths', () => {
    let shared: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 40; i++) shared = { a: shared, b: shared };
    expect(isStringifyCanonical({ dag: shared })).to.equal(false);
  });
});
