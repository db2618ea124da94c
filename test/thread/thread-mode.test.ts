/**
 * Thread mode end to end (a real worker thread, the real PII, signing and journal processors,
 * the audit-cli binary as verifier): the journal verifies and tampering is found; the records
 * equal the in-process pipeline's for the same calls (so PII ran before signing in the worker);
 * configuration errors throw from the constructor; `process.exit()` right after the calls and a
 * burst larger than the ring lose nothing; a dead worker never makes a helper throw.
 */
import { expect } from 'chai';
import { execFile, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAuditLogger } from '../../src/logger/default-logger.js';
import { optionsFromEnv } from '../../src/logger/env.js';
import type { AuditLogger } from '../../src/logger/audit-logger.js';
import type { AuditLoggerOptions } from '../../src/logger/options.js';
import { AuditKeyError } from '../../src/processors/signing/keys.js';
import { JournalLockedError } from '../../src/sinks/journal/errors.js';
import { tempDir } from '../cli/fixture.js';
import { runBin } from '../cli/spawn.js';
import { startPeer } from '../webhooks/loopback-peer.js';
import type { WebhookPayload } from '../../src/sinks/webhooks/endpoint.js';

const KEY = Buffer.from('thread-mode-test-key-0123456789abcdef', 'utf8');
const VERIFY_ENV = { AUDIT_VERIFY_KEYS: `k1:hex:${KEY.toString('hex')}` };
const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const EXIT_WRITER = path.join(FIXTURES, 'exit-writer.js');
const CRASH_WRITER = path.join(FIXTURES, 'crash-writer.js');

function options(file: string, extra: Partial<AuditLoggerOptions> = {}): AuditLoggerOptions {
  return { auditFile: file, signingKey: KEY, signingKeyId: 'k1', pii: { enabled: true }, env: {}, ...extra };
}

/** The signed records of a journal file: `{ rec, sig }` per line. */
function journalRecords(file: string): { rec: Record<string, unknown>; sig: string }[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as { rec: Record<string, unknown>; sig: string });
}

/** The same mix of helper calls for both pipelines, compliance mode switched midway. */
function sameCalls(audit: AuditLogger): void {
  for (let i = 0; i < 5; i++)
    audit.logLeadIngested(`L-${i}`, 'web', {
      name: 'Jane Doe',
      email: 'jane.doe@example.com',
      phone: '+1 415 555 0100',
    });
  audit.logError('EmailBounced', '550 unknown jane.doe@example.com', 'L-1', 'sales');
  audit.enableComplianceMode({ anonymizePii: false });
  audit.logCrmUpdate('L-2', 'crm-9', { email: 'raw@example.com' }, 'sales');
  audit.enableComplianceMode();
  audit.logEvent('scored', { leadId: 'L-3', score: 7, note: 'call +1 415 555 0100' });
  audit.logEmailSent('L-4', 'jane.doe@example.com', 'Welcome', 1, 'nurture');
}

