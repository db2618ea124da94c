/**
 * Fault-injection soak of the journal writer: a writer process emits at a steady rate onto a
 * journal on a small tmpfs while the soak SIGKILLs it at random moments (restarting it on the same
 * journal each time), fills the tmpfs up for a while (ENOSPC episodes), and optionally kills and
 * restarts the collector its OTLP records go to. Afterwards it verifies the journal and checks
 * every bound: only crash-recovered streams and accounted loss, each kill losing at most the
 * flush interval, and the records at the OTLP receiver identical to the journal's. Loopback only;
 * bounded by `durationMs`. Needs root (tmpfs).
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { mkdir, rm, unlink } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOSS_ATTR, LOSS_EVENT_NAME } from '../../src/record/record-kinds.js';
import { readJournal } from '../../src/sinks/journal/reader.js';
import { ChainVerifier } from '../../src/entry/verify.js';
import type { VerificationReport } from '../../src/verify/report.js';
import { mountTmpfs } from '../../test/journal/tmpfs.js';
import { mustHaveSeq } from './kill-bound.js';
import { spawnTickWriter, type TickWriter } from './tick-writer.js';
import { SOAK_KEYS } from './soak-keys.js';

const WRITER = fileURLToPath(new URL('./soak-writer.js', import.meta.url));

/** A collector the writer exports to, which the soak kills and restarts once. */
export interface SoakCollector {
  /** OTLP/HTTP base URL for the writer. */
  readonly endpoint: string;
  kill(): Promise<void>;
  restart(): Promise<void>;
  /** Resolves once what the collector still queues has arrived (bounded). */
  drain(): Promise<void>;
  /** `(stream, seq, sig)` of every record that arrived behind the collector. */
  received(): { stream: string; seq: number; sig: string }[];
}

/** Settings of {@link runSoak}. */
export interface SoakOptions {
  /** Directory to mount the tmpfs in (created). */
  readonly dir: string;
  readonly durationMs: number;
  /** Events per second the writer emits. */
  readonly rate: number;
  readonly kills: number;
  readonly enospcEpisodes: number;
  readonly enospcMs: number;
  readonly tmpfsMiB: number;
  readonly flushIntervalMs: number;
  /** The writer's `maxBufferBytes`: small, so that an ENOSPC episode overflows it (explicit loss). */
  readonly maxBufferBytes: number;
  readonly collector?: SoakCollector;
  readonly log?: (line: string) => void;
}

/** What one SIGKILL cost. */
export interface KillFigure {
  readonly stream: string;
  readonly lastReportedSeq: number;
  readonly lastSeqOnDisk: number;
  /** Events the writer had reported emitting that are not on disk (the crash window). */
  readonly lostAtLeast: number;
  /** Highest seq reported at least one flush interval (+50 ms timer latency) before the kill. */
  readonly mustHaveSeq: number;
  /** Killed during an ENOSPC episode or its retry back-off: buffered records may be lost, bounded by `maxBufferBytes`. */
  readonly duringDiskFull: boolean;
  readonly withinBound: boolean;
}

/** The soak's result. */
export interface SoakFigures {
  readonly seconds: number;
  readonly eventsOnDisk: number;
  readonly eventsPerSecond: number;
  readonly kills: readonly KillFigure[];
  readonly enospcEpisodes: number;
  readonly lossRecords: number;
  readonly recordsDeclaredLost: number;
  readonly tornLines: number;
  readonly report: Pick<VerificationReport, 'status' | 'exitCode' | 'countsByClass' | 'summary'> & {
    readonly streamStatuses: readonly string[];
  };
  /**
   * Records at the OTLP receiver: identical to the journal's record at the same stream and seq
   * (`matching`), different (`differing`, a failure), or absent from the journal (`unknown`: each
   * must be declared lost or lie in a kill's crash window).
   */
  readonly collector?: {
    readonly received: number;
    readonly matching: number;
    readonly differing: number;
    readonly unknown: number;
  };
  /** Every check that failed (empty: the soak passed). */
  readonly failures: readonly string[];
}

