#!/usr/bin/env node
/** The `audit-cli` binary: runs {@link runCli} on the process's arguments and streams. */
import { runCli } from './run.js';
import { processIo } from './io.js';

process.exitCode = await runCli(process.argv.slice(2), processIo());
