/**
 * Test helpers for the journal: a temporary directory, a real LoggerProvider pipeline
 * (SigningProcessor → journal processor), an emitter of seed-shaped events, and a writer child
 * process (`fixtures/crash-writer.js`), and readers of the writer lock's file.
 */
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '@opentelemetry/api-logs';
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import { AuditDiagnostics } from '../../src/events/diagnostics.js';
import { ATTR, eventNameFor } from '../../src/events/semconv.js';
import { keyringOf } from '../../src/processors/signing/keys.js';
import { SigningProcessor } from '../../src/processors/signing/signing-processor.js';
import { JournalLockedError, type JournalLockOwner } from '../../src/sinks/journal/errors.js';
import { openJournal, type OpenedJournal } from '../../src/sinks/journal/open-journal.js';
import { type JournalOptions } from '../../src/sinks/journal/options.js';

/** The HMAC keyring used by tests (key id `k1`). */
export const TEST_KEYS = keyringOf({ k1: Buffer.from('journal-test-key-0123456789abcdef-0123456789') }, 'k1');

/** A signed pipeline writing to a journal. */
export interface Pipeline {
  readonly provider: LoggerProvider;
  readonly logger: Logger;
  readonly journal: OpenedJournal;
  readonly diagnostics: AuditDiagnostics;
  readonly signer?: SigningProcessor;
}

/**
 * Opens a journal and a real provider with [SigningProcessor, journal processor], the signer
 * linked to the journal's previous head and bound to the provider (shutdown writes a seal).
 * Without `signed`, the journal processor alone.
 */
export function pipeline(options: JournalOptions, signed = true): Pipeline {
  const diagnostics = new AuditDiagnostics();
  const journal = openJournal(options, diagnostics);
  const previous = journal.previousHead();
  const signer = signed
    ? new SigningProcessor({
        keyring: TEST_KEYS,
        diagnostics,
        sealIntervalMs: 0,
        sealEveryRecords: 0,
        ...(previous ? { previous } : {}),
      })
    : undefined;
  const provider = new LoggerProvider({ processors: signer ? [signer, journal.processor] : [journal.processor] });
  signer?.bindProvider(provider);
  if (signer) journal.bindSigner(signer);
  return { provider, logger: provider.getLogger('journal-test'), journal, diagnostics, ...(signer ? { signer } : {}) };
}

/** What a test event carries. */
export interface TestEvent {
  readonly type: string;
  readonly leadId?: string;
  readonly workflow?: string;
  readonly message?: string;
  readonly attrs?: Record<string, string | number | boolean>;
  readonly at?: Date;
  readonly error?: boolean;
}

/** Emits one seed-shaped event. */
export function emit(logger: Logger, ev: TestEvent): void {
  logger.emit({
    eventName: eventNameFor(ev.type),
    severityNumber: ev.error ? 17 : 9,
    severityText: ev.error ? 'ERROR' : 'INFO',
    body: ev.message ?? `${ev.type} ${ev.leadId ?? ''}`.trim(),
    ...(ev.at ? { timestamp: ev.at } : {}),
    attributes: {
      [ATTR.eventType]: ev.type,
      [ATTR.workflow]: ev.workflow ?? 'sales',
      ...(ev.leadId !== undefined ? { [ATTR.leadId]: ev.leadId } : {}),
      ...ev.attrs,
    },
  });
}

/** A fresh temporary directory and its cleanup. */
export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'journal-test-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * Mocha hooks for a suite of journal tests: before each test a fresh temporary directory (handed
 * to `onDir`), after it every pipeline the test started is shut down and the directory removed.
 * Returns `start`, which opens a {@link pipeline} that is shut down that way. Call inside `describe`.
 */
export function pipelinesPerTest(
  onDir: (dir: string) => void,
): (options: JournalOptions, signed?: boolean) => Pipeline {
  let cleanup: () => Promise<void> = async () => undefined;
  let open: Pipeline[] = [];
  beforeEach(async () => {
    const made = await tempDir();
    cleanup = made.cleanup;
    onDir(made.dir);
  });
  afterEach(async () => {
    for (const p of open) await p.provider.shutdown();
    open = [];
    await cleanup();
  });
  return (options, signed = true) => {
    const p = pipeline(options, signed);
    open.push(p);
    return p;
  };
}

/** Waits until `check` is true, polling, failing after `timeoutMs`. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const WRITER_FIXTURE = fileURLToPath(new URL('./fixtures/crash-writer.js', import.meta.url));

/**
 * Starts `fixtures/crash-writer.js` on `auditFile` (a signed pipeline in a child process, rotating
 * at 0.05 MiB) and resolves once it reported that it emitted `count` events.
 */
export function startWriter(
  auditFile: string,
  count: number,
  flushMs: number,
  mode: 'idle' | 'flood' | 'exit',
): Promise<ChildProcess> {
  const child = spawn(process.execPath, [WRITER_FIXTURE, auditFile, String(count), String(flushMs), mode], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('writer child did not start in time')), 10_000);
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes(`EMITTED ${count}`)) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.once('close', (code) => reject(new Error(`writer child exited before reporting (${code})`)));
  });
}

/** SIGKILLs `child` (if still running) and resolves once it has exited. */
export function killChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

/** The owner recorded in the journal's lock file `lockPath`. */
export async function lockOwnerIn(lockPath: string): Promise<JournalLockOwner> {
  return JSON.parse(await readFile(lockPath, 'utf8')) as JournalLockOwner;
}

/** Runs `open` and returns the JournalLockedError it threw (fails the test if it did not throw one). */
export function lockedErrorOf(open: () => unknown): JournalLockedError {
  try {
    open();
  } catch (err) {
    expect(err).to.be.instanceOf(JournalLockedError);
    return err as JournalLockedError;
  }
  return expect.fail('the second writer opened the journal');
}
