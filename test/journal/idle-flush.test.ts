/**
 * The journal's flush timer at a low, bursty rate, with kill -9. A writer process emits 50 events/s
 * in bursts every 500 ms, idle in between, and is SIGKILLed 300 ms after a burst (three flush
 * intervals later, before the next burst); three times, restarted on the same journal. Between two
 * bursts nothing but the timer writes the buffer (no append, no size limit, no seal), so every
 * record the writer reported more than the flush interval (+50 ms) before the kill — bounded from
 * the writer's own tick reports, like the soak — is on disk only if the timer fired after each
 * burst, again and again in one process. (The soak's 4,000 events/s fill the buffer every ~125 ms:
 * there the size limit writes, not the timer.)
 */
import { expect } from 'chai';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mustHaveSeq, type TickReport } from '../../bench/soak/kill-bound.js';
import { spawnTickWriter, type TickWriter } from '../../bench/soak/tick-writer.js';
import { ChainVerifier } from '../../src/entry/verify.js';
import { readJournal } from '../../src/sinks/journal/reader.js';
import { killChild, tempDir, TEST_KEYS, waitFor } from './helpers.js';

const PACED_WRITER = fileURLToPath(new URL('./fixtures/paced-writer.js', import.meta.url));
const FLUSH_MS = 100;
const RATE = 50;
const BURST_MS = 500;
const PER_BURST = (RATE * BURST_MS) / 1000;
const KILL_AFTER_BURST_MS = 300;
const TICK_MS = 20;

function startPaced(auditFile: string): TickWriter {
  return spawnTickWriter(PACED_WRITER, [auditFile, String(RATE), String(BURST_MS), String(FLUSH_MS)]);
}

const lastSeqOf = (w: TickWriter): number => w.reports.at(-1)?.[0] ?? 0;

describe('journal flush timer at a low rate (SIGKILLed writer)', function () {
  this.timeout(30_000);
  let dir: string;
  let cleanup: () => Promise<void>;
  let writer: TickWriter | undefined;
  beforeEach(async () => ({ dir, cleanup } = await tempDir()));
  afterEach(async () => {
    if (writer) await killChild(writer.child);
    writer = undefined;
    await cleanup();
  });

  it('50 events/s in bursts, killed between bursts 3 times: every record emitted more than the flush interval before each kill is on disk', async () => {
    const auditFile = path.join(dir, 'audit.log');
    const killed: { stream: string; reports: readonly TickReport[]; at: number }[] = [];
    for (let k = 0; k < 3; k++) {
      const w = (writer = startPaced(auditFile));
      await waitFor(() => lastSeqOf(w) >= 2 * PER_BURST, 10_000);
      const seen = lastSeqOf(w);
      await waitFor(() => lastSeqOf(w) > seen, 5_000);
      await new Promise((r) => setTimeout(r, KILL_AFTER_BURST_MS));
      const at = Date.now();
      w.child.kill('SIGKILL');
      await w.exited;
      writer = undefined;
      killed.push({ stream: w.stream, reports: w.reports, at });
    }

    const onDisk = new Map<string, number>();
    const verifier = new ChainVerifier(TEST_KEYS);
    for await (const e of readJournal(auditFile)) {
      verifier.pushLine(e.line, e.location, e.torn);
      if (e.decoded.ok) {
        const { stream, seq } = e.decoded.record.rec;
        onDisk.set(stream, Math.max(onDisk.get(stream) ?? 0, seq));
      }
    }
    const figures = killed.map(({ stream, reports, at }) => ({
      stream,
      mustHave: mustHaveSeq(reports, at, { flushIntervalMs: FLUSH_MS, tickMs: TICK_MS }),
      lastReported: reports.filter(([, t]) => t <= at).at(-1)?.[0] ?? 0,
      lastOnDisk: onDisk.get(stream) ?? 0,
    }));
    const text = JSON.stringify(figures);
    for (const f of figures) {
      expect(f.mustHave, `the bound covers records (${text})`).to.be.at.least(2 * PER_BURST);
      expect(
        f.lastOnDisk,
        `seq ${f.mustHave} of ${f.stream} was emitted more than ${FLUSH_MS} ms before the kill (${text})`,
      ).to.be.at.least(f.mustHave);
    }
    // The kill came after the timer's turn for the last burst; unless the writer was starved of CPU
    // right then, that burst is in the bound, and only the timer could have written it.
    expect(
      figures.filter((f) => f.mustHave === f.lastReported).length,
      `kills whose bound includes the last burst (${text})`,
    ).to.be.at.least(1);
    const report = verifier.finish();
    expect(report.status, report.summary).to.not.equal('tampered');
    expect(
      report.streams.slice(0, -1).map((s) => s.status),
      report.summary,
    ).to.deep.equal(['recovered', 'recovered']);
  });
});
