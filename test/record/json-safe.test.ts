/**
 * One JSON-safe walker: a value gets the same signed form (same conversions, same markers) whether
 * it entered through an AuditLogger helper (input sanitizer) or was emitted by other OTel code
 * straight into the pipeline (record content of the signer).
 */
import { expect } from 'chai';
import { JSON_SAFE_MARKER, toJsonSafe } from '../../src/record/json-safe.js';
import { contentOf, testAudit } from '../logger/fixture.js';

/** A value with everything JSON cannot carry as it is. */
function oddValue(): Record<string, unknown> {
  const value: Record<string, unknown> = {
    bytes: new Uint8Array([1, 2, 255]),
    buffer: Buffer.from('hi'),
    when: new Date(0),
    big: 10n,
    nan: Number.NaN,
    fn: function named(): void {},
    map: new Map<unknown, unknown>([
      ['a', 1],
      [2, 'two'],
    ]),
    set: new Set([1, 2]),
    error: new RangeError('out of range'),
    list: [1, undefined, 'x'],
  };
  value.self = value;
  return value;
}

describe('one JSON-safe walker for helpers and the signer', () => {
  it('gives a value the same form through a helper and through a direct emit', async () => {
    const t = testAudit();
    try {
      const value = oddValue();
      t.audit.logLeadIngested('LEAD-1', 'form', value, 'sales');
      t.audit.loggerProvider.getLogger('other-code').emit({ body: value as never });
      const [viaHelper, direct] = (await t.records()).map(contentOf);
      const sanitized = (viaHelper?.attrs as Record<string, unknown>)['orchestrator.lead.data'] as Record<
        string,
        unknown
      >;
      const signed = direct?.body as Record<string, unknown>;
      expect(signed).to.deep.equal(sanitized);
      expect(signed.bytes).to.equal(JSON_SAFE_MARKER.bytes + 'AQL/');
      expect(signed.self).to.equal(JSON_SAFE_MARKER.circular);
      expect(signed.map).to.deep.equal({ a: 1, '2': 'two' });
      expect(signed.error).to.include({ name: 'RangeError', message: 'out of range' });
    } finally {
      await t.close();
    }
  });

  it('keeps no state between walks: each call gets its whole node budget', () => {
    let shared: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 40; i++) shared = { a: shared, b: shared };
    const limits = { maxDepth: 64, maxStringLength: Infinity, maxItems: Infinity, maxBytes: Infinity, maxNodes: 100 };
    const first = toJsonSafe({ dag: shared }, { limits, sortKeys: true });
    expect(first.issues).to.include('too-large');
    // a walk started from inside another one (a getter) does not spend or reset the outer budget
    let inner: ReturnType<typeof toJsonSafe> | undefined;
    const outer = toJsonSafe(
      {
        get reentrant(): number {
          inner = toJsonSafe({ dag: shared }, { limits, sortKeys: true });
          return 1;
        },
        dag: shared,
      },
      { limits, sortKeys: true },
    );
    expect(JSON.stringify(inner?.value)).to.equal(JSON.stringify(first.value));
    expect(JSON.stringify((outer.value as Record<string, unknown>).dag)).to.equal(
      JSON.stringify((first.value as Record<string, unknown>).dag),
    );
  });
});
