/**
 * A short run of the journal fault-injection soak (bench/soak): ~20 s of a writer process on a
 * 32 MiB tmpfs, SIGKILLed 4 times and restarted on the same journal, with one ENOSPC episode that
 * overflows its buffer. Afterwards the journal must verify with nothing but crash-recovered
 * streams and accounted loss, every kill within the flush-interval bound, and the disk-full
 * episode declared in a loss record. Needs root (tmpfs); a refused mount fails.
 */
import { expect } from 'chai';
import { runSoak } from '../../bench/soak/journal-soak.js';
import { tempDir } from './helpers.js';

describe('journal fault-injection soak (short)', function () {
  this.timeout(60_000);

  it('4 kill -9s and a disk-full episode: only recovered streams and accounted loss, each kill within its bound', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const f = await runSoak({
        dir,
        durationMs: 20_000,
        rate: 4000,
        kills: 4,
        enospcEpisodes: 1,
        enospcMs: 1500,
        tmpfsMiB: 32,
        flushIntervalMs: 200,
        maxBufferBytes: 256 * 1024,
      });
      expect(f.failures, f.report.summary).to.deep.equal([]);
      expect(f.kills).to.have.length(4);
      expect(f.report.streamStatuses).to.deep.equal(['recovered', 'recovered', 'recovered', 'recovered', 'clean']);
      expect(f.enospcEpisodes).to.equal(1);
      expect(f.lossRecords, 'the disk-full episode overflowed the 256 KiB buffer and was declared').to.be.greaterThan(
        0,
      );
      expect(f.report.exitCode).to.equal(4);
      expect(Object.keys(f.report.countsByClass)).to.deep.equal(['accounted-loss']);
    } finally {
      await cleanup();
    }
  });
});
