import { expect } from 'chai';
import { PiiDetectors } from '../../src/processors/pii/index.js';

const detectors = new PiiDetectors();
const kinds = (s: string): string[] => (detectors.find(s) ?? []).map((m) => `${m.kind}:${s.slice(m.start, m.end)}`);

describe('PII detectors: number edge cases', () => {
  it('a run led by "(+" is scanned once (it used to loop forever) and read as an international number', () => {
    expect(kinds('(+49) 30 1234567')).to.deep.equal(['phone:(+49) 30 1234567']);
    expect(kinds('call (+44) 20 7946 0958 now')).to.deep.equal(['phone:(+44) 20 7946 0958']);
    expect(kinds('(+1. 9631804')).to.deep.equal(['phone:(+1. 9631804']);
    expect(kinds('x(+49) 30 1234567')).to.deep.equal([]);
    expect(kinds('(+12')).to.deep.equal([]);
    expect(detectors.classify(' (+49) 30 1234567 ')).to.equal('phone');
  });
});
