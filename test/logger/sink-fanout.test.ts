import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { LogRecordProcessor, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import { AuditDiagnostics } from '../../src/events/diagnostics.js';
import { FANOUT_FAILURE, SinkFanout } from '../../src/logger/sink-fanout.js';

/** A sink whose flush and shutdown never settle (a custom sink stuck on a dead peer). */
class HangingSink implements LogRecordProcessor {
  onEmit(): void {}
  forceFlush(): Promise<void> {
    return new Promise(() => undefined);
  }
  shutdown(): Promise<void> {
    return new Promise(() => undefined);
  }
}

/** A sink that records what happened to it; `fail` makes every call throw. */
class RecordingSink implements LogRecordProcessor {
  emitted = 0;
  flushed = 0;
  shut = false;
  constructor(private readonly fail = false) {}
  onEmit(): void {
    if (this.fail) throw new Error('emit broke');
    this.emitted++;
  }
  async forceFlush(): Promise<void> {
    if (this.fail) throw new Error('flush broke');
    this.flushed++;
  }
  async shutdown(): Promise<void> {
    if (this.fail) throw new Error('shutdown broke');
    this.shut = true;
  }
}

describe('SinkFanout', () => {
  it('forwards each record to every sink; a throwing sink is counted and the others still get it', () => {
    const diagnostics = new AuditDiagnostics();
    const fanout = new SinkFanout(diagnostics);
    const good = new RecordingSink();
    fanout.add(new RecordingSink(true));
    fanout.add(good);
    expect(() => fanout.onEmit({} as ReadWriteLogRecord)).to.not.throw();
    expect(good.emitted).to.equal(1);
    expect(diagnostics.total(FANOUT_FAILURE.emit)).to.equal(1);
  });

  it('does not let a hanging sink hang flush or shutdown: waits at most the limit, counts it, finishes the others', async () => {
    const diagnostics = new AuditDiagnostics();
    const fanout = new SinkFanout(diagnostics, 200);
    const good = new RecordingSink();
    fanout.add(new HangingSink());
    fanout.add(good);
    const t0 = Date.now();
    await fanout.forceFlush();
    await fanout.shutdown();
    const elapsed = Date.now() - t0;
    expect(elapsed).to.be.within(350, 5_000);
    expect(good.flushed).to.equal(1);
    expect(good.shut).to.equal(true);
    expect(diagnostics.total(FANOUT_FAILURE.flush)).to.equal(1);
    expect(diagnostics.total(FANOUT_FAILURE.shutdown)).to.equal(1);
    expect(diagnostics.snapshot().find((f) => f.kind === FANOUT_FAILURE.shutdown)?.lastDetail).to.equal(
      'sink HangingSink did not finish within 200 ms; not waited for any longer',
    );
  });

  it('keeps a process with nothing else to do alive until the limit, so the awaiting caller goes on and the stall is counted', async () => {
    // in a process of its own: nothing but the fanout's wait keeps its event loop running
    const script = `
      const { SinkFanout } = await import(${JSON.stringify(new URL('../../src/logger/sink-fanout.js', import.meta.url).href)});
      const { AuditDiagnostics } = await import(${JSON.stringify(new URL('../../src/events/diagnostics.js', import.meta.url).href)});
      const diagnostics = new AuditDiagnostics();
      const fanout = new SinkFanout(diagnostics, 200);
      const never = () => new Promise(() => undefined);
      fanout.add({ onEmit() {}, forceFlush: never, shutdown: never });
      await fanout.forceFlush();
      await fanout.shutdown();
      console.log('went on', diagnostics.total('sink.flush'), diagnostics.total('sink.shutdown'));
    `;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
      timeout: 5000,
    });
    expect(stdout.trim()).to.equal('went on 1 1');
  });

  it('counts failing flushes and shutdowns without throwing, and refuses sinks after shutdown', async () => {
    const diagnostics = new AuditDiagnostics();
    const fanout = new SinkFanout(diagnostics);
    fanout.add(new RecordingSink(true));
    await fanout.forceFlush();
    await fanout.shutdown();
    expect(diagnostics.total(FANOUT_FAILURE.flush)).to.equal(1);
    expect(diagnostics.total(FANOUT_FAILURE.shutdown)).to.equal(1);
    expect(() => fanout.add(new RecordingSink())).to.throw(/shut down/);
  });
});
