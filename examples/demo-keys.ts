/**
 * Keys of the demo: the signing key comes from the environment (`AUDIT_SIGNING_KEY` or
 * `AUDIT_KEY_FILE`) when set; otherwise a clearly-labelled DEMO key is generated once into
 * `<journal dir>/.demo-key` (a key file, mode 0600, never committed: `logs/` is git-ignored).
 * The pseudonymization key of the PII processor likewise comes from `AUDIT_PSEUDONYM_KEY` or
 * `<journal dir>/.demo-pseudonym-key`.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Key id of the generated demo key. */
export const DEMO_KID = 'demo';

/** Where the demo's keys come from. */
export interface DemoKeys {
  /** Path of the generated key file, when the environment gave no signing key. */
  readonly keyFile?: string;
  /** Human-readable origin of the signing key (printed by the demo). */
  readonly signingKeyOrigin: string;
  /** Shell line that gives `audit-cli` the same keys (empty when the environment already does). */
  readonly cliEnv: string;
  /** Pseudonymization key of the PII processor. */
  readonly pseudonymKey: string;
  readonly pseudonymKeyOrigin: string;
}

function secretFile(path: string, make: () => string): { value: string; created: boolean } {
  if (existsSync(path)) return { value: readFileSync(path, 'utf8').trim(), created: false };
  mkdirSync(dirname(path), { recursive: true });
  const value = make();
  writeFileSync(path, value + '\n', { mode: 0o600, flag: 'wx' });
  return { value, created: true };
}

/** Resolves (and creates when needed) the demo's keys for a journal at `journalPath`. */
export function resolveDemoKeys(
  journalPath: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): DemoKeys {
  const dir = dirname(journalPath);
  let keyFile: string | undefined;
  let signingKeyOrigin: string;
  let cliEnv = '';
  if (env.AUDIT_SIGNING_KEY) signingKeyOrigin = 'AUDIT_SIGNING_KEY from the environment';
  else if (env.AUDIT_KEY_FILE) signingKeyOrigin = `key file ${env.AUDIT_KEY_FILE} (AUDIT_KEY_FILE)`;
  else {
    keyFile = join(dir, '.demo-key');
    const { created } = secretFile(keyFile, () =>
      JSON.stringify({ active: DEMO_KID, keys: { [DEMO_KID]: 'base64:' + randomBytes(32).toString('base64') } }),
    );
    signingKeyOrigin = `DEMO key ${created ? 'generated in' : 'read from'} ${keyFile} — for this demo only; set AUDIT_SIGNING_KEY in real use`;
    cliEnv = `export AUDIT_KEY_FILE=${keyFile}`;
  }
  let pseudonymKey = env.AUDIT_PSEUDONYM_KEY ?? '';
  let pseudonymKeyOrigin = 'AUDIT_PSEUDONYM_KEY from the environment';
  if (pseudonymKey === '') {
    const file = join(dir, '.demo-pseudonym-key');
    const { value, created } = secretFile(file, () => randomBytes(32).toString('base64'));
    pseudonymKey = value;
    pseudonymKeyOrigin = `DEMO pseudonymization key ${created ? 'generated in' : 'read from'} ${file}`;
    cliEnv += `${cliEnv ? '\n  ' : ''}export AUDIT_PSEUDONYM_KEY="$(cat ${file})"`;
  }
  return { ...(keyFile ? { keyFile } : {}), signingKeyOrigin, cliEnv, pseudonymKey, pseudonymKeyOrigin };
}
