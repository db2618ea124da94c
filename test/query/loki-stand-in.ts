/**
 * TEST STAND-IN for Loki's query API — NOT Loki. Loki cannot be built on this machine, so the Loki
 * query source is unit-tested against this loopback HTTP server, which answers
 * `GET /loki/api/v1/query_range` in Loki's documented response format (streams result, values
 * `[ns, line]` or `[ns, line, {structuredMetadata}]` with `X-Loki-Response-Encoding-Flags:
 * categorize-labels`), honours start (inclusive), end (exclusive), limit and forward direction,
 * and evaluates the LogQL subset the source emits: one stream selector with `=`/`=~` matchers and
 * `| label = "v"` / `| label != "v"` filters. Anything else is answered 400, like a parse error.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One stored entry. */
export interface StandInEntry {
  readonly tsNs: bigint;
  readonly line: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly metadata: Readonly<Record<string, string>>;
}

/** Loopback server answering Loki's query_range from an in-memory list of entries. */
export class LokiStandIn {
  /** Stored entries (tests may push/edit). */
  readonly entries: StandInEntry[] = [];
  /** Queries received (LogQL text), in order. */
  readonly queries: string[] = [];
  /** Answer with merged labels (no categorize-labels support), as Loki without the flag does. */
  mergeMetadataIntoLabels = false;
  /** Most entries per response, as Loki's max_entries_limit_per_query. */
  maxEntriesPerQuery = 5000;
  private server: Server | undefined;

  /** Base URL once started. */
  get url(): string {
    const addr = this.server?.address() as AddressInfo | undefined;
    if (!addr) throw new Error('stand-in not started');
    return `http://127.0.0.1:${addr.port}`;
  }

  /** Listens on an ephemeral loopback port. */
  async start(): Promise<void> {
    const server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    this.server = server;
  }

  /** Stops listening. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/ready') {
      res.writeHead(200).end('ready');
      return;
    }
    if (req.method !== 'GET' || url.pathname !== '/loki/api/v1/query_range') {
      res.writeHead(404).end('404 page not found');
      return;
    }
    const query = url.searchParams.get('query') ?? '';
    this.queries.push(query);
    let matcher: (e: StandInEntry) => boolean;
    try {
      matcher = compileLogQl(query);
    } catch (err) {
      res.writeHead(400, { 'Content-Type': 'text/plain' }).end(`parse error : ${(err as Error).message}`);
      return;
    }
    if (url.searchParams.get('direction') !== 'forward') {
      res.writeHead(400).end('stand-in supports direction=forward only');
      return;
    }
    const start = BigInt(url.searchParams.get('start') ?? '0');
    const end = BigInt(url.searchParams.get('end') ?? String(BigInt(Date.now()) * 1_000_000n));
    const limit = Math.min(Number(url.searchParams.get('limit') ?? '100'), this.maxEntriesPerQuery);
    const hits = this.entries
      .filter((e) => e.tsNs >= start && e.tsNs < end && matcher(e))
      .sort((a, b) => (a.tsNs < b.tsNs ? -1 : a.tsNs > b.tsNs ? 1 : 0))
      .slice(0, limit);
    const categorize =
      !this.mergeMetadataIntoLabels && req.headers['x-loki-response-encoding-flags'] === 'categorize-labels';
    const streams = new Map<string, { stream: Record<string, string>; values: unknown[] }>();
    for (const e of hits) {
      const labels = categorize ? { ...e.labels } : { ...e.labels, ...e.metadata };
      const key = JSON.stringify(Object.entries(labels).sort());
      let s = streams.get(key);
      if (!s) streams.set(key, (s = { stream: labels, values: [] }));
      s.values.push(
        categorize
          ? [e.tsNs.toString(), e.line, { structuredMetadata: { ...e.metadata } }]
          : [e.tsNs.toString(), e.line],
      );
    }
    const body = {
      status: 'success',
      data: {
        resultType: 'streams',
        result: [...streams.values()],
        stats: {},
        ...(categorize ? { encodingFlags: ['categorize-labels'] } : {}),
      },
    };
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
  }
}

/** Compiles the LogQL subset described above; throws on anything else. */
export function compileLogQl(query: string): (e: StandInEntry) => boolean {
  const m = /^\s*\{([^}]*)\}(.*)$/s.exec(query);
  if (!m) throw new Error('expected a stream selector');
  const selectors = splitMatchers(m[1] as string).map((s) => matcherOf(s, 'labels'));
  const filters: ((e: StandInEntry) => boolean)[] = [];
  let rest = (m[2] as string).trim();
  while (rest !== '') {
    const f = /^\|\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(!=|=)\s*("(?:[^"\\]|\\.)*")\s*/.exec(rest);
    if (!f) throw new Error(`unsupported pipeline stage near "${rest.slice(0, 30)}"`);
    const [, name, op, literal] = f as unknown as [string, string, string, string];
    const value = JSON.parse(literal) as string;
    filters.push((e) => {
      const actual = e.metadata[name] ?? e.labels[name] ?? '';
      return op === '=' ? actual === value : actual !== value;
    });
    rest = rest.slice(f[0].length);
  }
  if (selectors.length === 0) throw new Error('queries require at least one matcher');
  return (e) => selectors.every((s) => s(e)) && filters.every((f) => f(e));
}

function splitMatchers(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function matcherOf(text: string, _where: 'labels'): (e: StandInEntry) => boolean {
  const m = /^([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|=)\s*("(?:[^"\\]|\\.)*")$/.exec(text);
  if (!m) throw new Error(`unsupported matcher ${text}`);
  const [, name, op, literal] = m as unknown as [string, string, string, string];
  const value = JSON.parse(literal) as string;
  if (op === '=') return (e) => (e.labels[name] ?? '') === value;
  const re = new RegExp(`^(?:${value})$`);
  return (e) => re.test(e.labels[name] ?? '');
}

/**
 * How Loki's OTLP ingestion stores a log record (per Loki's OTLP documentation): the body becomes
 * the line, `service.name` the `service_name` index label, log attributes structured metadata with
 * `.` replaced by `_`.
 */
export function lokiEntryFromOtlp(log: {
  readonly timeUnixNano: string;
  readonly body: string | undefined;
  readonly attributes: Readonly<Record<string, string>>;
  readonly resource: Readonly<Record<string, string>>;
}): StandInEntry {
  const metadata: Record<string, string> = {};
  for (const [k, v] of Object.entries(log.attributes)) metadata[k.replace(/[^a-zA-Z0-9_]/g, '_')] = v;
  return {
    tsNs: BigInt(log.timeUnixNano),
    line: log.body ?? '',
    labels: { service_name: log.resource['service.name'] ?? 'unknown_service' },
    metadata,
  };
}
