/** Running the audit-cli binary (`node dist/src/cli/main.js`) as a child process in tests. */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** dist/src/cli/main.js, next to this compiled test (dist/test/cli). */
export const CLI_BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/cli/main.js');

/** Result of a spawned run. */
export interface BinRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the binary with `args`, a clean environment plus `env`, bounded in time. */
export function runBin(args: readonly string[], env: Record<string, string> = {}, cwd?: string): Promise<BinRun> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [CLI_BIN, ...args],
      { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 15000, ...(cwd ? { cwd } : {}) },
      (err, stdout, stderr) => {
        if (err && typeof err.code !== 'number') return reject(err);
        resolve({ code: err ? (err.code as number) : 0, stdout, stderr });
      },
    );
  });
}
