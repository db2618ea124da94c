/**
 * The progress bar of long scans: drawn on stderr when stdout and stderr are terminals, never
 * otherwise, and never mixed into stdout.
 */
import { expect } from 'chai';
import path from 'node:path';
import { BufferOutput } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/run.js';
import { tempDir, writeFixtureJournal } from './fixture.js';

describe('audit-cli progress bar', function () {
  this.timeout(30000);
  let cleanup: () => Promise<void>;
  let file: string;
  let total: number;

  before(async () => {
    const t = await tempDir();
    cleanup = t.cleanup;
    file = path.join(t.dir, 'audit.log');
    // > 1 MiB of journal on disk (one plain file): the size from which a bar is shown
    total = (await writeFixtureJournal(file, { leads: 800, spacingMinutes: 1, maxFileSizeMb: 50 })).totalEvents;
  });
  after(() => cleanup());

  async function run(stdoutTTY: boolean, stderrTTY: boolean): Promise<{ code: number; out: string; err: string }> {
    const stdout = new BufferOutput(stdoutTTY, 100);
    const stderr = new BufferOutput(stderrTTY, 100);
    const code = await runCli(['--file', file, 'stats', '--json'], { stdout, stderr, env: {} });
    return { code, out: stdout.text(), err: stderr.text() };
  }

  it('is drawn on stderr on a terminal, and stdout stays clean JSON', async () => {
    const r = await run(true, true);
    expect(r.code).to.equal(0);
    expect(JSON.parse(r.out).totalEvents).to.equal(total);
    expect(r.err).to.contain('Scanning [').and.to.contain('MiB');
  });

  it('is not drawn when stdout or stderr is not a terminal', async () => {
    for (const [o, e] of [
      [false, true],
      [true, false],
      [false, false],
    ] as const) {
      const r = await run(o, e);
      expect(r.code).to.equal(0);
      expect(r.err, `stdout tty ${o}, stderr tty ${e}`).to.equal('');
      expect(JSON.parse(r.out).totalEvents).to.equal(total);
    }
  });
});
