/** `orchestrator-audit-otel/reports`: self-contained daily and weekly HTML audit reports (see docs/reports.md). */
export {
  generateReport,
  reportFileName,
  DEFAULT_REPORT_DIR,
  type GenerateReportOptions,
  type GeneratedReport,
} from '../reports/generate.js';
export {
  buildReportData,
  periodWindow,
  type BuildReportOptions,
  type ReportData,
  type ReportPeriod,
} from '../reports/report-data.js';
