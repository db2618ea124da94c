/** Alert configuration (seed `configure_alerts`, camelCased) and its defaults. */

/** SMTP settings of the email channel (passed to a nodemailer SMTP transport). */
export interface EmailAlertConfig {
  readonly host: string;
  readonly port: number;
  /** TLS from the first byte (port 465). Default false: plain, upgraded with STARTTLS when offered. */
  readonly secure?: boolean;
  readonly auth?: { readonly user: string; readonly pass: string };
  /** Never try STARTTLS (only for trusted local relays). */
  readonly ignoreTLS?: boolean;
  /** TLS options, e.g. `{ rejectUnauthorized: false }` for a relay with a self-signed certificate. */
  readonly tls?: { readonly rejectUnauthorized?: boolean; readonly servername?: string };
  /** Sender address. */
  readonly from: string;
  /** Recipients. */
  readonly to: readonly string[];
  /** Subject prefix (default `[audit]`). */
  readonly subjectPrefix?: string;
}

/** What `configureAlerts` accepts. Every field is optional. */
export interface AlertConfig {
  /** Send alerts by email over SMTP. */
  readonly emailConfig?: EmailAlertConfig;
  /** Slack incoming-webhook URL; receives `{"text": …}`. */
  readonly slackWebhook?: string;
  /** Discord webhook URL; receives `{"content": …}`. */
  readonly discordWebhook?: string;
  /** Any URL; receives the whole alert as JSON (see `Alert`). */
  readonly webhook?: string;
  /** Errors within the window that fire an alert (default 10). */
  readonly errorThreshold?: number;
  /** Length of the sliding window, in seconds (default 300). */
  readonly windowSeconds?: number;
  /** Quiet time after an alert, in seconds (default 300). */
  readonly cooldownSeconds?: number;
  /** Time limit of each delivery (channel or custom handler), in ms (default 10,000). */
  readonly timeoutMs?: number;
}

/** Defaults of {@link AlertConfig}. */
export const ALERT_DEFAULTS = {
  errorThreshold: 10,
  windowSeconds: 300,
  cooldownSeconds: 300,
  timeoutMs: 10_000,
} as const;

/** The numeric settings with defaults applied. */
export interface AlertThresholds {
  readonly errorThreshold: number;
  readonly windowSeconds: number;
  readonly cooldownSeconds: number;
  readonly timeoutMs: number;
}

/** Longest delay a Node.js timer accepts; a longer one fires after 1 ms. */
const MAX_TIMER_MS = 2_147_483_647;

function valid(value: number | undefined, fallback: number, min: number, max = Number.MAX_VALUE): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max ? value : fallback;
}

/**
 * Applies defaults; invalid numbers (NaN, negative, zero threshold, a `timeoutMs` above the
 * timer limit of 2^31-1 ms, which would time every delivery out after 1 ms) fall back to the default.
 */
export function resolveThresholds(config: AlertConfig): AlertThresholds {
  return {
    errorThreshold: Math.floor(valid(config.errorThreshold, ALERT_DEFAULTS.errorThreshold, 1)),
    windowSeconds: valid(config.windowSeconds, ALERT_DEFAULTS.windowSeconds, 0.001),
    cooldownSeconds: valid(config.cooldownSeconds, ALERT_DEFAULTS.cooldownSeconds, 0),
    timeoutMs: valid(config.timeoutMs, ALERT_DEFAULTS.timeoutMs, 1, MAX_TIMER_MS),
  };
}
