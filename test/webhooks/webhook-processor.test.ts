import { createHmac } from 'node:crypto';
import { expect } from 'chai';
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import { AuditDiagnostics } from '../../src/events/diagnostics.js';
import { ATTR } from '../../src/events/semconv.js';
import {
  BATCH_ID_HEADER,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  verifyWebhookSignature,
} from '../../src/sinks/webhooks/signature.js';
import { WebhookProcessor } from '../../src/sinks/webhooks/webhook-processor.js';
import { type WebhookPayload } from '../../src/sinks/webhooks/endpoint.js';
import { deadUrl, startPeer, type LoopbackPeer } from './loopback-peer.js';
import { emitError, emitIngested, TEST_KEY, testPipeline } from './test-pipeline.js';

const SECRET = 'whsec-test';

function payloadOf(peer: LoopbackPeer, i: number): WebhookPayload {
  return JSON.parse(peer.requests[i]!.rawBody) as WebhookPayload;
}

describe('WebhookProcessor against loopback peers', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  async function setup(
    reply?: Parameters<typeof startPeer>[0],
    opts: Parameters<WebhookProcessor['add']>[1] = {},
    flushTimeoutMs = 5000,
  ) {
    const peer = await startPeer(reply);
    const diagnostics = new AuditDiagnostics();
    const webhooks = new WebhookProcessor({ diagnostics, flushTimeoutMs });
    webhooks.add(peer.url, { secret: SECRET, backoffBaseMs: 10, ...opts });
    const { provider, logger } = testPipeline(webhooks);
    cleanup.push(
      () => peer.close(),
      () => provider.shutdown(),
    );
    return { peer, diagnostics, webhooks, provider, logger };
  }

  it('posts batches in order with a verifiable HMAC header and signed records', async () => {
    const { peer, webhooks, logger } = await setup(undefined, { batchSize: 2, flushIntervalMs: 60_000 });
    for (let i = 1; i <= 5; i++) emitIngested(logger, `LEAD-${i}`);
    await webhooks.forceFlush();
    expect(peer.requests).to.have.length(3);
    const leads = peer.requests.flatMap((_, i) => payloadOf(peer, i).events.map((e) => e.leadId));
    expect(leads).to.deep.equal(['LEAD-1', 'LEAD-2', 'LEAD-3', 'LEAD-4', 'LEAD-5']);
    for (const [i, req] of peer.requests.entries()) {
      expect(req.method).to.equal('POST');
      expect(req.headers['content-type']).to.equal('application/json');
      const header = req.headers[SIGNATURE_HEADER.toLowerCase()] as string;
      expect(header).to.match(/^sha256=[0-9a-f]{64}$/);
      expect(verifyWebhookSignature(SECRET, req.rawBody, header)).to.equal(true);
      expect(verifyWebhookSignature('wrong-secret', req.rawBody, header)).to.equal(false);
      expect(verifyWebhookSignature(SECRET, req.rawBody + ' ', header)).to.equal(false);
      const payload = payloadOf(peer, i);
      expect(req.headers[TIMESTAMP_HEADER.toLowerCase()]).to.equal(String(payload.sentAt));
      expect(req.headers[BATCH_ID_HEADER.toLowerCase()]).to.equal(payload.batchId);
      for (const event of payload.events) {
        // a receiver holding the audit key can verify every record
        expect(createHmac('sha256', TEST_KEY).update(event.canonical!).digest('base64url')).to.equal(event.sig);
        expect(event.type).to.equal('lead_ingested');
        expect(event.workflow).to.equal('sales');
        expect(event.seq).to.be.greaterThan(0);
      }
    }
    expect(webhooks.stats()[peer.url]).to.include({ sent: 5, failed: 0, dropped: 0, queued: 0, retried: 0 });
  });

  it('sends a partial batch after the flush interval without forceFlush', async () => {
    const { peer, logger } = await setup(undefined, { batchSize: 100, flushIntervalMs: 50 });
    emitIngested(logger, 'LEAD-T');
    await peer.waitForRequests(1, 2000);
    expect(payloadOf(peer, 0).events.map((e) => e.leadId)).to.deep.equal(['LEAD-T']);
  });

  it('retries a 500 and then succeeds with the same batch id', async () => {
    const { peer, webhooks, diagnostics, logger } = await setup((i) => ({ status: i === 0 ? 500 : 200 }));
    emitError(logger, 'CrmTimeout', 'CRM did not answer', 'LEAD-1');
    await webhooks.forceFlush();
    expect(peer.requests).to.have.length(2);
    expect(payloadOf(peer, 0).batchId).to.equal(payloadOf(peer, 1).batchId);
    expect(webhooks.stats()[peer.url]).to.include({ sent: 1, retried: 1, failed: 0, lastError: 'HTTP 500' });
    expect(diagnostics.total()).to.equal(0);
  });

  it('waits as long as Retry-After asks on 429', async () => {
    const { peer, webhooks, logger } = await setup((i) =>
      i === 0 ? { status: 429, headers: { 'retry-after': '1' } } : { status: 200 },
    );
    emitIngested(logger, 'LEAD-1');
    const started = Date.now();
    await webhooks.forceFlush();
    const elapsed = Date.now() - started;
    expect(peer.requests).to.have.length(2);
    expect(elapsed).to.be.within(950, 4000);
    expect(webhooks.stats()[peer.url]).to.include({ sent: 1, retried: 1 });
  });

  it('times out a hanging request and retries it', async () => {
    const { peer, webhooks, logger } = await setup(
      (i) => (i === 0 ? { status: 200, delayMs: 3000 } : { status: 200 }),
      {
        timeoutMs: 200,
      },
    );
    emitIngested(logger, 'LEAD-1');
    await webhooks.forceFlush();
    expect(peer.requests).to.have.length(2);
    const stats = webhooks.stats()[peer.url]!;
    expect(stats).to.include({ sent: 1, retried: 1 });
    expect(stats.lastError).to.match(/timeout after 200 ms/);
  });

  it('gives up on a non-retryable 400 and counts the failure', async () => {
    const { peer, webhooks, diagnostics, logger } = await setup(() => ({ status: 400 }));
    emitIngested(logger, 'LEAD-1');
    emitIngested(logger, 'LEAD-2');
    await webhooks.forceFlush();
    expect(peer.requests).to.have.length(1);
    expect(webhooks.stats()[peer.url]).to.include({ sent: 0, failed: 2, retried: 0 });
    expect(diagnostics.total('webhook.delivery')).to.equal(1);
    const detail = diagnostics.snapshot()[0]!.lastDetail!;
    expect(detail).to.include('HTTP 400').and.not.include('secret-token');
  });

  it('does not follow a redirect (a 302 would turn the POST into a bodiless GET) and counts the batch as failed', async () => {
    const { peer, webhooks, diagnostics, logger } = await setup((i) =>
      i === 0 ? { status: 302, headers: { location: '/elsewhere' } } : { status: 200 },
    );
    emitIngested(logger, 'LEAD-1');
    await webhooks.forceFlush();
    expect(peer.requests.map((r) => `${r.method} ${r.path}`)).to.deep.equal(['POST /hook/secret-token']);
    expect(webhooks.stats()[peer.url]).to.include({ sent: 0, failed: 1, retried: 0 });
    expect(diagnostics.total('webhook.delivery')).to.equal(1);
    expect(diagnostics.snapshot()[0]!.lastDetail).to.include('HTTP 302').and.include('redirect');
  });

  it('with the peer down, bounds the queue, counts every record and never throws', async () => {
    const url = await deadUrl();
    const diagnostics = new AuditDiagnostics();
    const webhooks = new WebhookProcessor({ diagnostics, flushTimeoutMs: 300 });
    webhooks.add(url, { maxQueue: 3, batchSize: 100, flushIntervalMs: 60_000, maxRetries: 1, backoffBaseMs: 5 });
    const { provider, logger } = testPipeline(webhooks);
    const started = Date.now();
    for (let i = 0; i < 10; i++) emitIngested(logger, `LEAD-${i}`);
    expect(Date.now() - started).to.be.below(200);
    expect(webhooks.stats()[url]).to.include({ dropped: 7, queued: 3 });
    expect(diagnostics.total('webhook.dropped')).to.equal(7);
    await provider.shutdown();
    const stats = webhooks.stats()[url]!;
    expect(stats.sent + stats.failed + stats.dropped).to.equal(10);
    expect(stats).to.include({ failed: 3, retried: 1, queued: 0 });
    expect(stats.lastError).to.match(/ECONNREFUSED/);
    expect(diagnostics.total('webhook.delivery')).to.equal(1);
    emitIngested(logger, 'LEAD-after'); // after shutdown: neither throws nor reaches a queue
  });

  it('shutdown returns by its deadline when the peer hangs, counting what was left', async () => {
    const { peer, webhooks, diagnostics, provider, logger } = await setup(
      () => ({ status: 200, delayMs: 5000 }),
      { timeoutMs: 10_000 },
      300,
    );
    emitIngested(logger, 'LEAD-1');
    await webhooks.forceFlush().catch(() => undefined);
    const started = Date.now();
    await provider.shutdown();
    expect(Date.now() - started).to.be.below(1500);
    expect(webhooks.stats()[peer.url]).to.include({ sent: 0, dropped: 1, queued: 0 });
    expect(diagnostics.total('webhook.dropped')).to.equal(1);
  });

  it('streams unsigned records too (no signer in the pipeline)', async () => {
    const peer = await startPeer();
    const webhooks = new WebhookProcessor({ diagnostics: new AuditDiagnostics() });
    webhooks.add(peer.url);
    const provider = new LoggerProvider({ processors: [webhooks] });
    cleanup.push(
      () => peer.close(),
      () => provider.shutdown(),
    );
    provider
      .getLogger('t')
      .emit({ body: 'plain', attributes: { [ATTR.eventType]: 'lead_routed', [ATTR.leadId]: 'L9' } });
    const loop: Record<string, unknown> = { step: 2 };
    loop.again = loop;
    provider.getLogger('t').emit({ body: loop as never, attributes: { [ATTR.leadId]: 'L10', size: 3 } });
    await webhooks.forceFlush();
    const events = peer.requests.flatMap((_r, i) => payloadOf(peer, i).events);
    const [event, cyclic] = events;
    expect(event).to.include({ type: 'lead_routed', leadId: 'L9', message: 'plain', seq: 0, stream: '' });
    expect(event!.sig).to.equal(undefined);
    // a value JSON cannot carry is converted as the signer converts it; nothing of the record is lost
    expect(cyclic).to.include({ leadId: 'L10', message: '{"again":"[Circular]","step":2}' });
    expect(cyclic!.attrs).to.deep.equal({ [ATTR.leadId]: 'L10', size: 3 });
    expect(peer.requests[0]!.headers[SIGNATURE_HEADER.toLowerCase()]).to.equal(undefined);
  });

  it('rejects bad URLs and duplicates at set-up time', () => {
    const webhooks = new WebhookProcessor();
    expect(() => webhooks.add('not a url')).to.throw();
    expect(() => webhooks.add('ftp://example.com/x')).to.throw(/http or https/);
    // fetch refuses URLs with credentials: every batch would fail at run time instead
    expect(() => webhooks.add('https://user:pass@example.com/x')).to.throw(TypeError, /credentials/);
    expect(webhooks.urls()).to.deep.equal([]);
    webhooks.add('http://127.0.0.1:9/x');
    expect(() => webhooks.add('http://127.0.0.1:9/x')).to.throw(/already added/);
  });
});
