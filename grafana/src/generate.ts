/**
 * Writes the dashboards and provisioning files: `node dist/grafana/src/generate.js [--out DIR]`
 * (default: the repository root). Alert thresholds default to the documented values; set
 * AUDIT_ALERT_ERROR_BURST, AUDIT_ALERT_P95_SLO_SECONDS, AUDIT_ALERT_SILENCE_MINUTES to generate a
 * copy with other thresholds (use --out: the committed files keep the defaults).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatedFiles } from './artifacts.js';
import { DEFAULT_ALERT_PARAMS, type AlertParams } from './queries.js';

/** Repository root (this file runs from dist/grafana/src). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

function numberFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got ${JSON.stringify(raw)}`);
  return n;
}

/** Alert parameters from the environment (defaults otherwise). */
export function alertParamsFromEnv(): AlertParams {
  return {
    errorBurstThreshold: numberFromEnv('AUDIT_ALERT_ERROR_BURST', DEFAULT_ALERT_PARAMS.errorBurstThreshold),
    p95SloSeconds: numberFromEnv('AUDIT_ALERT_P95_SLO_SECONDS', DEFAULT_ALERT_PARAMS.p95SloSeconds),
    silenceMinutes: numberFromEnv('AUDIT_ALERT_SILENCE_MINUTES', DEFAULT_ALERT_PARAMS.silenceMinutes),
  };
}

/** Writes every generated file under `outDir`; returns the paths written. */
export function writeGeneratedFiles(outDir: string, params: AlertParams = DEFAULT_ALERT_PARAMS): string[] {
  const written: string[] = [];
  for (const [rel, content] of generatedFiles(params)) {
    const path = join(outDir, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
    written.push(rel);
  }
  return written;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outIdx = process.argv.indexOf('--out');
  const out = outIdx > 0 && process.argv[outIdx + 1] ? resolve(process.argv[outIdx + 1]!) : REPO_ROOT;
  try {
    const params = alertParamsFromEnv();
    const written = writeGeneratedFiles(out, params);
    process.stdout.write(`wrote ${written.length} files under ${out}\n`);
  } catch (err) {
    process.stderr.write(`grafana:generate failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}
