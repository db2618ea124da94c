import { expect } from 'chai';
import fc from 'fast-check';
import type { AnyValueMap, LogBody } from '@opentelemetry/api-logs';
import {
  InMemoryLogRecordExporter,
  LoggerProvider,
  SimpleLogRecordProcessor,
  type ReadableLogRecord,
} from '@opentelemetry/sdk-logs';
import { AuditDiagnostics } from '../../src/events/diagnostics.js';
import { PiiAnonymizingProcessor, type PiiAnonymizingOptions } from '../../src/processors/pii/pii-processor.js';
import { pseudonymize } from '../../src/processors/pii/replacement.js';
import { type PiiMode } from '../../src/processors/pii/types.js';
import { luhnInvalidNumber, nested, nonPii, piiSample, plainKey, stringsIn } from './generators.js';

const MODES: readonly PiiMode[] = ['redact', 'mask', 'pseudonymize'];
const KEY = 'test-pseudonym-key';

interface Pipeline {
  readonly provider: LoggerProvider;
  readonly exporter: InMemoryLogRecordExporter;
}
const pipelines = new Map<string, Pipeline>();

/**
 * Emits one record through a real provider [PII processor, Simple(InMemory)] built once per
 * option set, and returns the exported record.
 */
function through(options: PiiAnonymizingOptions, attributes: AnyValueMap, body: LogBody): ReadableLogRecord {
  const id = JSON.stringify(options);
  let pipeline = pipelines.get(id);
  if (!pipeline) {
    const exporter = new InMemoryLogRecordExporter();
    const provider = new LoggerProvider({
      processors: [
        new PiiAnonymizingProcessor({ diagnostics: new AuditDiagnostics(), ...options }),
        new SimpleLogRecordProcessor({ exporter }),
      ],
    });
    pipeline = { provider, exporter };
    pipelines.set(id, pipeline);
  }
  pipeline.exporter.reset();
  pipeline.provider.getLogger('pii-test').emit({ eventName: 'orchestrator.lead.ingested', attributes, body });
  const [record] = pipeline.exporter.getFinishedLogRecords();
  if (!record) throw new Error('no record exported');
  return record;
}

after(async () => {
  for (const p of pipelines.values()) await p.provider.shutdown();
  pipelines.clear();
});

/** Every container (object or array) inside `value`, root first. */
function containers(
  value: unknown,
  out: (unknown[] | Record<string, unknown>)[] = [],
): (unknown[] | Record<string, unknown>)[] {
  if (Array.isArray(value)) {
    out.push(value);
    for (const v of value) containers(v, out);
  } else if (value !== null && typeof value === 'object') {
    out.push(value as Record<string, unknown>);
    for (const v of Object.values(value)) containers(v, out);
  }
  return out;
}

const placement = fc.record({
  sample: piiSample,
  pre: fc.string({ maxLength: 6 }),
  post: fc.string({ maxLength: 6 }),
  bare: fc.boolean(),
  where: fc.nat(),
  inBody: fc.boolean(),
  key: plainKey,
});

