/**
 * A real HTTP server on 127.0.0.1 standing in for Slack, Discord or a webhook receiver in tests:
 * records every request (headers, raw body) and answers as the test scripts it. It listens on a
 * port the system picks, or, when `LOOPBACK_TEST_PORTS` is set (`from-to`), on the first free port
 * of that range.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the peer received. */
export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly rawBody: string;
}

/** How the peer answers request number `index` (0-based). */
export interface PeerReply {
  readonly status: number;
  readonly headers?: Record<string, string>;
  /** Wait this long before answering. */
  readonly delayMs?: number;
}

/** A running loopback peer. */
export interface LoopbackPeer {
  readonly url: string;
  readonly requests: ReceivedRequest[];
  /** Resolves when at least `count` requests arrived, rejects after `timeoutMs`. */
  waitForRequests(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** Starts a peer answering with `reply(index)` (default 200). */
export async function startPeer(reply: (index: number) => PeerReply = () => ({ status: 200 })): Promise<LoopbackPeer> {
  const requests: ReceivedRequest[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const index = requests.length;
      requests.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        rawBody: Buffer.concat(chunks).toString('utf8'),
      });
      for (const w of waiters.filter((w) => requests.length >= w.count)) w.resolve();
      const answer = reply(index);
      const send = (): void => {
        if (res.destroyed) return;
        res.writeHead(answer.status, { 'content-type': 'application/json', ...(answer.headers ?? {}) });
        res.end('{}');
      };
      if (answer.delayMs) {
        const t = setTimeout(() => {
          timers.delete(t);
          send();
        }, answer.delayMs);
        timers.add(t);
      } else send();
    });
  });
  await listenLoopback(server);
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook/secret-token`,
    requests,
    waitForRequests(count, timeoutMs = 5000) {
      if (requests.length >= count) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const t = setTimeout(
          () => reject(new Error(`only ${requests.length} of ${count} requests after ${timeoutMs} ms`)),
          timeoutMs,
        );
        waiters.push({
          count,
          resolve: () => {
            clearTimeout(t);
            resolve();
          },
        });
      });
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A URL on loopback where nothing listens (connection refused). */
export async function deadUrl(): Promise<string> {
  const server = createServer();
  await listenLoopback(server);
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/down`;
}

/** Listens on 127.0.0.1: on a port the system picks, or the first free one of `LOOPBACK_TEST_PORTS` (`from-to`). */
async function listenLoopback(server: Server): Promise<void> {
  const range = /^(\d+)-(\d+)$/.exec(process.env.LOOPBACK_TEST_PORTS ?? '');
  const [from, to] = range ? [Number(range[1]), Number(range[2])] : [0, 0];
  for (let port = from; ; port++) {
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => {
          server.off('error', reject);
          resolve();
        });
      });
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || port >= to) throw err;
    }
  }
}
