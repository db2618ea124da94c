/** Test helper: the server flags of prometheus/prometheus.flags (comments and blank lines dropped). */
import { readRepoFile } from '../grafana/repo-files.js';

/** The flags of prometheus/prometheus.flags, one per entry. */
export function prometheusFlags(): string[] {
  const text = readRepoFile('prometheus/prometheus.flags');
  if (text === undefined) throw new Error('missing prometheus/prometheus.flags');
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}
