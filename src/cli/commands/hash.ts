/**
 * `audit-cli hash <value>`: the pseudonym the PII processor gives a known value under the
 * configured key, so a person's records can be found (`query --lead`, grep) without storing PII.
 */
import { Command } from 'commander';
import type { CliContext } from '../context.js';
import { CliError } from '../errors.js';
import { examples, withJson } from '../options.js';
import { pseudonymize } from '../../processors/pii/replacement.js';
import { errorText } from '../../events/error-text.js';

/** Default environment variable holding the pseudonymization key. */
export const PSEUDONYM_KEY_ENV = 'AUDIT_PSEUDONYM_KEY';

/** Builds the `hash` command. */
export function hashCommand(ctx: CliContext): Command {
  return withJson(new Command('hash'))
    .description('print the pseudonym of a known value (e-mail, phone, name, id) under the configured key')
    .argument('<value>', 'the clear value, e.g. an e-mail address')
    .option('--key-env <name>', `environment variable holding the pseudonymization key (default ${PSEUDONYM_KEY_ENV})`)
    .option('--kind <kind>', 'kind of value (email, phone, …); default: what the value looks like')
    .addHelpText(
      'after',
      examples(
        'hash jane@example.com',
        'hash --kind phone "+1 555 0100"',
        'export --format ndjson | grep "$(audit-cli hash jane@example.com)"',
        'hash jane@example.com --key-env MY_KEY --json',
      ) + '\nThe value is not printed back or stored; only its pseudonym is written to stdout.\n',
    )
    .action((value: string, opts: { keyEnv?: string; kind?: string; json?: boolean }) => {
      const envName = opts.keyEnv ?? PSEUDONYM_KEY_ENV;
      const key = ctx.io.env[envName];
      if (key === undefined || key === '') {
        throw new CliError(
          `no pseudonymization key: set ${envName} (or name another variable with --key-env) to the key the PII processor uses`,
        );
      }
      let pseudonym: string;
      try {
        pseudonym = pseudonymize(value, key, opts.kind);
      } catch (err) {
        // unknown --kind, unusable key: the message names the problem, never the value
        throw new CliError(errorText(err));
      }
      if (opts.json)
        return ctx.json({ pseudonym, keyEnv: envName, ...(opts.kind !== undefined ? { kind: opts.kind } : {}) });
      ctx.out(pseudonym + '\n');
    });
}
