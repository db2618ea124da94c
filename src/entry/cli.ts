/** `orchestrator-audit-otel/cli`: `audit-cli` run in-process with injectable streams (see docs/cli.md). */
export { runCli } from '../cli/run.js';
export { BufferOutput, processIo, type CliIo, type CliOutput } from '../cli/io.js';
export { CliError, EXIT } from '../cli/errors.js';
