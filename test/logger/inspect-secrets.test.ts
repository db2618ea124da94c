/**
 * Secrets stay out of inspectable state: `util.inspect` / `console.log` of an AuditLogger (at any
 * depth, hidden properties included) and of its webhook processor never show the signing key,
 * the webhook secret, webhook or OTLP auth headers, URL paths holding tokens, alert credentials
 * or the pseudonymization key; delivery still signs and sends the headers.
 */
import { expect } from 'chai';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { createAuditLogger } from '../../src/logger/default-logger.js';
import { WebhookProcessor } from '../../src/sinks/webhooks/webhook-processor.js';
import { verifyWebhookSignature } from '../../src/sinks/webhooks/signature.js';

const SIGNING_KEY = Buffer.alloc(32, 0x5c);
const SECRETS = {
  webhookSecret: 'whsec-SECRET-1d2c',
  webhookAuth: 'Bearer hook-TOKEN-77aa',
  webhookPathToken: 'T0KEN-IN-PATH-9f9f',
  otlpAuth: 'Bearer otlp-TOKEN-41bd',
  smtpPass: 'smtp-PASS-31cc',
  slackToken: 'SLACK-T0KEN-8e8e',
  pseudonymKey: 'pseudonym-KEY-0123456789abcdef0123456789',
};
const FORBIDDEN = [
  ...Object.values(SECRETS),
  SIGNING_KEY.toString('hex'),
  SIGNING_KEY.toString('base64'),
  SIGNING_KEY.toString('base64url'),
];

function leaks(text: string): string[] {
  return FORBIDDEN.filter((s) => text.includes(s));
}

describe('util.inspect never shows secrets', () => {
  it('an AuditLogger with webhooks, alerts, OTLP headers and keys, inspected at depth 12, Infinity and showHidden', async () => {
    const received: { headers: IncomingHttpHeaders; body: string }[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const audit = createAuditLogger({
      signingKey: SIGNING_KEY,
      env: {},
      sealIntervalMs: 0,
      otlp: { endpoint: 'http://127.0.0.1:9', headers: { authorization: SECRETS.otlpAuth }, metrics: false },
      pii: { mode: 'pseudonymize', key: SECRETS.pseudonymKey },
    });
    try {
      audit.addWebhook(`http://127.0.0.1:${port}/hooks/${SECRETS.webhookPathToken}`, {
        secret: SECRETS.webhookSecret,
        headers: { authorization: SECRETS.webhookAuth },
        flushIntervalMs: 10,
      });
      audit.configureAlerts({
        slackWebhook: `http://127.0.0.1:9/services/${SECRETS.slackToken}`,
        emailConfig: {
          host: '127.0.0.1',
          port: 9,
          from: 'audit@example.com',
          to: ['ops@example.com'],
          auth: { user: 'audit', pass: SECRETS.smtpPass },
        },
      });
      audit.logLeadIngested('LEAD-00001', 'web_form', { email: 'ada@example.com' }, 'sales');
      for (const options of [
        { depth: 12 },
        { depth: Infinity },
        { depth: Infinity, showHidden: true },
        { depth: Infinity, getters: true },
      ]) {
        const text = inspect(audit, options);
        expect(leaks(text), JSON.stringify(options)).to.deep.equal([]);
        expect(text).to.contain('AuditLogger').and.to.contain(`http://127.0.0.1:${port}`);
      }
      expect(leaks(String(audit))).to.deep.equal([]);
      // the secret and headers are still used for delivery
      await audit.forceFlush();
      expect(received.length).to.be.greaterThan(0);
      const first = received[0]!;
      expect(first.headers.authorization).to.equal(SECRETS.webhookAuth);
      expect(
        verifyWebhookSignature(SECRETS.webhookSecret, first.body, first.headers['x-audit-signature'] as string),
      ).to.equal(true);
    } finally {
      await audit.shutdown();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('a WebhookProcessor inspected on its own shows origins and counters only', async () => {
    const processor = new WebhookProcessor();
    processor.add(`http://127.0.0.1:9/x/${SECRETS.webhookPathToken}`, {
      secret: SECRETS.webhookSecret,
      headers: { 'x-api-key': SECRETS.webhookAuth },
    });
    try {
      const text = inspect(processor, { depth: Infinity, showHidden: true });
      expect(leaks(text)).to.deep.equal([]);
      expect(text).to.contain("origin: 'http://127.0.0.1:9'").and.to.contain('signed: true');
      expect(leaks(JSON.stringify(Object.getOwnPropertyNames(processor)))).to.deep.equal([]);
    } finally {
      await processor.shutdown();
    }
  });
});
