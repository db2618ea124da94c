/**
 * How the verifier judges the end of a stream depending on what it knows of the writer
 * (`writerRunning`): the stream being written may end anywhere, every other stream must end with
 * its shutdown seal or be continued by a restart.
 */
import { expect } from 'chai';
import { pipeline, type Pipeline } from '../signing/helpers.js';
import { brief, recOf, verifyLines } from './helpers.js';

describe('stream ends: live or unclosed, by what is known of the writer', () => {
  const open: Pipeline[] = [];
  afterEach(async () => {
    for (const p of open.splice(0)) await p.provider.shutdown().catch(() => undefined);
  });

  /** Six records with a seal after every three: r r r S r r r S, no shutdown seal (still running). */
  async function running(): Promise<string[]> {
    const p = pipeline({ sealEveryRecords: 3 });
    open.push(p);
    p.emitLeads(6);
    await Promise.resolve(); // the periodic seal after the sixth record
    const lines = p.lines();
    expect(lines.map((l) => (recOf(l).event === 'audit.seal' ? 'S' : 'r')).join('')).to.equal('rrrSrrrS');
    return lines;
  }

  it('a stream ending at a periodic seal: live when its writer runs, unclosed when none does, not reported when unknown', async () => {
    const lines = await running();
    const live = verifyLines(lines, { writerRunning: true });
    expect(live).to.include({ status: 'clean', exitCode: 0 });
    expect(live.streams[0]).to.include({ status: 'live', sealed: false });
    const stopped = verifyLines(lines, { writerRunning: false });
    expect(brief(stopped)).to.deep.equal([['unclosed', 'audit.log:8', 8, undefined]]);
    expect(stopped).to.include({ status: 'unsealed', exitCode: 2 });
    expect(stopped.streams[0]).to.include({ status: 'unclosed' });
    expect(verifyLines(lines)).to.include({ exitCode: 0 });
  });

  it('records after the last seal: unsealed-tail for the running writer, unclosed (with the range) for a stopped one', async () => {
    const lines = (await running()).slice(0, 6); // r r r S r r
    expect(brief(verifyLines(lines, { writerRunning: true }))).to.deep.equal([['unsealed-tail', 'audit.log:6', 5, 6]]);
    const stopped = verifyLines(lines, { writerRunning: false });
    expect(brief(stopped)).to.deep.equal([['unclosed', 'audit.log:6', 5, 6]]);
    expect(stopped.records?.slice(4).map((r) => r.class)).to.deep.equal(['unsealed-tail', 'unsealed-tail']);
  });

  it('only the newest stream counts as live: an older stream without a shutdown seal and without a restart link is unclosed', async () => {
    const older = await running();
    const newer = pipeline();
    open.push(newer);
    newer.emitLeads(2, 100);
    const report = verifyLines([...older, ...newer.lines()], { writerRunning: true });
    expect(report.streams.map((s) => s.status)).to.deep.equal(['unclosed', 'unsealed']);
    expect(report.exitCode).to.equal(2);
  });
});
