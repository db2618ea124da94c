/** Writing report files: computes the data from a query source and writes the HTML page. */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { IntegritySummary } from '../verify/integrity-summary.js';
import type { AuditQuerySource } from '../query/types.js';
import { renderReportHtml } from './html.js';
import { buildReportData, type ReportData, type ReportPeriod } from './report-data.js';

/** Default file names (seed): `reports/daily_audit_report.html`, `reports/weekly_audit_report.html`. */
export const DEFAULT_REPORT_DIR = 'reports';

/** File name of a period's report. */
export function reportFileName(period: ReportPeriod): string {
  return `${period}_audit_report.html`;
}

/** Options of {@link generateReport}. */
export interface GenerateReportOptions {
  readonly period: ReportPeriod;
  /** The file to write (its directory is created). */
  readonly output: string;
  /** End of the period (default now). */
  readonly now?: Date;
  /** What the data is read from, shown in the report. */
  readonly sourceLabel: string;
  readonly integrity?: IntegritySummary;
  readonly integrityUnavailable?: string;
}

/** A written report. */
export interface GeneratedReport {
  readonly path: string;
  readonly data: ReportData;
  readonly bytes: number;
}

/** Computes the report from `query` and writes it to `options.output`. */
export async function generateReport(
  query: AuditQuerySource,
  options: GenerateReportOptions,
): Promise<GeneratedReport> {
  const data = await buildReportData(query, {
    period: options.period,
    now: options.now ?? new Date(),
    source: options.sourceLabel,
    ...(options.integrity ? { integrity: options.integrity } : {}),
    ...(options.integrityUnavailable !== undefined ? { integrityUnavailable: options.integrityUnavailable } : {}),
  });
  const html = renderReportHtml(data);
  await mkdir(path.dirname(options.output), { recursive: true });
  await writeFile(options.output, html, 'utf8');
  return { path: options.output, data, bytes: Buffer.byteLength(html) };
}
