/** audit-cli as a library: run it in-process with injectable streams, or build on its parts. */
export { runCli, buildProgram } from './run.js';
export { BufferOutput, processIo, type CliIo, type CliOutput } from './io.js';
export { CliError, EXIT } from './errors.js';
export { parseDuration, timeRangeOf, type TimeRange } from './time-range.js';
export { openSource, SOURCE_KINDS, type SourceKind, type SourceSettings, type OpenedSource } from './sources.js';
export { verifySource, type VerifySourceOptions } from './integrity-runner.js';
export type { IntegritySummary } from '../verify/integrity-summary.js';
