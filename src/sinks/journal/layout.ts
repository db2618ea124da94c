/**
 * Where a journal's files live and how they are named. For `logs/audit.log`:
 * - `logs/audit.log` — the active file, appended to;
 * - `logs/audit.20260204_153045.log` — a rotated segment (rotation time, UTC), briefly, until compressed;
 * - `logs/audit.20260204_153045.log.gz` — a compressed segment;
 * - `logs/audit.20260204_153045-2.log.gz` — a second segment rotated within the same second;
 * - `logs/audit.20260204_153045.log.gz.tmp` — a compression in progress (ignored by readers).
 */
import { readdirSync, statSync, type Stats } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

/** Listings taken while files keep vanishing under a concurrent rotation before the last one is used. */
const LIST_ATTEMPTS = 5;

/** One file of a journal, in reading order. */
export interface JournalSegment {
  /** Full path of the file. */
  readonly path: string;
  /** File name without directory. */
  readonly name: string;
  /** `active` (the file being appended to), `rotated` (plain) or `compressed` (gzip). */
  readonly kind: 'active' | 'rotated' | 'compressed';
  /** Size on disk in bytes. */
  readonly size: number;
  /** Rotation time for segments (from the name); last modification time for the active file. */
  readonly time: Date;
  /** Tie-breaker for segments rotated within the same second (0 for the first). */
  readonly counter: number;
}

/** Paths of one journal, derived from its active file path. */
export class JournalLayout {
  /** Directory holding every file of the journal. */
  readonly dir: string;
  /** Path of the active file. */
  readonly activePath: string;
  private readonly stem: string;
  private readonly ext: string;
  private readonly pattern: RegExp;

  constructor(auditFile: string) {
    this.activePath = path.resolve(auditFile);
    this.dir = path.dirname(this.activePath);
    const base = path.basename(this.activePath);
    this.ext = path.extname(base);
    this.stem = this.ext ? base.slice(0, -this.ext.length) : base;
    this.pattern = new RegExp(
      '^' + escapeRegExp(this.stem) + '\\.(\\d{8})_(\\d{6})(?:-(\\d+))?' + escapeRegExp(this.ext) + '(\\.gz)?$',
    );
  }

  /** File name of a rotated (uncompressed) segment for `time` and `counter`. */
  segmentName(time: Date, counter: number): string {
    const iso = time.toISOString(); // 2026-02-04T15:30:45.123Z
    const stamp = iso.slice(0, 10).replaceAll('-', '') + '_' + iso.slice(11, 19).replaceAll(':', '');
    return `${this.stem}.${stamp}${counter > 0 ? `-${counter}` : ''}${this.ext}`;
  }

  /** Parses a segment file name; `undefined` for files that are not segments of this journal. */
  parseSegmentName(name: string): { time: Date; counter: number; compressed: boolean } | undefined {
    const m = this.pattern.exec(name);
    if (!m) return undefined;
    const [, d, t, counter, gz] = m as unknown as [string, string, string, string | undefined, string | undefined];
    const time = new Date(
      `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}T${t.slice(0, 2)}:${t.slice(2, 4)}:${t.slice(4, 6)}Z`,
    );
    if (Number.isNaN(time.getTime())) return undefined;
    return { time, counter: counter ? Number(counter) : 0, compressed: gz !== undefined };
  }

  /** Every file of the journal in chronological reading order (segments, then the active file). */
  async list(): Promise<JournalSegment[]> {
    // A file listed by readdir may be renamed (rotation) or removed (compression) before its stat,
    // and a segment whose gzip is renamed into place while the directory is being read can be
    // missing from that read in both of its forms. So a listing counts only when every listed file
    // was still there and a second read of the directory names the same journal files; otherwise
    // it is taken again, so a concurrent rotation or compression never hides a file.
    let names = await this.readNames();
    for (let attempt = 1; ; attempt++) {
      if (names === undefined) return [];
      const found: JournalSegment[] = [];
      let vanished = false;
      for (const name of names) {
        const st = await stat(path.join(this.dir, name)).catch((err: unknown) =>
          isNotFound(err) ? undefined : Promise.reject(err),
        );
        if (st === undefined) vanished = true;
        const seg = st && this.toSegment(name, st);
        if (seg) found.push(seg);
      }
      const again = await this.readNames();
      const same = again !== undefined && sameJournalFiles(this, names, again);
      if ((!vanished && same) || attempt >= LIST_ATTEMPTS) return this.order(found);
      names = again;
    }
  }

  /** The names in the journal's directory; `undefined` when the directory does not exist. */
  protected async readNames(): Promise<string[] | undefined> {
    try {
      return await readdir(this.dir);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /** Synchronous {@link list}, for opening a journal. */
  listSync(): JournalSegment[] {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch (err) {
      if (isNotFound(err)) return [];
      throw err;
    }
    const found: JournalSegment[] = [];
    for (const name of names) {
      let st: Stats;
      try {
        st = statSync(path.join(this.dir, name));
      } catch (err) {
        if (isNotFound(err)) continue;
        throw err;
      }
      const seg = this.toSegment(name, st);
      if (seg) found.push(seg);
    }
    return this.order(found);
  }

  private toSegment(name: string, st: Stats): JournalSegment | undefined {
    if (!st.isFile()) return undefined;
    const full = path.join(this.dir, name);
    if (full === this.activePath) {
      return { path: full, name, kind: 'active', size: st.size, time: st.mtime, counter: 0 };
    }
    const parsed = this.parseSegmentName(name);
    if (!parsed) return undefined;
    return {
      path: full,
      name,
      kind: parsed.compressed ? 'compressed' : 'rotated',
      size: st.size,
      time: parsed.time,
      counter: parsed.counter,
    };
  }

  /**
   * Sorts segments by (time, counter), active last. When a segment exists both plain and
   * compressed (a crash between finishing the gzip and removing the plain file), the plain one
   * is kept: both hold the same lines, and the plain file is the original.
   */
  private order(found: JournalSegment[]): JournalSegment[] {
    const plain = new Set(found.filter((s) => s.kind === 'rotated').map((s) => s.name));
    const kept = found.filter((s) => !(s.kind === 'compressed' && plain.has(s.name.slice(0, -'.gz'.length))));
    return kept.sort((a, b) => {
      if (a.kind === 'active' || b.kind === 'active') return a.kind === 'active' ? 1 : -1;
      return a.time.getTime() - b.time.getTime() || a.counter - b.counter;
    });
  }
}

/** True for an `ENOENT` error. */
export function isNotFound(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'ENOENT';
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Whether two reads of the directory name the same files of `layout`'s journal. */
function sameJournalFiles(layout: JournalLayout, a: readonly string[], b: readonly string[]): boolean {
  const ofJournal = (names: readonly string[]): string[] =>
    names.filter((n) => n === path.basename(layout.activePath) || layout.parseSegmentName(n) !== undefined).sort();
  const x = ofJournal(a);
  const y = ofJournal(b);
  return x.length === y.length && x.every((n, i) => n === y[i]);
}
