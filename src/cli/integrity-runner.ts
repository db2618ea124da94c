/**
 * Runs the shared chain verifier (src/verify) over a source's signed records — every line of
 * every journal segment, gzipped ones included, or the records read back from Loki — and returns
 * an {@link IntegritySummary}.
 */
import { AuditKeyError, loadVerificationKeys } from '../processors/signing/keys.js';
import { combineKeys, type RecordKeys } from '../verify/record-keys.js';
import { loadSealPublicKey } from '../verify/seal-keys.js';
import { JournalReadError } from '../sinks/journal/errors.js';
import { JournalLayout } from '../sinks/journal/layout.js';
import { readJournal, type JournalProgress } from '../sinks/journal/reader.js';
import { journalWriterRunning } from '../sinks/journal/writer-lock.js';
import { ChainVerifier, type ChainVerifierOptions } from '../verify/chain-verifier.js';
import type { VerifyItem } from '../verify/verify-item.js';
import { CliError } from './errors.js';
import type { IntegritySummary } from '../verify/integrity-summary.js';
import { hasSignedRecords, openSource, type SourceSettings } from './sources.js';
import { witnessEntries } from './witness-source.js';

const PROMETHEUS_HOLDS_NO_RECORDS =
  'integrity needs signed records: Prometheus holds only metrics; use --source journal or --source loki';

/** Options of {@link verifySource}. */
export interface VerifySourceOptions {
  /** Environment holding the keys (AUDIT_VERIFY_KEYS, AUDIT_KEY_FILE, AUDIT_SIGNING_KEY). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly onProgress?: (p: JournalProgress) => void;
  readonly now: Date;
  /** Streams may start after seq 1 (oldest segments removed by retention). */
  readonly allowMissingHead?: boolean;
  /** Witnesses to check the source against (`loki`, `file:PATH`, an http(s) URL). */
  readonly witnesses?: readonly string[];
  /** Verify with these Ed25519 public key files alone (`audit-seal.pub`); the environment's keys are not read. */
  readonly publicKeyFiles?: readonly string[];
}

/** Verifies the records of the source in `settings`. Key and source problems are CliErrors (exit 3). */
export async function verifySource(settings: SourceSettings, options: VerifySourceOptions): Promise<IntegritySummary> {
  // the source is checked before the keys: configuring keys would not make Prometheus verifiable
  if (settings.kind === 'prometheus') throw new CliError(PROMETHEUS_HOLDS_NO_RECORDS);
  const keys = verificationKeys(options);
  const verifierOptions: ChainVerifierOptions = { ...(options.allowMissingHead ? { allowMissingHead: true } : {}) };
  // witnesses first: one that cannot be read ends the run (exit 3) before the long scan
  const witnessed: VerifyItem[] = [];
  for (const spec of options.witnesses ?? []) witnessed.push(...(await witnessEntries(spec, settings)));
  const summary =
    settings.kind === 'journal'
      ? await verifyJournal(settings.file, keys, verifierOptions, options, witnessed)
      : await verifyLoki(settings, keys, verifierOptions, options.now, witnessed);
  return options.witnesses && options.witnesses.length > 0
    ? { ...summary, witnesses: [...options.witnesses], witnessEntries: witnessed.length }
    : summary;
}

function verificationKeys(options: VerifySourceOptions): RecordKeys {
  try {
    // with a public key no secret is looked up at all
    const files = options.publicKeyFiles ?? [];
    if (files.length > 0) return combineKeys(...files.map((file) => loadSealPublicKey(file)));
    return loadVerificationKeys({ env: options.env });
  } catch (err) {
    if (err instanceof AuditKeyError) throw new CliError(`cannot verify: ${err.message}`);
    throw err;
  }
}

async function verifyJournal(
  file: string,
  keys: RecordKeys,
  verifierOptions: ChainVerifierOptions,
  options: VerifySourceOptions,
  witnessed: readonly VerifyItem[],
): Promise<IntegritySummary> {
  // Judged before reading: a writer that stops meanwhile has written its shutdown seal.
  const writerRunning = journalWriterRunning(new JournalLayout(file).activePath);
  const verifier = new ChainVerifier(keys, { ...verifierOptions, writerRunning });
  for (const item of witnessed) verifier.pushWitness(item);
  const segments = new Set<string>();
  const onFileError = (error: JournalReadError): void => {
    // a damaged gzip segment is a finding (its records cannot be verified); other I/O errors end the run (exit 3)
    if (!error.code?.startsWith('Z_')) throw error;
    verifier.pushMalformed(
      error.location,
      `segment cannot be decompressed (${error.code}): its records cannot be verified`,
    );
  };
  for await (const entry of readJournal(file, {
    onFileError,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  })) {
    segments.add(entry.segment.path);
    verifier.pushLine(entry.line, entry.location, entry.torn);
  }
  const { summary: _summary, records: _records, ...report } = verifier.finish();
  return { ...report, source: `journal ${file}`, segments: segments.size, verifiedAt: options.now.toISOString() };
}

async function verifyLoki(
  settings: SourceSettings,
  keys: RecordKeys,
  verifierOptions: ChainVerifierOptions,
  now: Date,
  witnessed: readonly VerifyItem[],
): Promise<IntegritySummary> {
  const source = await openSource(settings);
  if (!hasSignedRecords(source.query)) {
    throw new CliError(
      'integrity over Loki is not available in this build: the loki source cannot return signed records',
    );
  }
  // Loki returns records by time, not in write order: order-insensitive verification
  const verifier = new ChainVerifier(keys, { ...verifierOptions, ordered: false });
  for (const item of witnessed) verifier.pushWitness(item);
  for await (const item of source.query.signedRecords()) verifier.push(item);
  const { summary: _summary, records: _records, ...report } = verifier.finish();
  return { ...report, source: source.description, verifiedAt: now.toISOString() };
}
