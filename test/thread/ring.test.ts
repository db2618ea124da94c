/**
 * The shared ring and the app thread's feed, in one thread: entries come out as they went in
 * (multi-byte text, entries wrapping around the end, control and large entries), a full ring
 * says so, and the feed keeps a full ring's records in its bounded overflow queue, in order.
 */
import { expect } from 'chai';
import { AuditDiagnostics } from '../../src/events/diagnostics.js';
import { RecordFeed } from '../../src/thread/record-feed.js';
import { ENTRY_KIND, MIN_RING_BYTES, Ring, type EntryKind } from '../../src/thread/ring.js';

function readAll(ring: Ring): [EntryKind, string][] {
  const out: [EntryKind, string][] = [];
  ring.read(Number.MAX_SAFE_INTEGER, (kind, text) => out.push([kind, text]));
  return out;
}

describe('thread ring', () => {
  it('returns entries in order, UTF-8 intact, also when they wrap around the end', () => {
    const ring = new Ring(Ring.allocate(MIN_RING_BYTES));
    const texts = ['plain', 'é ü 日本 🎉 \u2028', '', 'x'.repeat(700)];
    const seen: string[] = [];
    // many rounds push the positions around the data area several times
    for (let round = 0; round < 200; round++) {
      const text = texts[round % texts.length]! + round;
      expect(ring.write(ENTRY_KIND.record, text)).to.equal('written');
      if (round % 3 === 2) for (const [, t] of readAll(ring)) seen.push(t);
    }
    for (const [, t] of readAll(ring)) seen.push(t);
    expect(seen).to.deep.equal(Array.from({ length: 200 }, (_, i) => texts[i % texts.length]! + i));
    expect(ring.isEmpty()).to.equal(true);
  });

  it('keeps the kind of each entry', () => {
    const ring = new Ring(Ring.allocate(MIN_RING_BYTES));
    ring.write(ENTRY_KIND.control, '{"anonymizing":true}');
    ring.write(ENTRY_KIND.record, '[1]');
    ring.write(ENTRY_KIND.large, '');
    expect(readAll(ring)).to.deep.equal([
      [ENTRY_KIND.control, '{"anonymizing":true}'],
      [ENTRY_KIND.record, '[1]'],
      [ENTRY_KIND.large, ''],
    ]);
  });

  it('says full when an entry does not fit and too-large when it never will', () => {
    const ring = new Ring(Ring.allocate(MIN_RING_BYTES));
    let written = 0;
    while (ring.write(ENTRY_KIND.record, 'y'.repeat(500)) === 'written') written++;
    expect(written).to.be.within(7, 8); // 504 bytes each in 4096
    expect(ring.countEntries()).to.equal(written);
    expect(ring.write(ENTRY_KIND.record, 'z'.repeat(ring.maxPayload + 1))).to.equal('too-large');
    readAll(ring);
    expect(ring.write(ENTRY_KIND.record, 'y'.repeat(500))).to.equal('written');
  });

  it('refuses sizes out of range', () => {
    expect(() => Ring.allocate(100)).to.throw(RangeError, /thread ring size/);
  });
});

describe('thread feed (overflow queue)', () => {
  const large: [EntryKind, string][] = [];
  const sendLarge = (kind: EntryKind, text: string): void => void large.push([kind, text]);

  it('keeps records the full ring cannot take, in order, and counts them; none lost', () => {
    const ring = new Ring(Ring.allocate(MIN_RING_BYTES));
    const diagnostics = new AuditDiagnostics();
    const feed = new RecordFeed(ring, diagnostics, sendLarge);
    const sent = Array.from({ length: 100 }, (_, i) => `record ${i} ${'p'.repeat(200)}`);
    for (const text of sent) feed.push(ENTRY_KIND.record, text);
    const stats = feed.stats();
    expect(stats.overflowed).to.be.greaterThan(70);
    expect(stats.queued).to.equal(stats.overflowed);
    expect(diagnostics.total('thread.overflow')).to.equal(1); // one episode: the queue never emptied
    const received: string[] = [];
    for (let turn = 0; turn < 100 && received.length < sent.length; turn++) {
      for (const [, t] of readAll(ring)) received.push(t);
      feed.drainBlocking(0);
    }
    expect(received).to.deep.equal(sent);
    expect(feed.stats()).to.include({ queued: 0, lost: 0, written: 100 });
  });

  it('sends an entry too large for the ring on the side channel and keeps its place with a marker', () => {
    const ring = new Ring(Ring.allocate(MIN_RING_BYTES));
    large.length = 0;
    const feed = new RecordFeed(ring, new AuditDiagnostics(), sendLarge);
    const big = 'B'.repeat(ring.maxPayload + 10);
    feed.push(ENTRY_KIND.record, 'before');
    feed.push(ENTRY_KIND.record, big);
    feed.push(ENTRY_KIND.record, 'after');
    expect(readAll(ring)).to.deep.equal([
      [ENTRY_KIND.record, 'before'],
      [ENTRY_KIND.large, ''],
      [ENTRY_KIND.record, 'after'],
    ]);
    expect(large).to.deep.equal([[ENTRY_KIND.record, big]]);
  });

  it('waits (bounded) when the queue is full, then counts the record as lost instead of growing', () => {
    const ring = new Ring(Ring.allocate(MIN_RING_BYTES));
    const diagnostics = new AuditDiagnostics();
    const feed = new RecordFeed(ring, diagnostics, sendLarge, { overflowChars: 2000, maxWaitMs: 5 });
    for (let i = 0; i < 40; i++) feed.push(ENTRY_KIND.record, 'q'.repeat(400));
    const stats = feed.stats();
    expect(stats.queued * 400).to.be.at.most(2000);
    expect(stats.lost).to.be.greaterThan(0);
    expect(stats.written + stats.queued + stats.lost).to.equal(40);
    expect(diagnostics.total('thread.lost')).to.equal(stats.lost);
    expect(stats.waitedMs).to.be.greaterThan(0);
  });

  it('counts every record as lost once the worker is gone', () => {
    const ring = new Ring(Ring.allocate(MIN_RING_BYTES));
    const diagnostics = new AuditDiagnostics();
    const feed = new RecordFeed(ring, diagnostics, sendLarge);
    feed.dead = true;
    feed.push(ENTRY_KIND.record, 'r');
    expect(diagnostics.total('thread.lost')).to.equal(1);
    expect(ring.isEmpty()).to.equal(true);
  });
});
