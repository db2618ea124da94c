/** What an alert channel is: a named destination that delivers one alert or rejects. */
import type { Alert } from '../alert.js';

/** A destination of alerts (email, Slack, Discord, webhook). */
export interface AlertChannel {
  /** Short stable name used in stats and diagnostics: `email`, `slack`, `discord`, `webhook`. */
  readonly name: string;
  /** Delivers the alert; rejects on failure. Must honour `signal` (timeout). */
  send(alert: Alert, signal: AbortSignal): Promise<void>;
  /** Releases resources (connections); optional. */
  close?(): void;
}
