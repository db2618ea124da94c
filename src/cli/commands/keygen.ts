/**
 * `audit-cli keygen --out DIR`: a new Ed25519 sealing key pair. `DIR/audit-seal.key` (private,
 * mode 0600) goes to the logger (`AUDIT_SEAL_KEY_FILE`), which evolves it per epoch;
 * `DIR/audit-seal.pub` (public) goes to whoever verifies (`audit-cli integrity --public-key`).
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import type { CliContext } from '../context.js';
import { CliError } from '../errors.js';
import { examples, withJson } from '../options.js';
import { generateSealKeys, SEAL_KEY_ENV } from '../../processors/signing/seal-key.js';
import { errorText } from '../../events/error-text.js';

/** Builds the `keygen` command. */
export function keygenCommand(ctx: CliContext): Command {
  return withJson(new Command('keygen'))
    .description(
      'create an Ed25519 sealing key pair: audit-seal.key (private, for the logger) and audit-seal.pub (public, for verifiers)',
    )
    .requiredOption('--out <dir>', 'directory to write audit-seal.key and audit-seal.pub into (created if missing)')
    .option('--force', 'replace existing key files (the old private key is lost)')
    .addHelpText(
      'after',
      examples('keygen --out /etc/orchestrator/seal', 'keygen --out ./keys --json', 'keygen --out ./keys --force') +
        `
The logger reads the private key from ${SEAL_KEY_ENV} (or the option sealKeyFile) and replaces the file
with each new epoch's key, so the file never holds an earlier epoch's key. Keep audit-seal.pub off the
logger's host; an auditor needs only it: audit-cli integrity --public-key audit-seal.pub
`,
    )
    .action((opts: { out: string; force?: boolean; json?: boolean }) => {
      const dir = resolve(opts.out);
      try {
        mkdirSync(dir, { recursive: true, mode: 0o700 });
      } catch (err) {
        throw new CliError(`cannot create ${dir}: ${errorText(err)}`);
      }
      const made = generateSealKeys(dir, { force: opts.force === true });
      if (opts.json) return ctx.json(made);
      ctx.out(
        `Private sealing key: ${made.keyFile} (mode 0600; for the logger: ${SEAL_KEY_ENV}=${made.keyFile})\n` +
          `Public key:          ${made.publicKeyFile} (for verifiers: audit-cli integrity --public-key ${made.publicKeyFile})\n` +
          `Key id:              ${made.kid}\n`,
      );
    });
}