function startWriter(auditFile: string, o: SoakOptions): TickWriter {
  return spawnTickWriter(WRITER, [
    auditFile,
    String(o.rate),
    String(o.flushIntervalMs),
    String(o.maxBufferBytes),
    ...(o.collector ? [o.collector.endpoint] : []),
  ]);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Runs the soak and returns its figures; `failures` lists every bound that did not hold. */
export async function runSoak(o: SoakOptions): Promise<SoakFigures> {
  const log = o.log ?? ((): void => undefined);
  const disk = path.join(o.dir, 'disk');
  const unmount = mountTmpfs(disk, o.tmpfsMiB * 1024);
  const auditFile = path.join(disk, 'logs', 'audit.log');
  await mkdir(path.dirname(auditFile), { recursive: true });
  const killed: { w: TickWriter; at: number }[] = [];
  const episodes: [number, number][] = [];
  let writer: TickWriter | undefined;
  try {
    const t0 = Date.now();
    const spacing = o.durationMs / (o.kills + 1);
    const episodeAt = Array.from(
      { length: o.enospcEpisodes },
      (_, i) => t0 + (o.durationMs * (i + 0.5)) / (o.enospcEpisodes + 0.5),
    );
    // No kill from shortly before a disk-full episode until writing has surely resumed (the retry
    // back-off after the episode) and the loss record is written: such a kill would lose the
    // buffered records undeclared, which is the crash case, not the one an episode tests.
    const quiet = episodeAt.map((at) => [at - 1_500, at + o.enospcMs + 4_000] as const);
    const killAt = Array.from({ length: o.kills }, (_, i) => {
      let at = t0 + spacing * (i + 1) + (Math.random() - 0.5) * spacing * 0.6;
      for (const [from, to] of quiet) if (at >= from && at <= to) at = to + 50 * i;
      return at;
    }).sort((a, b) => a - b);
    let collectorKillAt = o.collector ? t0 + o.durationMs * 0.45 : Infinity;
    writer = startWriter(auditFile, o);
    let ballast: string | undefined;
    let episodeEnd = 0;
    let collectorBackAt = Infinity;
    while (Date.now() < t0 + o.durationMs) {
      await sleep(5);
      const now = Date.now();
      // a writer is killed only once it has run for a second: a kill during start-up tests nothing more
      const running = (writer.reports[0]?.[1] ?? Infinity) <= now - 1000;
      const inQuiet = quiet.some(([from, to]) => now >= from && now <= to);
      if (killAt.length > 0 && now >= (killAt[0] as number) && running && !inQuiet) {
        killAt.shift();
        const w = writer;
        w.child.kill('SIGKILL');
        await w.exited; // reaped: its lock is stale now
        killed.push({ w, at: now });
        log(`kill -9 writer ${w.stream} at +${now - t0} ms`);
        writer = startWriter(auditFile, o);
      }
      if (ballast === undefined && episodeAt.length > 0 && now >= (episodeAt[0] as number)) {
        episodeAt.shift();
        ballast = path.join(disk, 'ballast');
        fillUp(ballast);
        episodeEnd = now + o.enospcMs;
        log(`disk full at +${now - t0} ms`);
      }
      if (ballast !== undefined && now >= episodeEnd) {
        await unlink(ballast);
        ballast = undefined;
        episodes.push([episodeEnd - o.enospcMs, now]);
        log(`disk freed at +${now - t0} ms`);
      }
      if (o.collector && now >= collectorKillAt) {
        await o.collector.kill();
        collectorBackAt = now + 2000;
        log(`kill -9 collector at +${now - t0} ms`);
        collectorKillAt = Infinity;
      }
      if (now >= collectorBackAt) {
        await o.collector?.restart();
        collectorBackAt = Infinity;
        log(`collector restarted at +${now - t0} ms`);
      }
    }
    if (ballast !== undefined) {
      await unlink(ballast);
      episodes.push([episodeEnd - o.enospcMs, Date.now()]);
    }
    if (collectorBackAt !== Infinity) await o.collector?.restart();
    // A writer started by a kill near the end is asked to shut down only once it runs (its first
    // tick report: journal open, SIGTERM handler installed); before that SIGTERM would end the
    // trail in a stream that never started or never closed.
    const startedBy = Date.now() + 15_000;
    while (writer.reports.length === 0 && Date.now() < startedBy) await sleep(5);
    writer.child.kill('SIGTERM');
    await writer.exited;
    await o.collector?.drain();
    const seconds = (Date.now() - t0) / 1000;
    return await analyse(auditFile, o, killed, episodes, seconds);
  } finally {
    if (writer && writer.child.exitCode === null && writer.child.signalCode === null) {
      writer.child.kill('SIGKILL');
      await writer.exited;
    }
    await rm(path.join(disk, 'ballast'), { force: true });
    unmount();
  }
}

/** Writes `file` until its file system is full (ENOSPC), in shrinking chunks. */
function fillUp(file: string): void {
  const fd = openSync(file, 'w');
  try {
    for (let chunk = 1 << 20; chunk >= 512;) {
      try {
        writeSync(fd, Buffer.alloc(chunk, 1));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
        chunk >>= 1;
      }
    }
  } finally {
    closeSync(fd);
  }
}

/** Verifies the journal and checks every bound. */
async function analyse(
  auditFile: string,
  o: SoakOptions,
  killed: readonly { w: TickWriter; at: number }[],
  episodes: readonly [number, number][],
  seconds: number,
): Promise<SoakFigures> {
  const failures: string[] = [];
  const verifier = new ChainVerifier(SOAK_KEYS);
  const lastSeq = new Map<string, number>();
  const sigAt = new Map<string, string>();
  let events = 0;
  let lossRecords = 0;
  let declared = 0;
  const declaredRanges: { stream: string; from: number; to: number }[] = [];
  for await (const e of readJournal(auditFile)) {
    verifier.pushLine(e.line, e.location, e.torn);
    if (!e.decoded.ok) continue;
    const rec = e.decoded.record.rec;
    lastSeq.set(rec.stream, Math.max(lastSeq.get(rec.stream) ?? 0, rec.seq));
    if (o.collector) sigAt.set(`${rec.stream}#${rec.seq}`, e.decoded.record.sig);
    if (rec.event === LOSS_EVENT_NAME) {
      lossRecords++;
      declaredRanges.push({
        stream: String(rec.attrs[LOSS_ATTR.stream]),
        from: Number(rec.attrs[LOSS_ATTR.from]),
        to: Number(rec.attrs[LOSS_ATTR.to]),
      });
      declared += Number(rec.attrs[LOSS_ATTR.count]);
    } else if (rec.event === 'orchestrator.lead.ingested') events++;
  }
  const report = verifier.finish();
  const classes = Object.keys(report.countsByClass);
  const unexpected = classes.filter((c) => c !== 'accounted-loss');
  if (unexpected.length > 0)
    failures.push(`verifier findings other than accounted loss: ${unexpected.join(', ')}\n${report.summary}`);
  const statuses = report.streams.map((s) => s.status);
  const last = statuses[statuses.length - 1];
  if (last !== 'clean') failures.push(`the last stream (shut down cleanly) is ${String(last)}, not clean`);
  if (statuses.slice(0, -1).some((s) => s !== 'recovered'))
    failures.push(`killed streams not all recovered: ${statuses.join(' ')}`);
  if (report.streams.length !== killed.length + 1)
    failures.push(`${report.streams.length} streams for ${killed.length} kills`);
  const kills: KillFigure[] = killed.map(({ w, at }) => {
    const lastReportedSeq = w.reports[w.reports.length - 1]?.[0] ?? 0;
    const lastSeqOnDisk = lastSeq.get(w.stream) ?? 0;
    const mustHave = mustHaveSeq(w.reports, at, { flushIntervalMs: o.flushIntervalMs, tickMs: 20 });
    const duringDiskFull = episodes.some(([from, to]) => at >= from && at <= to + 5_500);
    const withinBound = duringDiskFull || lastSeqOnDisk >= mustHave;
    if (!withinBound)
      failures.push(
        `kill of ${w.stream}: seq ${mustHave} was emitted more than ${o.flushIntervalMs} ms before the kill but only ${lastSeqOnDisk} is on disk`,
      );
    return {
      stream: w.stream,
      lastReportedSeq,
      lastSeqOnDisk,
      lostAtLeast: Math.max(0, lastReportedSeq - lastSeqOnDisk),
      mustHaveSeq: mustHave,
      duringDiskFull,
      withinBound,
    };
  });
  let collector: SoakFigures['collector'];
  if (o.collector) {
    let matching = 0;
    let differing = 0;
    let unknown = 0;
    let unexplained = 0;
    for (const r of o.collector.received()) {
      const sig = sigAt.get(`${r.stream}#${r.seq}`);
      if (sig === undefined) {
        // not in the journal: it must be a record the journal lost and said so, or lost in a kill's window
        unknown++;
        const declaredLost = declaredRanges.some((d) => d.stream === r.stream && r.seq >= d.from && r.seq <= d.to);
        const crashLost = killed.some(({ w }) => w.stream === r.stream && r.seq > (lastSeq.get(r.stream) ?? 0));
        if (!declaredLost && !crashLost) unexplained++;
      } else if (sig === r.sig) matching++;
      else differing++;
    }
    collector = { received: o.collector.received().length, matching, differing, unknown };
    if (unexplained > 0)
      failures.push(
        `${unexplained} record(s) at the OTLP receiver are neither in the journal nor declared lost nor in a kill's crash window`,
      );
    if (differing > 0)
      failures.push(
        `${differing} record(s) at the OTLP receiver differ from the journal's record at the same stream and seq`,
      );
    if (matching === 0) failures.push('no record reached the OTLP receiver');
  }
  return {
    seconds,
    eventsOnDisk: events,
    eventsPerSecond: Math.round(events / seconds),
    kills,
    enospcEpisodes: episodes.length,
    lossRecords,
    recordsDeclaredLost: declared,
    tornLines: report.tornLines.length,
    report: {
      status: report.status,
      exitCode: report.exitCode,
      countsByClass: report.countsByClass,
      summary: report.summary,
      streamStatuses: statuses,
    },
    ...(collector ? { collector } : {}),
    failures,
  };
}
