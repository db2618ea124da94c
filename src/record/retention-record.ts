/**
 * The retention record: a signed record a journal writes, in the stream being written, before it
 * deletes expired segments. It names the segments and, for every stream with records in them,
 * the first and last sequence number removed and the signature of the last one (the head a later
 * record links to). A verifier then tells a stream removed by retention from a stream deleted by
 * someone else: the later stream's link, or the first record left of a partly removed stream,
 * must match a head named here.
 */
import type { AnyValueMap } from '@opentelemetry/api-logs';
import type { AuditRecordContent } from './audit-record.js';
import type { CanonicalValue } from './canonical.js';
import { RETENTION_EVENT_NAME } from './record-kinds.js';

/** Attribute keys of a retention record. */
export const RETENTION_ATTR = {
  /** File names of the segments removed. */
  segments: 'audit.retention.segments',
  /** `[{stream, firstSeq, lastSeq, head}]`: what the removed segments held of each stream. */
  streams: 'audit.retention.streams',
} as const;

/** What removed segments held of one stream. */
export interface RemovedStream {
  readonly stream: string;
  /** Lowest sequence number removed. */
  readonly firstSeq: number;
  /** Highest sequence number removed. */
  readonly lastSeq: number;
  /** Signature of the record at `lastSeq`. */
  readonly head: string;
}

/** What a journal removes in one retention sweep. */
export interface JournalRemoval {
  /** Segment file names. */
  readonly segments: readonly string[];
  readonly streams: readonly RemovedStream[];
}

/** Writes a signed retention record into the stream being written; returns whether it was written. Never throws. */
export type RemovalRecorder = (removal: JournalRemoval) => boolean;

/** The attributes of the retention record for `removal`. */
export function retentionAttributes(removal: JournalRemoval): AnyValueMap {
  return {
    [RETENTION_ATTR.segments]: [...removal.segments],
    [RETENTION_ATTR.streams]: removal.streams.map((s) => ({
      stream: s.stream,
      firstSeq: s.firstSeq,
      lastSeq: s.lastSeq,
      head: s.head,
    })),
  };
}

/** The removal a record declares, or `undefined` when it is not a well-formed retention record. */
export function removalOf(rec: AuditRecordContent): JournalRemoval | undefined {
  if (rec.event !== RETENTION_EVENT_NAME) return undefined;
  const segments = rec.attrs[RETENTION_ATTR.segments];
  const streams = rec.attrs[RETENTION_ATTR.streams];
  if (!Array.isArray(segments) || !Array.isArray(streams)) return undefined;
  const out: RemovedStream[] = [];
  for (const item of streams) {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return undefined;
    const { stream, firstSeq, lastSeq, head } = item as { [key: string]: CanonicalValue | undefined };
    if (
      typeof stream !== 'string' ||
      !isSeq(firstSeq) ||
      !isSeq(lastSeq) ||
      lastSeq < firstSeq ||
      typeof head !== 'string'
    )
      return undefined;
    out.push({ stream, firstSeq, lastSeq, head });
  }
  return { segments: segments.filter((s): s is string => typeof s === 'string'), streams: out };
}

function isSeq(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 1;
}
