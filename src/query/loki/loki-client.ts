/**
 * A small client of Loki's HTTP query API (`/loki/api/v1/query_range`, `/ready`). It pages through
 * a time range in forward direction so any number of entries can be read with Loki's per-query
 * entry limit (`max_entries_limit_per_query`, 5000 by default).
 */
import { CATEGORIZE_LABELS_HEADER, LokiResponseError, parseStreamsResponse, type LokiEntry } from './loki-response.js';
import { errorText } from '../../events/error-text.js';

/** How to reach Loki. */
export interface LokiClientOptions {
  /** Loki base URL, e.g. `http://localhost:3100`. */
  readonly url: string;
  /** Extra request headers (e.g. `Authorization`). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Tenant id sent as `X-Scope-OrgID` (multi-tenant Loki). */
  readonly tenant?: string;
  /** Per-request timeout in ms (default 30000). */
  readonly timeoutMs?: number;
  /** Entries asked per request (default 5000, Loki's default maximum). */
  readonly pageSize?: number;
}

/** A time range in nanoseconds since the epoch: `start` inclusive, `end` exclusive. */
export interface NsRange {
  readonly startNs: bigint;
  readonly endNs: bigint;
}

/** Loki could not be reached or refused the query. */
export class LokiQueryError extends Error {
  override readonly name = 'LokiQueryError';
  /** HTTP status, when Loki answered. */
  readonly status: number | undefined;

  constructor(message: string, status?: number) {
    super(message);
    this.status = status;
  }
}

/** Client of one Loki instance. */
export class LokiClient {
  private readonly base: string;
  private readonly headers: Record<string, string>;
  private readonly timeoutMs: number;
  private readonly pageSize: number;

  constructor(options: LokiClientOptions) {
    this.base = new URL(options.url).toString().replace(/\/+$/, '');
    this.headers = {
      ...CATEGORIZE_LABELS_HEADER,
      ...(options.tenant ? { 'X-Scope-OrgID': options.tenant } : {}),
      ...options.headers,
    };
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.pageSize = Math.max(1, Math.floor(options.pageSize ?? 5000));
  }

  /** True when Loki's `/ready` answers 200. */
  async ready(): Promise<boolean> {
    try {
      const res = await fetch(`${this.base}/ready`, {
        headers: this.headers,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      await res.arrayBuffer();
      return res.ok;
    } catch {
      return false;
    }
  }

  /** One `query_range` request for a log query, forward direction, at most `limit` entries. */
  async queryRange(query: string, range: NsRange, limit: number = this.pageSize): Promise<LokiEntry[]> {
    const params = new URLSearchParams({
      query,
      start: range.startNs.toString(),
      end: range.endNs.toString(),
      limit: String(limit),
      direction: 'forward',
    });
    const url = `${this.base}/loki/api/v1/query_range?${params.toString()}`;
    let res: Response;
    try {
      res = await fetch(url, { headers: this.headers, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (err) {
      throw new LokiQueryError(`Loki at ${this.base} is unreachable: ${errorText(err)}`);
    }
    const text = await res.text();
    if (!res.ok)
      throw new LokiQueryError(`Loki answered ${res.status} to ${query}: ${text.slice(0, 300).trim()}`, res.status);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new LokiResponseError('Loki answered with a body that is not JSON');
    }
    return parseStreamsResponse(body);
  }

  /**
   * Every entry of `query` in `range`, in time order (ties: response order), reading page by
   * page. Entries that share the timestamp at a page boundary are asked again and skipped once
   * seen, so none is lost or repeated by the paging itself.
   */
  async *entries(query: string, range: NsRange): AsyncGenerator<LokiEntry> {
    let start = range.startNs;
    let seenAtStart = new Set<string>();
    for (;;) {
      const page = (await this.queryRange(query, { startNs: start, endNs: range.endNs })).sort((a, b) =>
        a.tsNs < b.tsNs ? -1 : a.tsNs > b.tsNs ? 1 : 0,
      );
      let fresh = 0;
      for (const entry of page) {
        if (entry.tsNs === start && seenAtStart.has(entryKey(entry))) continue;
        fresh++;
        yield entry;
      }
      if (page.length < this.pageSize) return;
      const last = page[page.length - 1] as LokiEntry;
      if (fresh === 0) {
        throw new LokiQueryError(
          `more than ${this.pageSize} entries share timestamp ${last.tsNs} ns: raise pageSize (Loki max_entries_limit_per_query)`,
        );
      }
      const nextSeen = last.tsNs === start ? seenAtStart : new Set<string>();
      for (const entry of page) if (entry.tsNs === last.tsNs) nextSeen.add(entryKey(entry));
      seenAtStart = nextSeen;
      start = last.tsNs;
    }
  }
}

function entryKey(entry: LokiEntry): string {
  return JSON.stringify([entry.line, entry.labels, entry.metadata]);
}
