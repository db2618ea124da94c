/**
 * A minimal webhook receiver for the audit event stream: checks `X-Audit-Signature` against the
 * raw body, then prints one line per event. Run it next to the demo:
 *
 *   AUDIT_WEBHOOK_SECRET=demo-secret node dist/examples/webhook-receiver.js --port 8787
 *   AUDIT_WEBHOOK_SECRET=demo-secret npm run demo -- --webhook http://127.0.0.1:8787/events
 */
import { createServer, type Server } from 'node:http';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { SIGNATURE_HEADER, verifyWebhookSignature } from '../src/sinks/webhooks/signature.js';
import { type WebhookPayload } from '../src/sinks/webhooks/endpoint.js';

/** Options of {@link startWebhookReceiver}. */
export interface WebhookReceiverOptions {
  readonly port: number;
  readonly host?: string;
  /** Shared secret; requests with a missing or wrong signature get 401. */
  readonly secret?: string;
  /** Called with every accepted payload. */
  readonly onPayload: (payload: WebhookPayload) => void;
}

/** Starts the receiver; resolves once it listens. */
export async function startWebhookReceiver(options: WebhookReceiverOptions): Promise<Server> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const header = req.headers[SIGNATURE_HEADER.toLowerCase()];
      if (
        options.secret !== undefined &&
        !verifyWebhookSignature(options.secret, raw, typeof header === 'string' ? header : undefined)
      ) {
        res.writeHead(401).end();
        return;
      }
      try {
        options.onPayload(JSON.parse(raw.toString('utf8')) as WebhookPayload);
        res.writeHead(204).end();
      } catch {
        res.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port, options.host ?? '127.0.0.1', resolve));
  return server;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { port: { type: 'string', default: '8787' } } });
  const secret = process.env.AUDIT_WEBHOOK_SECRET;
  await startWebhookReceiver({
    port: Number(values.port),
    ...(secret ? { secret } : {}),
    onPayload(payload) {
      for (const e of payload.events) {
        console.log(
          `${e.ts} ${e.type.padEnd(16)} ${(e.leadId ?? '-').padEnd(11)} seq=${e.seq} sig=${(e.sig ?? 'unsigned').slice(0, 10)}…`,
        );
      }
    },
  });
  console.log(
    `listening on http://127.0.0.1:${values.port}/events ${secret ? '(verifying signatures)' : '(AUDIT_WEBHOOK_SECRET not set: not verifying)'}`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) void main();
