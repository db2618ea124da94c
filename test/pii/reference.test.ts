import { expect } from 'chai';
import type { ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import { AuditDiagnostics } from '../../src/events/diagnostics.js';
import { PiiDetectors } from '../../src/processors/pii/detectors.js';
import { DEFAULT_PII_FIELD_NAMES, PiiFieldMatcher } from '../../src/processors/pii/field-names.js';
import { PiiAnonymizingProcessor } from '../../src/processors/pii/pii-processor.js';
import { PiiReplacer } from '../../src/processors/pii/replacement.js';
import type { PiiMode } from '../../src/processors/pii/types.js';
import { referenceRecords, type ReferenceRecord } from './reference-corpus.js';

const KEY = 'reference-key';

/**
 * The processor's output computed the straightforward way: every string scanned (or classified
 * whole under a PII field) on its own, nothing remembered from one value or record to the next.
 */
class Reference {
  private readonly detectors = new PiiDetectors();
  private readonly fields = new PiiFieldMatcher(DEFAULT_PII_FIELD_NAMES);
  private readonly replacer: PiiReplacer;

  constructor(private readonly mode: PiiMode) {
    this.replacer = new PiiReplacer(mode, KEY);
  }

  record(r: ReferenceRecord): ReferenceRecord {
    const attributes: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(r.attributes)) {
      expect(this.scan(key), 'keys of the corpus hold no PII').to.equal(key);
      attributes[key] = this.value(value, this.fields.matches(key));
    }
    return { attributes, body: this.value(r.body, false) };
  }

  private value(value: unknown, pii: boolean): unknown {
    if (typeof value === 'string') return pii ? this.whole(value) : this.scan(value);
    if (typeof value === 'number') return pii ? this.whole(String(value)) : value;
    if (Array.isArray(value)) return value.map((v) => this.value(v, pii));
    if (value !== null && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, member] of Object.entries(value)) out[key] = this.value(member, pii || this.fields.matches(key));
      return out;
    }
    return value;
  }

  private whole(text: string): string {
    if (text.length === 0) return text;
    const kind = this.detectors.classify(text) ?? 'field';
    return this.replacer.replace(kind === 'field' || this.mode === 'redact' ? text : text.trim(), kind);
  }

  private scan(text: string): string {
    let out = '';
    let at = 0;
    for (const m of this.detectors.find(text) ?? []) {
      out += text.slice(at, m.start) + this.replacer.replace(text.slice(m.start, m.end), m.kind);
      at = m.end;
    }
    return out + text.slice(at);
  }
}

/** A record as the processor sees it (attributes and body held directly, setters write them). */
function logOf(r: ReferenceRecord): ReadWriteLogRecord {
  const log = {
    eventName: 'orchestrator.lead.ingested',
    attributes: structuredClone(r.attributes),
    body: structuredClone(r.body),
    setAttribute(key: string, value: unknown) {
      log.attributes[key] = value;
      return log;
    },
    setBody(body: unknown) {
      log.body = body;
      return log;
    },
    setEventName() {
      throw new Error('the event name holds no PII');
    },
  };
  return log as unknown as ReadWriteLogRecord;
}

describe('PII processor: the same output as a straightforward reference', () => {
  const records = referenceRecords(3000, 5);

  for (const mode of ['redact', 'mask', 'pseudonymize'] as const) {
    it(`${mode}: over a varied corpus, record after record (what is remembered never changes an answer)`, () => {
      const diagnostics = new AuditDiagnostics();
      const processor = new PiiAnonymizingProcessor({ mode, key: KEY, diagnostics });
      const reference = new Reference(mode);
      let changed = 0;
      records.forEach((r, i) => {
        const log = logOf(r);
        processor.onEmit(log);
        const expected = reference.record(r);
        const got = { attributes: log.attributes, body: log.body };
        if (JSON.stringify(got) !== JSON.stringify(r)) changed++;
        expect(got, `record ${i}`).to.deep.equal(expected);
      });
      expect(diagnostics.snapshot().map((f) => f.kind)).to.not.include('pii.failure');
      // the corpus holds PII in most records (the comparison is not between untouched records)
      expect(changed).to.be.greaterThan(records.length / 2);
    });
  }
});