describe('PII processor: generated PII never reaches an exported record', () => {
  for (const mode of MODES) {
    it(`${mode}: PII anywhere in attributes, nested data and body is replaced`, () => {
      fc.assert(
        fc.property(
          nested(fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.boolean(), fc.constant(null))),
          fc.array(placement, { minLength: 1, maxLength: 4 }),
          (tree, placements) => {
            const attributes: Record<string, unknown> = {
              'orchestrator.lead.id': 'LEAD-000001',
              'orchestrator.lead.data': tree,
            };
            const bodyParts: string[] = ['Lead LEAD-000001'];
            for (const p of placements) {
              const text = p.bare ? p.sample.value : `${p.pre} | ${p.sample.value} | ${p.post}`;
              if (p.inBody) {
                bodyParts.push(text);
                continue;
              }
              const all = containers(attributes);
              const target = all[p.where % all.length] as unknown[] | Record<string, unknown>;
              if (Array.isArray(target)) target.splice(p.where % (target.length + 1), 0, text);
              else target[`${p.key}${p.where % 7}`] = text;
            }
            const record = through({ mode, key: KEY }, attributes as AnyValueMap, bodyParts.join(' | '));
            const strings = stringsIn({ attributes: record.attributes, body: record.body });
            for (const p of placements) {
              const leaked = strings.find((s) => s.includes(p.sample.value));
              expect(leaked, `${p.sample.kind} ${JSON.stringify(p.sample.value)} leaked`).to.equal(undefined);
            }
            expect(record.attributes['orchestrator.lead.id']).to.equal('LEAD-000001');
          },
        ),
        { numRuns: 200 },
      );
    });
  }

  it('replaces the values of PII field names whatever their content, at any depth and in dotted keys', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(
          'name',
          'first_name',
          'lastName',
          'Full-Name',
          'address',
          'x.email',
          'orchestrator.email.recipient',
        ),
        fc.string({ minLength: 2, maxLength: 20 }).filter((s) => s.trim().length > 1),
        (field, value) => {
          const record = through(
            { mode: 'redact' },
            { [field]: value, 'orchestrator.lead.data': { deep: [{ [field]: value }] } },
            'body',
          );
          expect(record.attributes[field]).to.match(/^\[REDACTED:[a-z0-9]+\]$/);
          const data = record.attributes['orchestrator.lead.data'] as { deep: Record<string, unknown>[] };
          expect(data.deep[0]?.[field]).to.match(/^\[REDACTED:[a-z0-9]+\]$/);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('PII processor: non-PII survives unchanged', () => {
  for (const mode of MODES) {
    it(`${mode}: lead ids, ISO timestamps, amounts, UUIDs, workflow names and Luhn-invalid numbers`, () => {
      fc.assert(
        fc.property(nested(nonPii), fc.array(nonPii, { maxLength: 6 }), plainKey, (tree, words, key) => {
          const sentence = words.map(String).join(', ');
          const attributes = {
            'orchestrator.workflow': 'inbound-sales',
            [key]: sentence,
            'orchestrator.lead.data': tree,
          } as AnyValueMap;
          const expected = structuredClone(attributes);
          const record = through({ mode, key: KEY }, attributes, `Lead ${sentence} done`);
          expect(record.attributes).to.deep.equal(expected);
          expect(record.body).to.equal(`Lead ${sentence} done`);
        }),
        { numRuns: 200 },
      );
    });
  }

  it('does not treat Luhn-invalid 16-digit numbers as cards', () => {
    fc.assert(
      fc.property(luhnInvalidNumber, (n) => {
        expect(through({}, { note: `ref ${n}` }, n).body).to.equal(n);
      }),
      { numRuns: 200 },
    );
  });
});

describe('PII processor: pseudonyms', () => {
  it('are stable for the same normalized value and key, differ across keys, and match pseudonymize()', () => {
    fc.assert(
      fc.property(piiSample, (sample) => {
        const a = through({ mode: 'pseudonymize', key: KEY }, { note: sample.value }, 'x').attributes['note'];
        const b = through({ mode: 'pseudonymize', key: KEY }, { note: ` ${sample.value} ` }, 'x').attributes['note'];
        const other = through({ mode: 'pseudonymize', key: 'another-key' }, { note: sample.value }, 'x').attributes[
          'note'
        ];
        expect(a).to.match(new RegExp(`^pii:${sample.kind}:[0-9a-f]{16}$`));
        expect(b).to.equal(` ${a as string} `);
        expect(other).to.not.equal(a);
        expect(pseudonymize(sample.value, KEY)).to.equal(a);
        expect(pseudonymize(sample.value, KEY, sample.kind)).to.equal(a);
      }),
      { numRuns: 200 },
    );
  });

  it('normalize e-mail case and phone/card formatting', () => {
    expect(pseudonymize(' Jane.Doe@Example.COM ', KEY)).to.equal(pseudonymize('jane.doe@example.com', KEY));
    expect(pseudonymize('+1 415-555-0100', KEY, 'phone')).to.equal(pseudonymize('+1 (415) 555 0100', KEY));
    expect(pseudonymize('4242 4242 4242 4242', KEY)).to.equal(pseudonymize('4242-4242-4242-4242', KEY));
  });
});
