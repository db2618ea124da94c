/** Readable rendering of audit events (query, errors) and their stable JSON form. */
import { ATTR } from '../../events/semconv.js';
import type { AuditEvent } from '../../query/types.js';
import { renderTable } from './table.js';
import { formatTime, oneLine } from './values.js';

/** Renders events as a table: time, type, lead, workflow, message. */
export function renderEventTable(events: readonly AuditEvent[]): string {
  if (events.length === 0) return 'No matching events.\n';
  const rows = events.map((e) => [
    formatTime(e.ts),
    e.type,
    e.leadId ?? '-',
    e.workflow ?? '-',
    oneLine(e.message, 60),
  ]);
  return renderTable(['Time (UTC)', 'Type', 'Lead', 'Workflow', 'Message'], rows) + `${events.length} event(s)\n`;
}

/** The error details of an error event: type, message, lead, workflow, time. */
export interface ErrorRow {
  readonly ts: string;
  readonly errorType: string;
  readonly message: string;
  readonly leadId?: string;
  readonly workflow?: string;
  readonly location?: string;
}

/** Extracts the error fields of an `error` event. */
export function errorRowOf(e: AuditEvent): ErrorRow {
  const type = e.attrs[ATTR.errorType];
  const message = e.attrs[ATTR.errorMessage];
  return {
    ts: e.ts,
    errorType: typeof type === 'string' ? type : 'unknown',
    message: typeof message === 'string' ? message : e.message,
    ...(e.leadId !== undefined ? { leadId: e.leadId } : {}),
    ...(e.workflow !== undefined ? { workflow: e.workflow } : {}),
    ...(e.location !== undefined ? { location: e.location } : {}),
  };
}

/** Renders error rows as a table. */
export function renderErrorTable(rows: readonly ErrorRow[]): string {
  if (rows.length === 0) return 'No errors.\n';
  return (
    renderTable(
      ['Time (UTC)', 'Error type', 'Lead', 'Workflow', 'Message'],
      rows.map((r) => [formatTime(r.ts), r.errorType, r.leadId ?? '-', r.workflow ?? '-', oneLine(r.message, 60)]),
    ) + `${rows.length} error(s)\n`
  );
}
