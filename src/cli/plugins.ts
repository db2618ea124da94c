/**
 * Modules of other areas loaded on demand (the Loki and Prometheus query sources), so the CLI
 * builds and runs where one is missing, with a clear "not available" error (exit 3).
 */
import { CliError } from './errors.js';
import { errorText } from '../events/error-text.js';

/** Loads a module by a path relative to this file, or fails with a CliError naming the feature. */
export async function loadOptional<T>(relativePath: string, feature: string): Promise<T> {
  const spec: string = relativePath;
  try {
    return (await import(spec)) as T;
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ERR_MODULE_NOT_FOUND') {
      throw new CliError(
        `${feature} is not available in this build (${relativePath.replace(/^\.\.\//, 'src/')} is missing)`,
      );
    }
    throw new CliError(`${feature} could not be loaded: ${errorText(err)}`);
  }
}
