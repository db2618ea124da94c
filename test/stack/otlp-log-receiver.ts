/**
 * TEST STAND-IN for Loki's native OTLP endpoint (`POST /otlp/v1/logs`, OTLP/HTTP JSON encoding):
 * a real loopback HTTP peer that the real collector's `otlp_http/loki` exporter delivers to (the
 * test configuration sets LOKI_OTLP_ENDPOINT/LOKI_OTLP_ENCODING). Loki itself cannot be built on
 * this machine (AGPL, not allowed here). It stores every record that arrives, keeps delivery
 * counts, and can be taken down (socket closed: connection refused) and brought back up.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { gunzip, inflate } from 'node:zlib';

const gunzipAsync = promisify(gunzip);
const inflateAsync = promisify(inflate);

/** An OTLP AnyValue (JSON encoding). */
export type OtlpAnyValue = {
  readonly stringValue?: string;
  readonly intValue?: string | number;
  readonly doubleValue?: number;
  readonly boolValue?: boolean;
  readonly arrayValue?: { readonly values?: readonly OtlpAnyValue[] };
  readonly kvlistValue?: { readonly values?: readonly { readonly key: string; readonly value: OtlpAnyValue }[] };
};

/** One log record as received. */
export interface ReceivedLog {
  readonly timeUnixNano: string;
  readonly body: string | undefined;
  /** Attributes with scalar values flattened to strings (as Loki's structured metadata holds them). */
  readonly attributes: Readonly<Record<string, string>>;
  readonly resource: Readonly<Record<string, string>>;
  readonly eventName: string | undefined;
  /** Index of the HTTP request that carried it (1-based). */
  readonly request: number;
  /** The record as it arrived, with its resource and scope attributes (nested values intact). */
  readonly otlp: ReceivedOtlpLog;
}

/** One OTLP log record as it arrived (JSON encoding), nested attribute values kept. */
export interface ReceivedOtlpLog {
  readonly resourceAttributes: readonly OtlpKeyValue[];
  readonly scopeAttributes: readonly OtlpKeyValue[];
  readonly attributes: readonly OtlpKeyValue[];
  readonly timeUnixNano?: string;
  readonly observedTimeUnixNano?: string;
  readonly severityNumber?: number;
  readonly severityText?: string;
  readonly traceId?: string;
  readonly spanId?: string;
  readonly flags?: number;
  readonly droppedAttributesCount?: number;
}

/** Loopback OTLP/HTTP JSON log receiver. */
export class OtlpLogReceiver {
  /** Every record received, in arrival order. */
  readonly logs: ReceivedLog[] = [];
  /** Requests accepted. */
  requests = 0;
  private server: Server | undefined;

  constructor(readonly port: number) {}

  /** Base URL (`http://127.0.0.1:<port>`). */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** True while listening. */
  get up(): boolean {
    return this.server !== undefined;
  }

  /** Starts listening on 127.0.0.1:port. */
  async start(): Promise<void> {
    if (this.server) return;
    const server = createServer((req, res) => void this.handle(req, res));
    server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    if ((server.address() as AddressInfo).port !== this.port) throw new Error('receiver bound to an unexpected port');
  }

  /** Stops listening and drops open connections (the collector then sees connection errors). */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Records whose `audit.stream` attribute is `stream`. */
  ofStream(stream: string): ReceivedLog[] {
    return this.logs.filter((l) => l.attributes['audit.stream'] === stream);
  }

  /** Waits until `predicate` holds, polling every 100 ms; throws after `timeoutMs`. */
  async waitFor(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      if (req.method !== 'POST' || req.url !== '/otlp/v1/logs') {
        res.writeHead(404).end();
        return;
      }
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      let raw = Buffer.concat(chunks);
      const encoding = req.headers['content-encoding'];
      if (encoding === 'gzip') raw = await gunzipAsync(raw);
      else if (encoding === 'deflate') raw = await inflateAsync(raw);
      else if (encoding !== undefined && encoding !== 'identity') {
        res.writeHead(415).end(`unsupported content-encoding ${encoding}`);
        return;
      }
      if (!String(req.headers['content-type'] ?? '').includes('application/json')) {
        res.writeHead(415).end('this stand-in only takes OTLP/JSON (LOKI_OTLP_ENCODING=json)');
        return;
      }
      const request = ++this.requests;
      this.logs.push(...receivedLogsOf(JSON.parse(raw.toString('utf8')) as OtlpLogsJson, request));
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
    } catch (err) {
      res.writeHead(400, { 'Content-Type': 'text/plain' }).end(String(err));
    }
  }
}

/** An OTLP/JSON `ExportLogsServiceRequest` (the fields read here). */
export interface OtlpLogsJson {
  readonly resourceLogs?: readonly {
    readonly resource?: { readonly attributes?: readonly OtlpKeyValue[] };
    readonly scopeLogs?: readonly {
      readonly scope?: { readonly attributes?: readonly OtlpKeyValue[] };
      readonly logRecords?: readonly {
        readonly timeUnixNano?: string;
        readonly observedTimeUnixNano?: string;
        readonly body?: OtlpAnyValue;
        readonly attributes?: readonly OtlpKeyValue[];
        readonly eventName?: string;
        readonly severityNumber?: number;
        readonly severityText?: string;
        readonly traceId?: string;
        readonly spanId?: string;
        readonly flags?: number;
        readonly droppedAttributesCount?: number;
      }[];
    }[];
  }[];
}

/** An OTLP key-value pair (JSON encoding). */
export interface OtlpKeyValue {
  readonly key: string;
  readonly value: OtlpAnyValue;
}

/** The log records of an OTLP/JSON request, as {@link OtlpLogReceiver} records them (`request`: its number). */
export function receivedLogsOf(json: OtlpLogsJson, request = 0): ReceivedLog[] {
  const out: ReceivedLog[] = [];
  for (const rl of json.resourceLogs ?? []) {
    const resource = flatten(rl.resource?.attributes ?? []);
    for (const sl of rl.scopeLogs ?? []) {
      for (const lr of sl.logRecords ?? []) {
        out.push({
          timeUnixNano: lr.timeUnixNano ?? lr.observedTimeUnixNano ?? '0',
          body: lr.body?.stringValue,
          attributes: flatten(lr.attributes ?? []),
          resource,
          eventName: lr.eventName,
          request,
          otlp: {
            resourceAttributes: rl.resource?.attributes ?? [],
            scopeAttributes: sl.scope?.attributes ?? [],
            attributes: lr.attributes ?? [],
            timeUnixNano: lr.timeUnixNano,
            observedTimeUnixNano: lr.observedTimeUnixNano,
            severityNumber: lr.severityNumber,
            severityText: lr.severityText,
            traceId: lr.traceId,
            spanId: lr.spanId,
            flags: lr.flags,
            droppedAttributesCount: lr.droppedAttributesCount,
          },
        });
      }
    }
  }
  return out;
}

function flatten(kvs: readonly OtlpKeyValue[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of kvs) out[kv.key] = scalarText(kv.value);
  return out;
}

/** Text of an AnyValue as Loki's structured metadata would hold it (complex values as JSON). */
export function scalarText(v: OtlpAnyValue): string {
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.intValue !== undefined) return String(v.intValue);
  if (v.doubleValue !== undefined) return String(v.doubleValue);
  if (v.boolValue !== undefined) return String(v.boolValue);
  return JSON.stringify(v);
}
