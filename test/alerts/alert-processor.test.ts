import { expect } from 'chai';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { AuditDiagnostics } from '../../src/events/diagnostics.js';
import { ATTR } from '../../src/events/semconv.js';
import { AlertProcessor } from '../../src/alerts/alert-processor.js';
import { type Alert } from '../../src/alerts/alert.js';
import { deadUrl, startPeer } from '../webhooks/loopback-peer.js';
import { emitError, emitIngested, testPipeline } from '../webhooks/test-pipeline.js';
import { headerOf, startSmtpPeer, textBodyOf } from './smtp-peer.js';

/** A settable clock. */
function fakeClock(start = Date.parse('2026-03-01T10:00:00Z')): {
  now: () => number;
  advance: (seconds: number) => void;
} {
  let t = start;
  return { now: () => t, advance: (s) => (t += s * 1000) };
}

describe('AlertProcessor', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  function pipeline(alerts: AlertProcessor) {
    const p = testPipeline(alerts);
    cleanup.push(() => p.provider.shutdown());
    return p;
  }

  it('fires once at the threshold, stays quiet for the cooldown, fires again after it', async () => {
    const clock = fakeClock();
    const alerts = new AlertProcessor({ now: clock.now, diagnostics: new AuditDiagnostics() });
    alerts.configure({ errorThreshold: 10, windowSeconds: 300, cooldownSeconds: 300 });
    const fired: Alert[] = [];
    const messages: string[] = [];
    alerts.handlers.push((message, alert) => {
      messages.push(message);
      fired.push(alert);
    });
    const { logger } = pipeline(alerts);

    for (let i = 1; i <= 9; i++) {
      emitError(logger, 'CrmTimeout', `CRM timed out for lead LEAD-${i}`, `LEAD-${i}`);
      emitIngested(logger, `LEAD-x${i}`); // non-errors do not count
      clock.advance(1);
    }
    await alerts.forceFlush();
    expect(fired, '9 errors').to.have.length(0);
    expect(alerts.stats()).to.include({ errorsInWindow: 9, fired: 0, inCooldown: false });

    emitError(logger, 'EmailBounce', 'mailbox unavailable', 'LEAD-10', 'nurture');
    await alerts.forceFlush();
    expect(fired, '10 errors').to.have.length(1);
    const alert = fired[0]!;
    expect(alert).to.include({ errorCount: 10, threshold: 10, windowSeconds: 300, suppressedSinceLastAlert: 0 });
    expect(alert.workflows).to.deep.equal(['sales', 'nurture']);
    expect(alert.errorTypes).to.deep.equal({ CrmTimeout: 9, EmailBounce: 1 });
    expect(alert.recentErrors).to.have.length(5);
    expect(alert.recentErrors.at(-1)).to.include({
      errorType: 'EmailBounce',
      message: 'mailbox unavailable',
      leadId: 'LEAD-10',
    });
    expect(messages[0]).to.equal(alert.text);
    expect(alert.text)
      .to.include('10 errors within 300s')
      .and.include('CrmTimeout ×9')
      .and.include('mailbox unavailable');

    clock.advance(100);
    for (let i = 0; i < 10; i++) emitError(logger, 'CrmTimeout', 'again', `LEAD-${i}`); // within cooldown
    clock.advance(199);
    emitError(logger, 'CrmTimeout', 'still cooling down', 'LEAD-z');
    await alerts.forceFlush();
    expect(fired, 'during cooldown').to.have.length(1);
    expect(alerts.stats().inCooldown).to.equal(true);

    clock.advance(2); // cooldown over; the first burst has left the window, 11 later errors remain
    emitError(logger, 'CrmTimeout', 'after cooldown', 'LEAD-y');
    await alerts.forceFlush();
    expect(fired, 'after cooldown').to.have.length(2);
    expect(fired[1]).to.include({ errorCount: 12, suppressedSinceLastAlert: 11 });
    expect(alerts.stats()).to.include({ fired: 2, errorsSeen: 22 });
  });

  it('counts errors in a sliding window: spread-out errors never fire', async () => {
    const clock = fakeClock();
    const alerts = new AlertProcessor({ now: clock.now, config: { errorThreshold: 3, windowSeconds: 10 } });
    let count = 0;
    alerts.handlers.push(() => {
      count++;
    });
    const { logger } = pipeline(alerts);
    for (let i = 0; i < 20; i++) {
      emitError(logger, 'X', 'x', 'L');
      clock.advance(5.1); // at most 2 errors in any 10 s
    }
    await alerts.forceFlush();
    expect(count).to.equal(0);
    // severity ERROR alone (no event type) counts too
    for (let i = 0; i < 3; i++)
      logger.emit({ severityNumber: SeverityNumber.FATAL, body: 'boom', attributes: { [ATTR.workflow]: 'w' } });
    await alerts.forceFlush();
    expect(count).to.equal(1);
  });

  it('delivers to Slack, Discord, a webhook and email (real SMTP) with the documented bodies', async () => {
    const [slack, discord, hook, smtp] = await Promise.all([startPeer(), startPeer(), startPeer(), startSmtpPeer()]);
    cleanup.push(
      () => slack.close(),
      () => discord.close(),
      () => hook.close(),
      () => smtp.close(),
    );
    const alerts = new AlertProcessor({ diagnostics: new AuditDiagnostics() });
    alerts.configure({
      slackWebhook: slack.url,
      discordWebhook: discord.url,
      webhook: hook.url,
      emailConfig: {
        host: '127.0.0.1',
        port: smtp.port,
        ignoreTLS: true,
        from: 'audit@example.test',
        to: ['ops@example.test', 'oncall@example.test'],
      },
      errorThreshold: 3,
      timeoutMs: 3000,
    });
    expect(alerts.channelNames()).to.deep.equal(['email', 'slack', 'discord', 'webhook']);
    const { logger } = pipeline(alerts);
    for (let i = 0; i < 3; i++) emitError(logger, 'CrmRateLimited', `HubSpot 429 for LEAD-${i}`, `LEAD-${i}`);
    await alerts.forceFlush();

    expect(slack.requests).to.have.length(1);
    const slackBody = JSON.parse(slack.requests[0]!.rawBody) as { text: string };
    expect(Object.keys(slackBody)).to.deep.equal(['text']);
    expect(slackBody.text)
      .to.include('3 errors in the last 300s (workflow sales)')
      .and.include('HubSpot 429 for LEAD-2');

    const discordBody = JSON.parse(discord.requests[0]!.rawBody) as { content: string };
    expect(Object.keys(discordBody)).to.deep.equal(['content', 'allowed_mentions']);
    expect(discordBody.content).to.include('CrmRateLimited ×3');

    const hookBody = JSON.parse(hook.requests[0]!.rawBody) as Alert;
    expect(hookBody).to.include({ errorCount: 3, threshold: 3 });
    expect(hookBody.errorTypes).to.deep.equal({ CrmRateLimited: 3 });

    expect(smtp.mails).to.have.length(1);
    const mail = smtp.mails[0]!;
    expect(mail.from).to.equal('audit@example.test');
    expect(mail.to).to.deep.equal(['ops@example.test', 'oncall@example.test']);
    expect(headerOf(mail.raw, 'Subject')).to.equal('[audit] 3 errors in the last 300s (workflow sales)');
    expect(textBodyOf(mail.raw)).to.include('Error types: CrmRateLimited ×3').and.include('HubSpot 429 for LEAD-0');

    const { channels } = alerts.stats();
    for (const name of ['email', 'slack', 'discord', 'webhook'])
      expect(channels[name], name).to.deep.equal({ sent: 1, failed: 0 });
  });

  it('counts failing, hanging and throwing deliveries without throwing into emit', async () => {
    const slack = await startPeer(() => ({ status: 500 }));
    const hanging = await startPeer(() => ({ status: 200, delayMs: 5000 }));
    cleanup.push(
      () => slack.close(),
      () => hanging.close(),
    );
    const diagnostics = new AuditDiagnostics();
    const alerts = new AlertProcessor({ diagnostics });
    alerts.configure({
      slackWebhook: slack.url,
      discordWebhook: await deadUrl(),
      webhook: hanging.url,
      emailConfig: {
        host: '127.0.0.1',
        port: Number(new URL(await deadUrl()).port),
        from: 'a@example.test',
        to: ['b@example.test'],
      },
      errorThreshold: 2,
      timeoutMs: 300,
    });
    alerts.handlers.push(() => {
      throw new Error('handler broke');
    });
    alerts.handlers.push(() => new Promise<void>(() => undefined)); // never settles
    let good = 0;
    alerts.handlers.push(async () => {
      good++;
    });
    const { logger } = pipeline(alerts);
    emitError(logger, 'X', 'one', 'L1');
    expect(() => emitError(logger, 'X', 'two', 'L2')).not.to.throw();
    const started = Date.now();
    await alerts.forceFlush();
    expect(Date.now() - started).to.be.below(2000);
    const { channels } = alerts.stats();
    expect(channels.slack).to.deep.equal({ sent: 0, failed: 1, lastError: 'HTTP 500' });
    expect(channels.discord!.failed).to.equal(1);
    expect(channels.webhook).to.deep.equal({ sent: 0, failed: 1, lastError: 'timed out after 300 ms' });
    expect(channels.email!.failed).to.equal(1);
    expect(channels.custom).to.deep.include({ sent: 1, failed: 2 });
    expect(good).to.equal(1);
    expect(diagnostics.total('alert.delivery')).to.equal(6);
  });

  it('counts a redirecting webhook and SMTP recipients refused with 550 as failed deliveries', async () => {
    const hook = await startPeer((i) => (i === 0 ? { status: 302, headers: { location: '/moved' } } : { status: 200 }));
    const smtp = await startSmtpPeer(['gone@example.test', 'gone2@example.test']);
    const allRefused = await startSmtpPeer(['gone@example.test']);
    cleanup.push(
      () => hook.close(),
      () => smtp.close(),
      () => allRefused.close(),
    );
    const diagnostics = new AuditDiagnostics();
    const alerts = new AlertProcessor({ diagnostics });
    alerts.configure({
      webhook: hook.url,
      emailConfig: {
        host: '127.0.0.1',
        port: smtp.port,
        from: 'a@example.test',
        to: ['ops@example.test', 'gone@example.test', 'gone2@example.test'],
      },
      errorThreshold: 1,
      timeoutMs: 2000,
    });
    const { logger } = pipeline(alerts);
    emitError(logger, 'X', 'one', 'L1');
    await alerts.forceFlush();
    expect(hook.requests.map((r) => r.method)).to.deep.equal(['POST']);
    const { channels } = alerts.stats();
    expect(channels.webhook).to.deep.include({ sent: 0, failed: 1 });
    expect(channels.webhook!.lastError).to.match(/HTTP 302/);
    expect(smtp.mails).to.have.length(1);
    expect(channels.email).to.deep.include({ sent: 0, failed: 1 });
    expect(channels.email!.lastError).to.match(/2 of 3 recipient\(s\) refused/);
    expect(diagnostics.total('alert.delivery')).to.equal(2);

    const second = new AlertProcessor({ diagnostics });
    second.configure({
      emailConfig: { host: '127.0.0.1', port: allRefused.port, from: 'a@example.test', to: ['gone@example.test'] },
      errorThreshold: 1,
      timeoutMs: 2000,
    });
    emitError(pipeline(second).logger, 'X', 'two', 'L2');
    await second.forceFlush();
    expect(second.stats().channels.email).to.deep.include({ sent: 0, failed: 1 });
    expect(allRefused.mails).to.have.length(0);
  });

  it('rejects invalid channel settings at configuration time and falls back to defaults for bad numbers', () => {
    const alerts = new AlertProcessor();
    expect(() => alerts.configure({ slackWebhook: 'nope' })).to.throw();
    // fetch refuses URLs with credentials (and other schemes): the alert would fail at run time instead
    expect(() => alerts.configure({ webhook: 'https://user:pass@hooks.example.test/x' })).to.throw(
      TypeError,
      /credentials/,
    );
    expect(() => alerts.configure({ discordWebhook: 'file:///etc/passwd' })).to.throw(TypeError, /http or https/);
    expect(() => alerts.configure({ emailConfig: { host: 'h', port: 25, from: 'a@b', to: [] } })).to.throw(/recipient/);
    alerts.configure({ errorThreshold: -1, windowSeconds: Number.NaN });
    expect(alerts.channelNames()).to.deep.equal([]);
  });
});
