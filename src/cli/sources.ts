/**
 * Where audit-cli reads from: the local journal (default), or Loki / Prometheus through the
 * query sources of `src/query/loki` and `src/query/prometheus`. Remote sources are loaded on
 * demand, so the CLI works without them and says clearly when one is not available.
 */
import { JournalQuery } from '../query/journal/journal-query.js';
import type { AuditQuerySource } from '../query/types.js';
import { listJournal, type JournalProgress } from '../sinks/journal/reader.js';
import { CliError } from './errors.js';
import { loadOptional } from './plugins.js';
import { errorText } from '../events/error-text.js';

/** The kinds of `--source`. */
export const SOURCE_KINDS = ['journal', 'loki', 'prometheus'] as const;

/** One of {@link SOURCE_KINDS}. */
export type SourceKind = (typeof SOURCE_KINDS)[number];

/** How to reach the chosen source. */
export interface SourceSettings {
  readonly kind: SourceKind;
  /** Journal active-file path (journal source). */
  readonly file: string;
  /** Loki base URL (loki source, and signed records for `integrity --source loki`). */
  readonly lokiUrl?: string;
  /** Prometheus base URL (prometheus source). */
  readonly prometheusUrl?: string;
  /** Scan progress (journal source). */
  readonly onProgress?: (progress: JournalProgress) => void;
  /** Environment handed to remote sources (selectors, tenants, …). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** An opened query source. */
export interface OpenedSource {
  readonly kind: SourceKind;
  /** Human-readable description, e.g. `journal logs/audit.log`. */
  readonly description: string;
  readonly query: AuditQuerySource;
}

/** A signed record as read back from a store, ready for the chain verifier. */
export interface StoredSignedRecord {
  /** The canonical content string exactly as stored (the signed bytes). */
  readonly canonical: string;
  readonly sig: string;
  /** Where it was read, e.g. `logs/audit.log:42` or `loki:{stream}@ts`. */
  readonly location: string;
}

/** Opens the query source described by `settings`. Missing journals and unavailable sources are CLI errors (exit 3). */
export async function openSource(settings: SourceSettings): Promise<OpenedSource> {
  switch (settings.kind) {
    case 'journal':
      await listJournal(settings.file); // throws JournalNotFoundError: a clear message, not an empty result
      return {
        kind: 'journal',
        description: `journal ${settings.file}`,
        query: new JournalQuery(settings.file, settings.onProgress ? { onProgress: settings.onProgress } : {}),
      };
    case 'loki':
      return {
        kind: 'loki',
        description: `loki ${requireUrl(settings.lokiUrl, 'loki')}`,
        query: await remoteSource('loki', settings),
      };
    case 'prometheus':
      return {
        kind: 'prometheus',
        description: `prometheus ${requireUrl(settings.prometheusUrl, 'prometheus')}`,
        query: await remoteSource('prometheus', settings),
      };
  }
}

/** The plug-in contract a remote source module may export (any of these factory names). */
interface RemoteSourceModule {
  readonly createQuerySource?: (options: RemoteOptions) => AuditQuerySource;
  readonly [exported: string]: unknown;
}

/** Options handed to a remote source factory or constructor. */
interface RemoteOptions {
  readonly url: string;
  readonly lokiUrl?: string;
  readonly prometheusUrl?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** A query source that can also hand back the signed records it holds (Loki), for `integrity`. */
export interface SignedRecordSource extends AuditQuerySource {
  signedRecords(): AsyncIterable<StoredSignedRecord>;
}

/** True when `query` offers {@link SignedRecordSource.signedRecords}. */
export function hasSignedRecords(query: AuditQuerySource): query is SignedRecordSource {
  return typeof (query as Partial<SignedRecordSource>).signedRecords === 'function';
}

const REMOTE_MODULES: Readonly<
  Record<'loki' | 'prometheus', { readonly path: string; readonly classes: readonly string[] }>
> = {
  loki: { path: '../query/loki/loki-query-source.js', classes: ['LokiQuerySource'] },
  prometheus: { path: '../query/prometheus/prometheus-query-source.js', classes: ['PrometheusQuerySource'] },
};

async function remoteSource(kind: 'loki' | 'prometheus', settings: SourceSettings): Promise<AuditQuerySource> {
  const url = requireUrl(kind === 'loki' ? settings.lokiUrl : settings.prometheusUrl, kind);
  const mod = await loadRemoteModule(kind);
  const options: RemoteOptions = {
    url,
    ...(settings.lokiUrl ? { lokiUrl: settings.lokiUrl } : {}),
    ...(settings.prometheusUrl ? { prometheusUrl: settings.prometheusUrl } : {}),
    ...(settings.env ? { env: settings.env } : {}),
  };
  try {
    if (typeof mod.createQuerySource === 'function') return mod.createQuerySource(options);
    for (const name of REMOTE_MODULES[kind].classes) {
      const ctor = mod[name];
      if (typeof ctor === 'function') return new (ctor as new (o: RemoteOptions) => AuditQuerySource)(options);
    }
  } catch (err) {
    // constructors reject bad settings (URL, window) with TypeError: a usage error
    throw new CliError(`source "${kind}": ${errorText(err)}`);
  }
  throw new CliError(`source "${kind}" is not available: src/query/${kind} exports no query source factory`);
}

/** Loads `src/query/<kind>` or fails with a clear "not available" error. */
function loadRemoteModule(kind: 'loki' | 'prometheus'): Promise<RemoteSourceModule> {
  return loadOptional<RemoteSourceModule>(REMOTE_MODULES[kind].path, `source "${kind}"`);
}

function requireUrl(url: string | undefined, kind: 'loki' | 'prometheus'): string {
  if (!url) {
    const env = kind === 'loki' ? 'AUDIT_LOKI_URL' : 'AUDIT_PROMETHEUS_URL';
    throw new CliError(`--source ${kind} needs --${kind}-url URL (or ${env})`);
  }
  try {
    return new URL(url).toString().replace(/\/$/, '');
  } catch {
    throw new CliError(`invalid --${kind}-url "${url}": not a URL`);
  }
}
