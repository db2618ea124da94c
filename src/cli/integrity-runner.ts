/**
 * Runs the shared chain verifier (src/verify) over a source's signed records and turns its
 * report into an {@link IntegritySummary}.
 */
import type { JournalProgress } from '../sinks/journal/reader.js';
import { CliError } from './errors.js';
import type { IntegritySummary } from './integrity-model.js';
import type { SourceSettings } from './sources.js';

/** Verifies the records of the source in `settings`, with keys from `env`. */
export async function verifySource(
  settings: SourceSettings,
  env: Readonly<Record<string, string | undefined>>,
  onProgress: (p: JournalProgress) => void,
  now: Date,
): Promise<IntegritySummary> {
  void env;
  void onProgress;
  void now;
  throw new CliError(`integrity verification is not available in this build (src/verify is missing) for ${settings.kind}`);
}
