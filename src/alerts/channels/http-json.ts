/** JSON-over-HTTP delivery shared by the Slack, Discord and generic webhook channels. */
import { clipText, type Alert } from '../alert.js';
import type { AlertChannel } from './channel.js';
import { httpTargetUrl } from '../../sinks/http-target.js';

/**
 * POSTs `body` as JSON; rejects on network errors, timeouts and non-2xx statuses. Redirects are
 * not followed (a followed 301/302/303 becomes a bodiless GET that would pass for a delivery).
 */
export async function postJson(url: string, body: unknown, signal: AbortSignal): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    redirect: 'manual',
    signal,
  });
  await response.body?.cancel().catch(() => undefined);
  if (!response.ok) {
    const redirect = response.status >= 300 && response.status < 400 ? ' (redirects are not followed)' : '';
    throw new Error(`HTTP ${response.status}${redirect}`);
  }
}

/** A channel POSTing `toBody(alert)` to `url`. */
export function jsonChannel(name: string, url: string, toBody: (alert: Alert) => unknown): AlertChannel {
  // invalid URLs fail at configuration time, not at every alert
  httpTargetUrl(url, name);
  return { name, send: (alert, signal) => postJson(url, toBody(alert), signal) };
}

/**
 * Slack mrkdwn treats `&`, `<` and `>` as control characters (`<!channel>`, `<https://…|link>`):
 * record content in an alert is escaped so it cannot mention everyone or disguise a link.
 */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Slack incoming webhook: `{"text": …}`, record content escaped. */
export function slackChannel(url: string): AlertChannel {
  return jsonChannel('slack', url, (alert) => ({
    text: `:rotating_light: *${escapeSlack(alert.title)}*\n${escapeSlack(alert.text)}`,
  }));
}

/** Discord's limit of `content`, in characters. */
const DISCORD_MAX_CONTENT = 2000;

/**
 * Discord webhook: `{"content": …, "allowed_mentions": {"parse": []}}`: content cut at Discord's
 * 2000-character limit (never inside a surrogate pair), and no mention in record content
 * (`@everyone`, `<@id>`) pings anyone.
 */
export function discordChannel(url: string): AlertChannel {
  return jsonChannel('discord', url, (alert) => {
    const full = `**${alert.title}**\n${alert.text}`;
    return { content: clipText(full, DISCORD_MAX_CONTENT), allowed_mentions: { parse: [] } };
  });
}

/** Generic webhook: the whole alert object as JSON. */
export function webhookChannel(url: string): AlertChannel {
  return jsonChannel('webhook', url, (alert) => alert);
}
