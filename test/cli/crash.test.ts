/**
 * A writer killed with SIGKILL, then restarted: while only the crashed stream exists, integrity
 * reports it as ended without closing (exit 2, not tampering); after the restart, whose first record links
 * to the crashed stream's last record, the journal verifies without false alarm.
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { emit } from '../journal/helpers.js';
import { cli, FIXTURE_ENV, signedPipeline, tempDir } from './fixture.js';

const WRITER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'crash-writer.js');

/** Starts the writer, waits until it wrote, lets it write a little more, and kills it. */
async function crashWriter(file: string): Promise<void> {
  const child = spawn(process.execPath, [WRITER, file], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('writer not ready within 10 s')), 10000);
      child.stdout.on('data', (d: Buffer) => {
        if (d.toString().includes('ready')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => reject(new Error(`writer exited early with ${code}`)));
    });
    await new Promise((r) => setTimeout(r, 300));
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }
}

describe('audit-cli integrity after a crash and a restart', function () {
  this.timeout(30000);
  let dir: string;
  let cleanup: () => Promise<void>;

  before(async () => ({ dir, cleanup } = await tempDir()));
  after(() => cleanup());

  it('unsealed (exit 2) after the crash, clean without false alarm after the restart', async () => {
    const file = path.join(dir, 'audit.log');
    await crashWriter(file);
    const crashed = await cli(['--file', file, 'integrity', '--json'], FIXTURE_ENV);
    expect(crashed.code, crashed.stdout).to.equal(2);
    // the writer is gone (its lock names a dead pid): its stream ended without closing
    expect(Object.keys(JSON.parse(crashed.stdout).countsByClass)).to.deep.equal(['unclosed']);

    const p = signedPipeline(file);
    emit(p.logger, { type: 'workflow_started' });
    await p.close();
    const after = await cli(['--file', file, 'integrity', '--json'], FIXTURE_ENV);
    const s = JSON.parse(after.stdout);
    expect(s.streams).to.have.length(2);
    expect(s.streams[1].previous).to.include({ stream: s.streams[0].stream, found: true, matches: true });
    expect(s.countsByClass).to.not.have.any.keys(
      'modified',
      'missing',
      'inserted',
      'reordered',
      'malformed',
      'unknown-key',
      'unsigned',
    );
    expect(after.code, after.stdout).to.equal(0);
    expect(s.streams[0].status).to.equal('recovered');
  });
});
