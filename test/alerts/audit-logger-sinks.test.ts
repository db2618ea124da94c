import { createHmac } from 'node:crypto';
import { expect } from 'chai';
import { createAuditLogger } from '../../src/logger/default-logger.js';
import { verifyWebhookSignature } from '../../src/sinks/webhooks/signature.js';
import { type WebhookPayload } from '../../src/sinks/webhooks/endpoint.js';
import type { Alert } from '../../src/alerts/alert.js';
import { startPeer } from '../webhooks/loopback-peer.js';

const KEY = Buffer.alloc(32, 3);

describe('alerts and webhooks through the AuditLogger (real PII and signing processors)', () => {
  it('streams verifiable signed records and alerts without raw e-mail addresses', async () => {
    const [stream, alertHook] = await Promise.all([startPeer(), startPeer()]);
    const audit = createAuditLogger({ signingKey: KEY, signingKeyId: 'k1', pii: { enabled: true }, env: {} });
    try {
      audit.addWebhook(stream.url, { secret: 'whsec', batchSize: 50, flushIntervalMs: 50 });
      audit.configureAlerts({ webhook: alertHook.url, errorThreshold: 3, windowSeconds: 60 });
      const handled: Alert[] = [];
      audit.alertHandlers.push((_m, alert) => {
        handled.push(alert);
      });
      audit.logLeadIngested('LEAD-1', 'web_form', { email: 'jane.doe@example.com', budget: 1000 }, 'sales');
      for (let i = 0; i < 3; i++)
        audit.logError('EmailBounced', `550 mailbox unavailable for jane.doe@example.com (${i})`, 'LEAD-1', 'sales');
      await audit.forceFlush();

      const events = stream.requests.flatMap((r) => {
        expect(verifyWebhookSignature('whsec', r.rawBody, r.headers['x-audit-signature'] as string)).to.equal(true);
        return (JSON.parse(r.rawBody) as WebhookPayload).events;
      });
      expect(events.map((e) => e.type)).to.deep.equal(['lead_ingested', 'error', 'error', 'error']);
      for (const e of events) {
        expect(createHmac('sha256', KEY).update(e.canonical!).digest('base64url')).to.equal(e.sig);
        expect(e.canonical).to.not.include('jane.doe@example.com');
      }
      expect(handled).to.have.length(1);
      expect(alertHook.requests).to.have.length(1);
      const alert = JSON.parse(alertHook.requests[0]!.rawBody) as Alert;
      expect(alert).to.include({ errorCount: 3, threshold: 3 });
      expect(alertHook.requests[0]!.rawBody).to.not.include('jane.doe@example.com');
      expect(alert.recentErrors[0]!.leadId).to.equal('LEAD-1');
    } finally {
      await audit.shutdown();
      await stream.close();
      await alertHook.close();
    }
  });
});
