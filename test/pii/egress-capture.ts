/**
 * Everything that leaves the process in the egress harness, as text: a loopback HTTP peer that
 * keeps every request body (gzip/deflate undone) by path, and a text extractor that also decodes
 * what hides text (base64 `bytesValue` of OTLP JSON, `base64:` strings of journal lines,
 * quoted-printable mail bodies).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync, inflateSync } from 'node:zlib';

/** One received request. */
export interface CapturedRequest {
  readonly path: string;
  readonly body: string;
}

/** A running capture peer. */
export interface CapturePeer {
  readonly url: string;
  readonly requests: CapturedRequest[];
  /** Bodies of requests whose path starts with `prefix`. */
  bodies(prefix: string): string[];
  close(): Promise<void>;
}

/** Starts a peer on 127.0.0.1 answering 200 `{}` to everything. */
export async function startCapturePeer(): Promise<CapturePeer> {
  const requests: CapturedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let raw = Buffer.concat(chunks);
      const encoding = req.headers['content-encoding'];
      if (encoding === 'gzip') raw = gunzipSync(raw);
      else if (encoding === 'deflate') raw = inflateSync(raw);
      requests.push({ path: req.url ?? '', body: raw.toString('utf8') });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  server.keepAliveTimeout = 500;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    bodies: (prefix) => requests.filter((r) => r.path.startsWith(prefix)).map((r) => r.body),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** `text` and, when it is JSON (or JSON lines), every string and key inside it with hidden text decoded. */
export function textsOfPayload(text: string): string[] {
  const out = [text];
  const parsed = tryJson(text);
  if (parsed !== undefined) collect(parsed, out);
  else
    for (const line of text.split('\n')) {
      const value = tryJson(line);
      if (value !== undefined) collect(value, out);
    }
  return out;
}

/** A mail's raw source with quoted-printable soft breaks and escapes undone. */
export function decodeQuotedPrintable(raw: string): string {
  return raw
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

function tryJson(text: string): unknown {
  const t = text.trim();
  if (!(t.startsWith('{') || t.startsWith('['))) return undefined;
  try {
    return JSON.parse(t);
  } catch {
    return undefined;
  }
}

function collect(value: unknown, out: string[]): void {
  if (typeof value === 'string') {
    out.push(value);
    if (value.startsWith('base64:')) out.push(decode(value.slice('base64:'.length)));
    const nested = tryJson(value);
    if (nested !== undefined) collect(nested, out);
  } else if (Array.isArray(value)) {
    for (const v of value) collect(v, out);
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      if (k === 'bytesValue' && typeof v === 'string') out.push(decode(v));
      collect(v, out);
    }
  }
}

/** The UTF-8 and UTF-16LE readings of base64 text (a truncation marker after it is ignored). */
function decode(b64: string): string {
  const bytes = Buffer.from(b64.replace(/[^A-Za-z0-9+/=].*$/s, ''), 'base64');
  return bytes.toString('utf8') + '\n' + bytes.toString('utf16le');
}
