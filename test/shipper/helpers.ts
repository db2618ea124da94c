/** Helpers of the shipper tests that drive a {@link JournalShipper} in this thread. */
import { JournalLayout, type JournalSegment } from '../../src/sinks/journal/layout.js';
import type { LogBatchSender } from '../../src/sinks/shipper/otlp-sender.js';

/** Journal lines of records `from`..`to` of one stream (the shipper needs no valid signature). */
export function lines(from: number, to: number): string {
  let out = '';
  for (let seq = from; seq <= to; seq++) {
    const rec = {
      attrs: { n: seq },
      body: 'b',
      event: 'e',
      kid: 'k',
      prev: '',
      seq,
      sev: null,
      sevNum: null,
      stream: 's1',
      ts: '2026-01-01T00:00:00.000Z',
      tsNanos: 0,
      v: 1,
    };
    out += JSON.stringify({ rec, sig: `sig${seq}` }) + '\n';
  }
  return out;
}

/**
 * A layout whose listings call `hook` right after they were taken (the journal may change then);
 * a listing the hook returns replaces the one taken (a listing that missed a file).
 */
export class HookedLayout extends JournalLayout {
  hook: ((listing: readonly JournalSegment[]) => Promise<JournalSegment[] | void>) | undefined;
  override async list(): Promise<JournalSegment[]> {
    const listing = await super.list();
    return (await this.hook?.(listing)) ?? listing;
  }
}

/** Collects the seqs of OTLP/JSON requests; acknowledges each. */
export function collectingSender(seqs: number[]): LogBatchSender {
  return {
    send(body) {
      const json = JSON.parse(body.toString('utf8')) as {
        resourceLogs: {
          scopeLogs: { logRecords: { attributes: { key: string; value: { intValue?: string } }[] }[] }[];
        }[];
      };
      for (const lr of json.resourceLogs[0]?.scopeLogs[0]?.logRecords ?? [])
        seqs.push(Number(lr.attributes.find((a) => a.key === 'audit.seq')?.value.intValue));
      return Promise.resolve({ kind: 'accepted', rejected: 0 });
    },
    close() {},
  };
}
