/**
 * In-process alerting: a LogRecordProcessor (place it after the PII and signing processors) that
 * counts error records — `orchestrator.event.type` = `error`, or severity ERROR and above — in a
 * sliding window. When the count reaches the threshold it fires one alert to every configured
 * channel and custom handler, then stays quiet for the cooldown. Delivery is asynchronous with a
 * time limit; failures are counted in diagnostics and `stats()`, never thrown into `onEmit`.
 */
import { SeverityNumber } from '@opentelemetry/api-logs';
import type { LogRecordProcessor, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import { defaultDiagnostics, type AuditDiagnostics } from '../events/diagnostics.js';
import { ATTR } from '../events/semconv.js';
import { streamedEventOf } from '../sinks/webhooks/streamed-event.js';
import type { Alert, AlertError } from './alert.js';
import { resolveThresholds, type AlertConfig, type AlertThresholds } from './alert-config.js';
import type { AlertChannel } from './channels/channel.js';
import { emailChannel } from './channels/email.js';
import { discordChannel, slackChannel, webhookChannel } from './channels/http-json.js';
import { ErrorWindow } from './error-window.js';
import { errorText } from '../events/error-text.js';

/** A custom alert handler (seed `alert_handlers.append(fn)`): gets the alert text and the alert. */
export type AlertHandler = (message: string, alert: Alert) => void | Promise<void>;

/** Diagnostics kinds counted by the alert processor. */
export const ALERT_FAILURE = {
  /** A channel or handler failed or timed out. */
  delivery: 'alert.delivery',
  /** A record could not be inspected (internal error). */
  inspect: 'alert.inspect',
} as const;

/** Delivery counters of one channel (`custom` groups the custom handlers). */
export interface AlertChannelStats {
  readonly sent: number;
  readonly failed: number;
  readonly lastError?: string;
}

/** What `AlertProcessor.stats()` returns. */
export interface AlertStats {
  /** Alerts fired since start. */
  readonly fired: number;
  /** Errors seen since start. */
  readonly errorsSeen: number;
  /** Errors currently in the window. */
  readonly errorsInWindow: number;
  /** True while alerts are suppressed after the last one. */
  readonly inCooldown: boolean;
  /** Per channel (`email`, `slack`, `discord`, `webhook`, `custom`). */
  readonly channels: { readonly [name: string]: AlertChannelStats };
  /** The last alert fired, if any. */
  readonly lastAlert?: Alert;
}

/** Options of an {@link AlertProcessor}. */
export interface AlertProcessorOptions {
  /** Initial configuration (same as a later `configure`). */
  readonly config?: AlertConfig;
  /** Where failures are counted (default: the process-wide diagnostics). */
  readonly diagnostics?: AuditDiagnostics;
  /** Clock in ms since epoch (default `Date.now`); tests inject one. */
  readonly now?: () => number;
}

/** Fires alerts on error bursts. */
export class AlertProcessor implements LogRecordProcessor {
  /** Custom handlers called with every alert; push functions into it (seed `alert_handlers`). */
  readonly handlers: AlertHandler[] = [];
  private thresholds: AlertThresholds;
  private channels: AlertChannel[] = [];
  private readonly window: ErrorWindow;
  private readonly diagnostics: AuditDiagnostics;
  private readonly now: () => number;
  private readonly pending = new Set<Promise<void>>();
  private readonly channelStats = new Map<string, { sent: number; failed: number; lastError?: string }>();
  private fired = 0;
  private errorsSeen = 0;
  private lastAlert: Alert | undefined;

  constructor(options: AlertProcessorOptions = {}) {
    this.diagnostics = options.diagnostics ?? defaultDiagnostics;
    this.now = options.now ?? Date.now;
    this.thresholds = resolveThresholds(options.config ?? {});
    this.window = new ErrorWindow(this.thresholds);
    if (options.config) this.configure(options.config);
  }

  /**
   * Sets channels and thresholds (seed `configure_alerts`), replacing the previous channels.
   * Throws `TypeError` on invalid URLs or an email config without recipients (set-up time).
   */
  configure(config: AlertConfig): void {
    const thresholds = resolveThresholds(config);
    const channels: AlertChannel[] = [];
    if (config.emailConfig) channels.push(emailChannel(config.emailConfig, thresholds.timeoutMs));
    if (config.slackWebhook) channels.push(slackChannel(config.slackWebhook));
    if (config.discordWebhook) channels.push(discordChannel(config.discordWebhook));
    if (config.webhook) channels.push(webhookChannel(config.webhook));
    for (const old of this.channels) old.close?.();
    this.channels = channels;
    this.thresholds = thresholds;
    this.window.reconfigure(thresholds);
  }

  /** Names of the configured channels. */
  channelNames(): string[] {
    return this.channels.map((c) => c.name);
  }

  /** Counters and the last alert. */
  stats(): AlertStats {
    const now = this.now();
    return {
      fired: this.fired,
      errorsSeen: this.errorsSeen,
      errorsInWindow: this.window.count(now),
      inCooldown: this.window.inCooldown(now),
      channels: Object.fromEntries([...this.channelStats].map(([name, s]) => [name, { ...s }])),
      ...(this.lastAlert ? { lastAlert: this.lastAlert } : {}),
    };
  }

  /** Counts the record when it is an error; fires an alert when the threshold is reached. Never throws. */
  onEmit(logRecord: ReadWriteLogRecord): void {
    try {
      if (!isErrorRecord(logRecord)) return;
      this.errorsSeen++;
      const alert = this.window.add(this.now(), alertErrorOf(logRecord));
      if (alert) this.fire(alert);
    } catch (err) {
      this.diagnostics.count(ALERT_FAILURE.inspect, errorText(err));
    }
  }

  /** Waits for alert deliveries in progress (each is bounded by the delivery time limit). */
  async forceFlush(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  /** Waits for deliveries in progress, then closes channel connections. */
  async shutdown(): Promise<void> {
    await this.forceFlush();
    for (const channel of this.channels) channel.close?.();
  }

  private fire(alert: Alert): void {
    this.fired++;
    this.lastAlert = alert;
    const deliveries: Promise<void>[] = this.channels.map((channel) =>
      this.deliver(channel.name, (signal) => channel.send(alert, signal)),
    );
    for (const handler of [...this.handlers]) {
      deliveries.push(this.deliver('custom', async () => handler(alert.text, alert)));
    }
    const all = Promise.all(deliveries).then(() => undefined);
    this.pending.add(all);
    void all.finally(() => this.pending.delete(all));
  }

  private async deliver(name: string, send: (signal: AbortSignal) => Promise<void>): Promise<void> {
    const stats = this.channelStats.get(name) ?? { sent: 0, failed: 0 };
    this.channelStats.set(name, stats);
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        const err = new Error(`timed out after ${this.thresholds.timeoutMs} ms`);
        controller.abort(err);
        reject(err);
      }, this.thresholds.timeoutMs);
    });
    try {
      await Promise.race([Promise.resolve().then(() => send(controller.signal)), timeout]);
      stats.sent++;
    } catch (err) {
      const message = errorText(err);
      stats.failed++;
      stats.lastError = message;
      this.diagnostics.count(ALERT_FAILURE.delivery, `${name}: ${message}`);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** True for error records: event type `error`, or severity ERROR or above. */
export function isErrorRecord(log: Pick<ReadWriteLogRecord, 'attributes' | 'severityNumber'>): boolean {
  return log.attributes[ATTR.eventType] === 'error' || (log.severityNumber ?? 0) >= SeverityNumber.ERROR;
}

function alertErrorOf(log: ReadWriteLogRecord): AlertError {
  const event = streamedEventOf(log);
  const type = event.attrs[ATTR.errorType];
  const message = event.attrs[ATTR.errorMessage];
  return {
    ts: event.ts,
    errorType: typeof type === 'string' ? type : 'unknown',
    message: typeof message === 'string' ? message : event.message,
    ...(event.leadId !== undefined ? { leadId: event.leadId } : {}),
    ...(event.workflow !== undefined ? { workflow: event.workflow } : {}),
  };
}
