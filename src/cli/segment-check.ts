/**
 * A pre-flight check for commands that stream output as they read (`export`): every gzip
 * segment the scan will read is decompressed once, so a corrupt or truncated segment fails the
 * run before anything is written, instead of after part of the output went to stdout or a file.
 */
import { createReadStream } from 'node:fs';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { JournalReadError } from '../sinks/journal/errors.js';
import { listJournal, selectByTime } from '../sinks/journal/reader.js';

/**
 * Decompresses every gzip segment of the journal at `auditFile` that a scan from `from` reads.
 * A segment removed meanwhile (retention) is skipped, as the scan itself would.
 * @throws JournalReadError naming the first segment that cannot be decompressed.
 */
export async function checkCompressedSegments(auditFile: string, from?: Date): Promise<void> {
  for (const segment of selectByTime(await listJournal(auditFile), from)) {
    if (segment.kind !== 'compressed') continue;
    try {
      await pipeline(
        createReadStream(segment.path),
        createGunzip(),
        new Writable({ write: (_chunk, _enc, done) => done() }),
      );
    } catch (err) {
      if ((err as { code?: unknown }).code === 'ENOENT') continue;
      throw new JournalReadError(segment.path, err);
    }
  }
}
