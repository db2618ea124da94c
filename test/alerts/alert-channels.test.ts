/**
 * Record content inside alert messages: Slack control sequences and Discord mentions from error
 * messages or workflow names must arrive as plain text, and cutting long text never leaves half
 * of a surrogate pair.
 */
import { expect } from 'chai';
import { AuditDiagnostics } from '../../src/events/diagnostics.js';
import { AlertProcessor } from '../../src/alerts/alert-processor.js';
import { type Alert } from '../../src/alerts/alert.js';
import { startPeer } from '../webhooks/loopback-peer.js';
import { emitError, testPipeline } from '../webhooks/test-pipeline.js';

const HOSTILE = '<!channel> <@U123> see <https://evil.example/login|the dashboard> & @everyone @here';
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('alert channels with hostile record content', () => {
  it('escapes Slack control characters, disables Discord mentions, and cuts text on character boundaries', async () => {
    const [slack, discord, hook] = await Promise.all([startPeer(), startPeer(), startPeer()]);
    const alerts = new AlertProcessor({ diagnostics: new AuditDiagnostics() });
    alerts.configure({
      slackWebhook: slack.url,
      discordWebhook: discord.url,
      webhook: hook.url,
      errorThreshold: 5,
      timeoutMs: 3000,
    });
    const { provider, logger } = testPipeline(alerts);
    try {
      emitError(logger, 'Phish', HOSTILE, 'LEAD-1', '<!here>');
      // 4 messages of 400 UTF-16 units (200 emoji): clipped at 300 units each, and the Discord
      // content (title + text) exceeds 2000 units only with the long workflow names
      for (let i = 0; i < 4; i++)
        emitError(logger, 'Emoji', '😀'.repeat(200), `LEAD-${i}`, `wf-${i}-` + 'w'.repeat(200));
      await alerts.forceFlush();

      const slackText = (JSON.parse(slack.requests[0]!.rawBody) as { text: string }).text;
      expect(slackText).to.not.match(/[<>]/, 'no Slack control sequence from record content');
      expect(slackText).to.include(
        '&lt;!channel&gt; &lt;@U123&gt; see &lt;https://evil.example/login|the dashboard&gt; &amp; @everyone',
      );
      expect(slackText).to.include('*5 errors in the last 300s (workflow ');
      expect(slackText).to.not.match(LONE_SURROGATE);

      const body = JSON.parse(discord.requests[0]!.rawBody) as {
        content: string;
        allowed_mentions: { parse: string[] };
      };
      expect(body.allowed_mentions).to.deep.equal({ parse: [] });
      expect(body.content.length).to.be.at.most(2000);
      expect(body.content.endsWith('…')).to.equal(true);
      expect(body.content).to.not.match(LONE_SURROGATE);

      const alert = JSON.parse(hook.requests[0]!.rawBody) as Alert;
      expect(alert.recentErrors[0]!.message, 'the webhook gets the message unescaped').to.equal(HOSTILE);
      for (const e of alert.recentErrors.slice(1)) {
        expect(e.message).to.have.length.at.most(300);
        expect(e.message).to.not.match(LONE_SURROGATE);
        expect(e.message.endsWith('…')).to.equal(true);
      }
      expect(alert.text).to.not.match(LONE_SURROGATE);
    } finally {
      await provider.shutdown();
      await Promise.all([slack.close(), discord.close(), hook.close()]);
    }
  });
});
