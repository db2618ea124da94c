import { expect } from 'chai';
import fc from 'fast-check';
import { ErrorWindow } from '../../src/alerts/error-window.js';

/** Naive reference: keep every error time; fire when the window count reaches the threshold outside cooldown. */
function reference(times: number[], threshold: number, windowMs: number, cooldownMs: number): number[] {
  const seen: number[] = [];
  const fired: number[] = [];
  let quietUntil = -Infinity;
  for (const t of times) {
    seen.push(t);
    const inWindow = seen.filter((s) => s > t - windowMs).length;
    if (inWindow >= threshold && t >= quietUntil) {
      fired.push(t);
      quietUntil = t + cooldownMs;
    }
  }
  return fired;
}

describe('ErrorWindow', () => {
  it('fires exactly when the reference model fires (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 5000 }), { maxLength: 120 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 3000 }),
        fc.integer({ min: 0, max: 3000 }),
        (gaps, threshold, windowMs, cooldownMs) => {
          const times: number[] = [];
          let t = 1_000_000;
          for (const g of gaps) times.push((t += g));
          const window = new ErrorWindow({
            errorThreshold: threshold,
            windowSeconds: windowMs / 1000,
            cooldownSeconds: cooldownMs / 1000,
            timeoutMs: 1,
          });
          const fired = times.filter((at) => window.add(at, { ts: '', errorType: 'X', message: '' }) !== undefined);
          expect(fired).to.deep.equal(reference(times, threshold, windowMs, cooldownMs));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps memory bounded under an error storm and still fires', () => {
    const window = new ErrorWindow({ errorThreshold: 10, windowSeconds: 3600, cooldownSeconds: 3600, timeoutMs: 1 });
    let alerts = 0;
    for (let i = 0; i < 50_000; i++) if (window.add(1000 + i, { ts: '', errorType: 'X', message: `m${i}` })) alerts++;
    expect(alerts).to.equal(1);
    expect(window.count(60_000)).to.equal(10_000); // capped at MAX_TRACKED_ERRORS
  });
});

describe('ErrorWindow suppressedSinceLastAlert', () => {
  it('counts every error of the cooldown, also while the window is below the threshold', () => {
    const window = new ErrorWindow({ errorThreshold: 3, windowSeconds: 10, cooldownSeconds: 60, timeoutMs: 1 });
    const err = { ts: '', errorType: 'X', message: '' };
    const fired = [0, 1000, 2000].map((t) => window.add(t, err));
    expect(fired[2]).to.include({ suppressedSinceLastAlert: 0 });
    expect(window.add(30_000, err), 'alone in the window, during the cooldown').to.equal(undefined);
    // the cooldown ends 60 s after the alert (at 62 s); errors after it are not 'suppressed'
    expect(window.add(62_000, err)).to.equal(undefined);
    expect(window.add(63_000, err)).to.equal(undefined);
    const next = window.add(64_000, err);
    expect(next).to.include({ errorCount: 3, suppressedSinceLastAlert: 1 });
    expect(next!.text).to.include('Errors during the previous cooldown: 1');
  });
});

describe('alert title and text size', () => {
  it('names at most 3 workflows in the title and 10 workflows / error types in the text, each clipped', () => {
    const window = new ErrorWindow({ errorThreshold: 200, windowSeconds: 60, cooldownSeconds: 60, timeoutMs: 1 });
    let alert;
    for (let i = 0; i < 200; i++) {
      alert = window.add(1000 + i, {
        ts: 't',
        errorType: `Type${i}-` + 'T'.repeat(250),
        message: 'm',
        leadId: 'L'.repeat(256),
        workflow: `wf${i}-` + 'w'.repeat(250),
      });
    }
    expect(alert, 'fired at the 200th error').to.not.equal(undefined);
    expect(alert!.workflows).to.have.length(200, 'the structured field keeps every workflow');
    expect(alert!.title).to.match(
      /^200 errors in the last 60s \(workflow wf\d+-w+…, wf\d+-w+…, wf\d+-w+…, \+197 more\)$/,
    );
    expect(alert!.title.length).to.be.below(300);
    expect(alert!.text).to.include(', +190 more\n');
    expect(alert!.text.length).to.be.below(4000);
  });
});
