/**
 * Where the e2e servers listen: the env vars written by scripts/stack/start.sh (sourced by the
 * test command), else its env file (`~/.cache/orchestrator-audit/run/env`). Missing or unreachable
 * servers FAIL the suite with a message saying how to start them; nothing is skipped.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** Addresses of the running test stack. */
export interface StackEnv {
  readonly collectorOtlpUrl: string;
  readonly collectorHealthUrl: string;
  readonly prometheusUrl: string;
  /** Port the tests' loopback OTLP log receiver (Loki stand-in) must listen on. */
  readonly logReceiverPort: number;
  /** scripts/stack directory (start.sh/stop.sh for the restart test). */
  readonly scriptsDir: string;
  /** Run directory of the started servers (their pid files, logs, data). */
  readonly stackDir: string;
}

const HOW_TO =
  'start the stack first: bash scripts/stack/build.sh && bash scripts/stack/start.sh (scripts/test-all.sh does both)';

/** Reads the stack's addresses; throws when start.sh has not run. */
export function stackEnv(): StackEnv {
  const fromFile = readEnvFile();
  const get = (name: string): string => {
    const value = process.env[name] ?? fromFile[name];
    if (!value)
      throw new Error(`e2e: ${name} is not set and no env file from scripts/stack/start.sh was found: ${HOW_TO}`);
    return value;
  };
  return {
    collectorOtlpUrl: get('AUDIT_TEST_COLLECTOR_OTLP_URL'),
    collectorHealthUrl: get('AUDIT_TEST_COLLECTOR_HEALTH_URL'),
    prometheusUrl: get('AUDIT_TEST_PROMETHEUS_URL'),
    logReceiverPort: Number(new URL(get('AUDIT_TEST_LOG_RECEIVER_URL')).port),
    scriptsDir: get('AUDIT_TEST_STACK_SCRIPTS'),
    stackDir: get('AUDIT_TEST_STACK_DIR'),
  };
}

/** Throws a clear error unless `url` answers 2xx within 5 s. */
export async function assertReachable(name: string, url: string): Promise<void> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
  } catch (err) {
    throw new Error(
      `e2e: ${name} at ${url} is not reachable (${err instanceof Error ? err.message : String(err)}): ${HOW_TO}`,
      { cause: err },
    );
  }
}

/** Runs scripts/stack/<script> with arguments; throws with its output on failure. */
export async function stackScript(env: StackEnv, script: 'start.sh' | 'stop.sh', ...args: string[]): Promise<string> {
  try {
    const { stdout, stderr } = await execFileAsync('bash', [join(env.scriptsDir, script), ...args], {
      timeout: 90_000,
    });
    return stdout + stderr;
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${script} ${args.join(' ')} failed: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`, {
      cause: err,
    });
  }
}

function readEnvFile(): Record<string, string> {
  const base =
    process.env.AUDIT_STACK_RUN ??
    join(
      process.env.AUDIT_STACK_CACHE ??
        join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'orchestrator-audit'),
      'run',
    );
  const file = join(base, 'env');
  if (!existsSync(file)) return {};
  const out: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^export ([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (m) out[m[1] as string] = m[2] as string;
  }
  return out;
}
