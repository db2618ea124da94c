/** Self-contained daily and weekly HTML audit reports. */
export {
  generateReport,
  reportFileName,
  DEFAULT_REPORT_DIR,
  type GenerateReportOptions,
  type GeneratedReport,
} from './generate.js';
export {
  buildReportData,
  reportDataOf,
  periodWindow,
  MAX_REPORT_ERRORS,
  type ReportData,
  type ReportPeriod,
  type TimeBucket,
  type ReportError,
  type BuildReportOptions,
} from './report-data.js';
export { formatShare, funnelOf, FUNNEL_STAGES, type FunnelStage } from './funnel.js';
export { renderReportHtml } from './html.js';
export { escapeHtml, jsonForScript } from './escape.js';
