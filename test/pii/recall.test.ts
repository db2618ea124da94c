import { expect } from 'chai';
import { formatRecall, measureRecall } from './recall.js';

describe('PII detectors: recall and collateral on the seeded faker corpus', () => {
  it('catch ≥ 95 % of the labelled values (≥ 85 % of phone numbers) and alter ≤ 1 % of PII-free log lines', () => {
    const report = measureRecall();
    console.log(formatRecall(report).replace(/^/gm, '      '));
    const phone = report.perKind.get('phone');
    expect(phone?.total, 'phone texts in the corpus').to.be.greaterThan(300);
    expect(report.caught / report.total, 'overall recall').to.be.at.least(0.95);
    expect((phone?.caught ?? 0) / (phone?.total ?? 1), 'phone recall').to.be.at.least(0.85);
    expect(report.altered.length / report.clean, `collateral: ${report.altered.slice(0, 5).join(' / ')}`).to.be.at.most(
      0.01,
    );
  });
});
