import { expect } from 'chai';
import { ALERT_DEFAULTS } from '../../src/alerts/alert-config.js';
import { resolveThresholds } from '../../src/alerts/alert-config.js';

describe('alert configuration numbers', () => {
  it('falls back to the defaults for out-of-range numbers', () => {
    expect(
      resolveThresholds({ errorThreshold: 0, windowSeconds: -1, cooldownSeconds: Number.NaN, timeoutMs: 0 }),
    ).to.deep.equal(ALERT_DEFAULTS);
    expect(
      resolveThresholds({ errorThreshold: 2.7, windowSeconds: 1, cooldownSeconds: 0, timeoutMs: 2_147_483_647 }),
    ).to.deep.equal({
      errorThreshold: 2,
      windowSeconds: 1,
      cooldownSeconds: 0,
      timeoutMs: 2_147_483_647,
    });
  });

  it('treats a timeoutMs beyond the timer limit (2^31-1 ms) as out of range, not as 1 ms', () => {
    // Node.js fires a longer timer after 1 ms: every delivery would fail as 'timed out'
    expect(resolveThresholds({ timeoutMs: 1e10 }).timeoutMs).to.equal(ALERT_DEFAULTS.timeoutMs);
    expect(resolveThresholds({ timeoutMs: 2_147_483_648 }).timeoutMs).to.equal(ALERT_DEFAULTS.timeoutMs);
  });
});
