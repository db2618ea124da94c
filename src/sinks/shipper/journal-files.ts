/**
 * Finding the shipper's place among the journal's files. A file is known by the fingerprint of
 * its first line, which stays the same when the active file is renamed to a segment and when a
 * segment is gzipped; names are only a hint. Fingerprints of segments are remembered (segments
 * never change once rotated).
 */
import { stat } from 'node:fs/promises';
import type { JournalLayout, JournalSegment } from '../journal/layout.js';
import { lineFingerprint } from './cursor.js';
import { firstLineOf } from './file-lines.js';

/** A file of the journal and the fingerprint of its first line (`undefined`: no complete line yet). */
export interface KnownFile {
  readonly segment: JournalSegment;
  readonly head: string | undefined;
}

/** Journal files with their fingerprints, in reading order. */
export class JournalFiles {
  /** Fingerprints of rotated segments by name without `.gz`. */
  private readonly heads = new Map<string, string>();

  constructor(readonly layout: JournalLayout) {}

  /** Every file of the journal in reading order. */
  list(): Promise<JournalSegment[]> {
    return this.layout.list();
  }

  /** Fingerprint of a file's first line; remembered for segments. */
  async headOf(segment: JournalSegment): Promise<string | undefined> {
    const key = segment.name.replace(/\.gz$/, '');
    const known = segment.kind === 'active' ? undefined : this.heads.get(key);
    if (known !== undefined) return known;
    const line = await firstLineOf(segment);
    if (line === undefined) return undefined;
    const head = lineFingerprint(line);
    if (segment.kind !== 'active') this.heads.set(key, head);
    return head;
  }

  /**
   * The index in `files` of the file whose first line has fingerprint `head`, trying the file
   * named `nameHint` (or its `.gz`) first, then the others newest first; -1 when none has it.
   */
  async indexOf(files: readonly JournalSegment[], head: string, nameHint?: string): Promise<number> {
    if (nameHint !== undefined) {
      const hinted = files.findIndex((f) => f.name === nameHint || f.name === nameHint + '.gz');
      if (hinted >= 0 && (await this.headOf(files[hinted] as JournalSegment)) === head) return hinted;
    }
    for (let i = files.length - 1; i >= 0; i--) {
      if ((await this.headOf(files[i] as JournalSegment)) === head) return i;
    }
    return -1;
  }

  /** Forgets fingerprints of segments no longer present. */
  prune(files: readonly JournalSegment[]): void {
    const present = new Set(files.map((f) => f.name.replace(/\.gz$/, '')));
    for (const key of this.heads.keys()) if (!present.has(key)) this.heads.delete(key);
  }

  /**
   * Whether the active file the shipper opened (inode `ino`) has been rotated away: the active
   * path now names another file. While the path is briefly missing (between the rename and the
   * writer's reopen) it answers false, and the caller asks again.
   */
  async rotatedAway(ino: number): Promise<boolean> {
    try {
      return (await stat(this.layout.activePath)).ino !== ino;
    } catch {
      return false;
    }
  }
}
