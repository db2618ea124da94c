/**
 * Real journals for CLI and report tests: seed-shaped events emitted through a real OTel
 * LoggerProvider pipeline (signer → journal processor with rotation and gzip), with the expected
 * figures computed alongside.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { LoggerProvider, type LogRecordProcessor } from '@opentelemetry/sdk-logs';
import { AuditDiagnostics } from '../../src/events/diagnostics.js';
import { keyringOf } from '../../src/processors/signing/keys.js';
import { SigningProcessor } from '../../src/processors/signing/signing-processor.js';
import { openJournal, type OpenedJournal } from '../../src/sinks/journal/open-journal.js';
import { emit } from '../journal/helpers.js';
import { BufferOutput, type CliIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/run.js';

/** The HMAC key of fixture journals (key id `k1`). */
export const FIXTURE_KEY = Buffer.from('audit-cli-fixture-key-0123456789abcdef', 'utf8');

/** Verification keys of fixture journals, as `AUDIT_VERIFY_KEYS`. */
export const FIXTURE_VERIFY_KEYS = `k1:hex:${FIXTURE_KEY.toString('hex')}`;

/** The environment for verifying fixture journals. */
export const FIXTURE_ENV: Record<string, string> = { AUDIT_VERIFY_KEYS: FIXTURE_VERIFY_KEYS };

/** A real signed pipeline: SigningProcessor (with seals) → journal processor. */
export interface SignedPipeline {
  readonly provider: LoggerProvider;
  readonly logger: ReturnType<LoggerProvider['getLogger']>;
  readonly journal: OpenedJournal;
  readonly signer: SigningProcessor;
  /** Shuts the provider down (shutdown seal) and waits for the journal's gzip work. */
  close(): Promise<void>;
}

/** Opens the journal at `file` behind a real SigningProcessor; a restart links to the previous stream's head. */
export function signedPipeline(
  file: string,
  maxFileSizeMb = 1,
  before: readonly LogRecordProcessor[] = [],
): SignedPipeline {
  const diagnostics = new AuditDiagnostics();
  const journal = openJournal({ auditFile: file, maxFileSizeMb, flushIntervalMs: 20 }, diagnostics);
  const previous = journal.previousHead();
  const signer = new SigningProcessor({
    keyring: keyringOf({ k1: FIXTURE_KEY }),
    diagnostics,
    sealIntervalMs: 0,
    ...(previous ? { previous } : {}),
  });
  const provider = new LoggerProvider({ processors: [...before, signer, journal.processor] });
  signer.bindProvider(provider);
  return {
    provider,
    logger: provider.getLogger('audit-cli-test'),
    journal,
    signer,
    close: async () => {
      await provider.shutdown();
      await journal.idle();
    },
  };
}

/** What a fixture journal holds. */
export interface FixtureExpectations {
  readonly totalEvents: number;
  readonly leads: number;
  readonly errors: number;
  readonly byType: Record<string, number>;
  /** Distinct leads per funnel stage: ingested, qualified, routed, crm, email_sent. */
  readonly funnel: readonly number[];
  /** Duration samples per operation. */
  readonly durations: Record<string, number[]>;
  /** Error messages in emit order. */
  readonly errorMessages: string[];
}

/** Options of {@link writeFixtureJournal}. */
export interface FixtureOptions {
  readonly leads?: number;
  /** Events end at this time (default now). */
  readonly now?: Date;
  /** Minutes between leads (default 25). */
  readonly spacingMinutes?: number;
  readonly maxFileSizeMb?: number;
  /** Error message template (for escaping tests). */
  readonly errorMessage?: (i: number) => string;
}

/** Writes a journal at `file` and resolves with what it holds. */
export async function writeFixtureJournal(file: string, options: FixtureOptions = {}): Promise<FixtureExpectations> {
  const n = options.leads ?? 24;
  const now = (options.now ?? new Date()).getTime();
  const spacing = (options.spacingMinutes ?? 25) * 60_000;
  const p = signedPipeline(file, options.maxFileSizeMb ?? 1);
  const byType: Record<string, number> = {};
  const count = (t: string): void => void (byType[t] = (byType[t] ?? 0) + 1);
  const funnel = [0, 0, 0, 0, 0];
  const durations: Record<string, number[]> = {};
  const errorMessages: string[] = [];
  for (let i = 0; i < n; i++) {
    const leadId = `LEAD-${String(i).padStart(3, '0')}`;
    const at = new Date(now - (n - i) * spacing);
    emit(p.logger, { type: 'lead_ingested', leadId, at, attrs: { 'orchestrator.lead.source': 'web_form' } });
    count('lead_ingested');
    funnel[0]!++;
    const qualified = i % 4 !== 0;
    emit(p.logger, { type: 'lead_qualified', leadId, at, attrs: { 'orchestrator.lead.qualified': qualified } });
    count('lead_qualified');
    if (qualified) funnel[1]!++;
    if (i % 4 > 1) {
      emit(p.logger, { type: 'lead_routed', leadId, at });
      emit(p.logger, { type: 'crm_create', leadId, at, attrs: { 'orchestrator.crm.id': `CRM-${i}` } });
      count('lead_routed');
      count('crm_create');
      funnel[2]!++;
      funnel[3]!++;
    }
    if (i % 4 === 3) {
      emit(p.logger, { type: 'email_sent', leadId, at });
      count('email_sent');
      funnel[4]!++;
    }
    const op = i % 2 ? 'crm_sync' : 'email_send';
    const seconds = 0.05 + (i % 7) * 0.02;
    emit(p.logger, {
      type: 'performance',
      at,
      attrs: { 'orchestrator.operation': op, 'orchestrator.duration_s': seconds },
    });
    count('performance');
    (durations[op] ??= []).push(seconds);
    if (i % 5 === 0) {
      const message = options.errorMessage ? options.errorMessage(i) : `CRM timeout after 30s (attempt ${i})`;
      emit(p.logger, {
        type: 'error',
        leadId,
        error: true,
        at,
        message,
        attrs: { 'orchestrator.error.type': 'CrmTimeout', 'orchestrator.error.message': message },
      });
      count('error');
      errorMessages.push(message);
    }
  }
  await p.close();
  const totalEvents = Object.values(byType).reduce((a, b) => a + b, 0);
  return { totalEvents, leads: n, errors: byType.error ?? 0, byType, funnel, durations, errorMessages };
}

/** A temporary directory removed by `cleanup`. */
export async function tempDir(prefix = 'audit-cli-test-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Result of an in-process CLI run. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs audit-cli in-process with captured output. */
export async function cli(
  argv: readonly string[],
  env: Record<string, string | undefined> = {},
  extra: Partial<CliIo> = {},
): Promise<CliRun> {
  const stdout = new BufferOutput();
  const stderr = new BufferOutput();
  const code = await runCli(argv, { stdout, stderr, env, ...extra });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}
