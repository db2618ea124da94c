import { expect } from 'chai';
import { createPiiProcessor, LabelMemo } from '../../src/logger/pii-adapter.js';
import type { PiiAnonymizingProcessor } from '../../src/processors/pii/pii-processor.js';

/** An anonymizing adapter whose processor counts the texts it is asked to anonymize. */
function countingAdapter(): { text: (value: string) => string; scans: () => number } {
  const adapter = createPiiProcessor();
  adapter.setAnonymizing(true);
  const processor = adapter.processor as PiiAnonymizingProcessor;
  const anonymizeText = processor.anonymizeText.bind(processor);
  let scans = 0;
  processor.anonymizeText = (text: string, isPiiField?: boolean): string => {
    scans++;
    return anonymizeText(text, isPiiField);
  };
  return { text: (value) => adapter.text(value), scans: () => scans };
}

describe('PII adapter: remembered labels', () => {
  it('keeps recurring labels (event types, workflows, sources) through a stream of unique lead ids', () => {
    const pii = countingAdapter();
    const labels = ['lead_ingested', 'inbound-sales', 'web_form', 'sync carol@example.com'];
    const cleaned = ['lead_ingested', 'inbound-sales', 'web_form', 'sync [REDACTED:email]'];
    for (let use = 0; use < 2; use++) expect(labels.map((l) => pii.text(l))).to.deep.equal(cleaned);
    for (let i = 0; i < 20_000; i++) pii.text(`LEAD-${String(i).padStart(8, '0')}`);
    const before = pii.scans();
    expect(labels.map((l) => pii.text(l))).to.deep.equal(cleaned);
    expect(pii.scans() - before, 'labels anonymized again').to.equal(0);
  });

  it('anonymizes each recurring label at most twice while unique ids stream past it', () => {
    const pii = countingAdapter();
    const labels = ['lead_ingested', 'inbound-sales', 'web_form'];
    // every helper call passes the same labels and a new lead id through the adapter
    for (let i = 0; i < 20_000; i++) {
      for (const label of labels) pii.text(label);
      pii.text(`LEAD-${String(i).padStart(8, '0')}`);
    }
    expect(pii.scans()).to.equal(20_000 + 2 * labels.length);
  });

  it('anonymizes a text the same way on its first, second and later uses, long ones too', () => {
    const pii = countingAdapter();
    for (let i = 0; i < 3; i++) expect(pii.text('call +44 20 7946 0958')).to.equal('call [REDACTED:phone]');
    const long = `${'x'.repeat(300)} jane@example.com`;
    for (let i = 0; i < 3; i++) expect(pii.text(long)).to.equal(`${'x'.repeat(300)} [REDACTED:email]`);
  });

  it('stays bounded: texts seen once are not remembered, recurring ones up to the limit', () => {
    const memo = new LabelMemo(8);
    for (let i = 0; i < 1000; i++) memo.note(`id-${i}`, `id-${i}`);
    expect(memo.size).to.equal(0);
    for (let i = 0; i < 20; i++) for (let use = 0; use < 2; use++) memo.note(`label-${i}`, `label-${i}`);
    expect(memo.size).to.be.within(1, 8);
    expect(memo.get('label-19')).to.equal('label-19');
  });
});
