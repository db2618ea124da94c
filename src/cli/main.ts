#!/usr/bin/env node
/** The `audit-cli` binary: runs {@link runCli} on the process's arguments and streams. */
import { runCli } from './run.js';
import { processIo } from './io.js';

// `audit-cli query | head`: the reader went away; stop quietly like other command-line tools.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

process.exitCode = await runCli(process.argv.slice(2), processIo());