describe('thread mode', function () {
  this.timeout(30000);
  let dir: string;
  let cleanup: () => Promise<void>;
  before(async () => ({ dir, cleanup } = await tempDir('audit-thread-test-')));
  after(() => cleanup());

  it('writes a journal that audit-cli verifies clean, and a changed record is found (exit 1)', async () => {
    const file = path.join(dir, 'clean.log');
    const audit = createAuditLogger(options(file, { thread: true }));
    for (let i = 0; i < 300; i++) audit.logLeadIngested(`C-${i}`, 'web', { email: 'jane.doe@example.com' }, 'wf');
    await audit.shutdown();
    const clean = await runBin(['--file', file, 'integrity', '--json'], VERIFY_ENV);
    expect(clean.code, clean.stdout + clean.stderr).to.equal(0);
    expect(JSON.parse(clean.stdout).streams[0]).to.include({ records: 301 });

    const lines = readFileSync(file, 'utf8').split('\n');
    const at = lines.findIndex((l) => l.includes('"C-41"'));
    lines[at] = lines[at]!.replaceAll('"C-41"', '"C-4l"');
    writeFileSync(file, lines.join('\n'));
    const tampered = await runBin(['--file', file, 'integrity', '--json'], VERIFY_ENV);
    expect(tampered.code, tampered.stdout).to.equal(1);
  });

  it('writes the same records as the in-process pipeline for the same calls (PII before signing)', async () => {
    const inlineFile = path.join(dir, 'inline.log');
    const threadFile = path.join(dir, 'thread.log');
    const inline = createAuditLogger(options(inlineFile));
    sameCalls(inline);
    await inline.shutdown();
    const threaded = createAuditLogger(options(threadFile, { thread: true }));
    sameCalls(threaded);
    await threaded.shutdown();
    const comparable = (file: string): unknown[] =>
      journalRecords(file).map(({ rec }) => {
        const { ts: _ts, tsNanos: _n, stream: _s, prev: _p, ...rest } = rec;
        return rest;
      });
    // the seals name their stream and the head's signature covers the timestamps: compared apart
    const a = comparable(inlineFile);
    const b = comparable(threadFile);
    expect(a).to.have.length(10); // 9 records and the shutdown seal
    expect(b.slice(0, 9)).to.deep.equal(a.slice(0, 9));
    const sealOf = (r: unknown): unknown => (r as { attrs: Record<string, unknown> }).attrs['audit.seal.reason'];
    expect(sealOf(b[9])).to.equal('shutdown');
    expect(sealOf(a[9])).to.equal('shutdown');
    const text = readFileSync(threadFile, 'utf8');
    expect(text).to.not.include('jane.doe@example.com');
    expect(text).to.include('raw@example.com'); // the record written while compliance mode was off
  });

  it('throws configuration errors from the constructor: missing key, journal locked, live objects', () => {
    const file = path.join(dir, 'locked.log');
    expect(() => createAuditLogger({ auditFile: file, env: {}, thread: true })).to.throw(AuditKeyError);
    const holder = createAuditLogger(options(file));
    try {
      let thrown: unknown;
      try {
        createAuditLogger(options(file, { thread: true }));
      } catch (err) {
        thrown = err;
      }
      expect(thrown).to.be.instanceOf(JournalLockedError);
      expect((thrown as JournalLockedError).journalPath).to.equal(file);
    } finally {
      void holder.shutdown();
    }
    expect(() => createAuditLogger(options(path.join(dir, 'p.log'), { thread: true, processors: [] }))).to.throw(
      TypeError,
      /option "processors"/,
    );
    expect(() => createAuditLogger({ thread: { ringBytes: -1 }, env: {}, signingKey: KEY })).to.throw(RangeError);
  });

  it('is turned on from the environment with AUDIT_THREAD (startAuditFromEnv), a malformed value refused', () => {
    expect(optionsFromEnv({ AUDIT_THREAD: '1' }).thread).to.equal(true);
    expect(optionsFromEnv({ AUDIT_THREAD: 'false' }).thread).to.equal(undefined);
    expect(optionsFromEnv({}).thread).to.equal(undefined);
    expect(() => optionsFromEnv({ AUDIT_THREAD: 'maybe' })).to.throw(RangeError, /AUDIT_THREAD/);
  });

  it('loses nothing when the process calls process.exit() right after the helper calls', async () => {
    const file = path.join(dir, 'exit.log');
    // a ring of 64 KiB holds about 150 of these records: most of the 2000 wait in the overflow queue
    await new Promise<void>((resolve, reject) =>
      execFile(
        process.execPath,
        [EXIT_WRITER, file, '2000', KEY.toString('hex'), '65536'],
        { timeout: 20000 },
        (err) => (err ? reject(err) : resolve()),
      ),
    );
    const leads = journalRecords(file).filter(({ rec }) => rec.event === 'orchestrator.lead.ingested');
    expect(leads).to.have.length(2000);
    expect(readFileSync(file, 'utf8')).to.not.include('jane.doe@example.com');
    const verified = await runBin(['--file', file, 'integrity', '--json'], VERIFY_ENV);
    expect(verified.code, verified.stdout).to.equal(0);
  });

  it('lets the process end on its own without shutdown, and loses nothing then either', async () => {
    const file = path.join(dir, 'natural.log');
    await new Promise<void>((resolve, reject) =>
      execFile(
        process.execPath,
        [EXIT_WRITER, file, '500', KEY.toString('hex'), '-', 'natural'],
        { timeout: 15000 },
        (err) => (err ? reject(err) : resolve()),
      ),
    );
    expect(journalRecords(file).filter(({ rec }) => rec.event === 'orchestrator.lead.ingested')).to.have.length(500);
    const verified = await runBin(['--file', file, 'integrity', '--json'], VERIFY_ENV);
    expect(verified.code, verified.stdout).to.equal(0);
  });

  it('leaves a journal that verifies after SIGKILL: records written, the stream only unclosed (exit 2)', async () => {
    const file = path.join(dir, 'crash.log');
    const child = spawn(process.execPath, [CRASH_WRITER, file, KEY.toString('hex')], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => (d.toString().includes('ready') ? resolve() : undefined));
        child.once('exit', (code) => reject(new Error(`writer exited early with ${code}`)));
      });
      await new Promise((r) => setTimeout(r, 500));
    } finally {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    }
    const written = journalRecords(file).length;
    expect(written).to.be.greaterThan(64);
    const verified = await runBin(['--file', file, 'integrity', '--json'], VERIFY_ENV);
    expect(verified.code, verified.stdout).to.equal(2);
    const summary = JSON.parse(verified.stdout);
    expect(Object.keys(summary.countsByClass)).to.deep.equal(['unclosed']);
    expect(summary.streams[0]).to.include({ records: written, verified: written });
  });

  it('queues a burst larger than the ring in the app thread and writes all of it', async () => {
    const file = path.join(dir, 'burst.log');
    const audit = createAuditLogger(options(file, { thread: { ringBytes: 16384 } }));
    for (let i = 0; i < 3000; i++) audit.logLeadIngested(`B-${i}`, 'web', { email: 'jane.doe@example.com' }, 'wf');
    const during = audit.getDiagnostics();
    expect(during.thread!.overflowed).to.be.greaterThan(0);
    expect(audit.diagnostics.total('thread.overflow')).to.be.within(1, during.thread!.overflowed);
    const found = await audit.queryEvents({ eventType: 'lead_ingested' });
    expect(found).to.have.length(3000);
    expect(found[2999]!.leadId).to.equal('B-2999');
    await audit.shutdown();
    expect(audit.getDiagnostics().thread).to.include({ lost: 0, queued: 0, workerEmitted: 3000 });
    expect(audit.diagnostics.total('thread.lost')).to.equal(0);
  });

  it('never throws from a helper when the worker died; the records are counted as lost', async () => {
    const file = path.join(dir, 'dead.log');
    const audit = createAuditLogger(options(file, { thread: true }));
    audit.logLeadIngested('D-0', 'web', {}, 'wf');
    await audit.forceFlush();
    const link = (audit as unknown as { pipeline: { thread: { terminate(): Promise<number> } } }).pipeline.thread;
    await link.terminate();
    await new Promise((r) => setTimeout(r, 50)); // the worker's exit event reaches the app thread
    expect(() => {
      audit.logLeadIngested('D-1', 'web', { email: 'a@b.co' }, 'wf');
      audit.logError('Boom', 'x');
      audit.logEvent('custom', { leadId: 'D-2' });
    }).to.not.throw();
    expect(audit.diagnostics.total('thread.worker')).to.be.at.least(1);
    expect(audit.diagnostics.total('thread.lost')).to.equal(3);
    await audit.forceFlush();
    await audit.shutdown();
  });

  it('signs and writes records emitted directly through audit.loggerProvider', async () => {
    const file = path.join(dir, 'direct.log');
    const audit = createAuditLogger(options(file, { thread: true }));
    audit.loggerProvider
      .getLogger('orders')
      .emit({ eventName: 'orders.placed', body: 'order for jane.doe@example.com', attributes: { 'order.id': 7 } });
    const [event] = await audit.queryEvents({ eventType: 'orders.placed' });
    await audit.shutdown();
    expect(event).to.include({ event: 'orders.placed', message: 'order for [REDACTED:email]', seq: 1 });
    expect(event!.attrs).to.deep.equal({ 'order.id': 7 });
  });

  it('streams the signed records to a webhook added in the app thread (loopback receiver)', async () => {
    const peer = await startPeer();
    const audit = createAuditLogger({
      signingKey: KEY,
      signingKeyId: 'k1',
      pii: { enabled: true },
      env: {},
      thread: true,
    });
    try {
      audit.logLeadIngested('W-0', 'web', { email: 'jane.doe@example.com' }); // before the webhook: not streamed
      audit.addWebhook(peer.url, { batchSize: 10, flushIntervalMs: 20 });
      for (let i = 1; i <= 3; i++) audit.logLeadIngested(`W-${i}`, 'web', { email: 'jane.doe@example.com' });
      await audit.forceFlush();
      const events = peer.requests.flatMap((r) => (JSON.parse(r.rawBody) as WebhookPayload).events);
      expect(events.map((e) => e.leadId)).to.deep.equal(['W-1', 'W-2', 'W-3']);
      for (const e of events) {
        expect(createHmac('sha256', KEY).update(e.canonical!).digest('base64url')).to.equal(e.sig);
        expect(e.canonical).to.not.include('jane.doe@example.com');
      }
    } finally {
      await audit.shutdown();
      await peer.close();
    }
  });

  it('replays signed records to alert handlers added in the app thread', async () => {
    const audit = createAuditLogger({ signingKey: KEY, signingKeyId: 'k1', env: {}, thread: true });
    const alerts: string[] = [];
    audit.configureAlerts({ errorThreshold: 2, windowSeconds: 60 });
    audit.alertHandlers.push((message) => void alerts.push(message));
    audit.logError('Timeout', 'crm timed out', 'A-1', 'sync');
    audit.logError('Timeout', 'crm timed out', 'A-2', 'sync');
    await audit.forceFlush();
    await audit.shutdown();
    expect(alerts).to.have.length(1);
    expect(audit.getDiagnostics().head?.seq).to.equal(3);
  });
});
