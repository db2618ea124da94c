/**
 * Real journals for CLI and report tests: seed-shaped events emitted through a real OTel
 * LoggerProvider pipeline (signer → journal processor with rotation and gzip), with the expected
 * figures computed alongside.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { emit, pipeline, TEST_KEY } from '../journal/helpers.js';
import { BufferOutput, type CliIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/run.js';

/** Verification keys of fixture journals, as `AUDIT_VERIFY_KEYS`. */
export const FIXTURE_VERIFY_KEYS = `k1:hex:${TEST_KEY.toString('hex')}`;

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
  const p = pipeline({ auditFile: file, maxFileSizeMb: options.maxFileSizeMb ?? 1, flushIntervalMs: 20 });
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
    emit(p.logger, { type: 'performance', at, attrs: { 'orchestrator.operation': op, 'orchestrator.duration_s': seconds } });
    count('performance');
    (durations[op] ??= []).push(seconds);
    if (i % 5 === 0) {
      const message = options.errorMessage ? options.errorMessage(i) : `CRM timeout after 30s (attempt ${i})`;
      emit(p.logger, { type: 'error', leadId, error: true, at, message, attrs: { 'orchestrator.error.type': 'CrmTimeout', 'orchestrator.error.message': message } });
      count('error');
      errorMessages.push(message);
    }
  }
  await p.provider.shutdown();
  await p.journal.idle();
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
export async function cli(argv: readonly string[], env: Record<string, string | undefined> = {}, extra: Partial<CliIo> = {}): Promise<CliRun> {
  const stdout = new BufferOutput();
  const stderr = new BufferOutput();
  const code = await runCli(argv, { stdout, stderr, env, ...extra });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}
