/** Alerts: error-burst detection with email, Slack, Discord, webhook and custom-handler delivery. */
export {
  AlertProcessor,
  ALERT_FAILURE,
  isErrorRecord,
  type AlertChannelStats,
  type AlertHandler,
  type AlertProcessorOptions,
  type AlertStats,
} from './alert-processor.js';
export { ALERT_DEFAULTS, type AlertConfig, type EmailAlertConfig } from './alert-config.js';
export type { Alert, AlertError } from './alert.js';
export type { AlertChannel } from './channels/channel.js';
