import { expect } from 'chai';
import { backoffDelayMs, isRetryableStatus, retryAfterMs } from '../../src/sinks/webhooks/backoff.js';

describe('webhook retry timing', () => {
  it('grows exponentially with full jitter up to the cap', () => {
    expect(backoffDelayMs(1, 250, 30_000, () => 0.999)).to.equal(249);
    expect(backoffDelayMs(3, 250, 30_000, () => 0.999)).to.equal(999);
    expect(backoffDelayMs(20, 250, 30_000, () => 0.999)).to.equal(29_970);
    expect(backoffDelayMs(4, 250, 30_000, () => 0)).to.equal(0);
  });

  it('parses Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-03-02T10:00:00Z');
    expect(retryAfterMs('2', now)).to.equal(2000);
    expect(retryAfterMs(' 0.5 ', now)).to.equal(500);
    expect(retryAfterMs('Mon, 02 Mar 2026 10:00:30 GMT', now)).to.equal(30_000);
    expect(retryAfterMs('Mon, 02 Mar 2026 09:00:00 GMT', now)).to.equal(0);
    expect(retryAfterMs('soon', now)).to.equal(undefined);
    expect(retryAfterMs(null, now)).to.equal(undefined);
  });

  it('retries 408, 429 and 5xx only', () => {
    expect([408, 429, 500, 502, 503].every(isRetryableStatus)).to.equal(true);
    expect([400, 401, 403, 404, 413, 301].some(isRetryableStatus)).to.equal(false);
  });
});
