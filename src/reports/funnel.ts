/**
 * The lead funnel: distinct leads reaching each stage (ingested → qualified → routed → CRM →
 * email sent) within the report window.
 */
import { ATTR } from '../events/semconv.js';
import type { AuditEvent } from '../query/types.js';

/** One stage of the funnel. */
export interface FunnelStage {
  /** Stage key: `ingested`, `qualified`, `routed`, `crm`, `email_sent`. */
  readonly key: string;
  readonly label: string;
  /** Distinct leads that reached the stage. */
  readonly leads: number;
  /** Share of the ingested leads, 0–1 (0 when none were ingested). */
  readonly ofIngested: number;
  /** `ofIngested` as the report prints it, in the table and on the chart alike (`99.5%`). */
  readonly share: string;
}

/**
 * A share (0–1) as a percentage with one decimal. Rounding never reaches a bound the share does
 * not: 199 of 200 is `99.5%`, 1999 of 2000 `>99.9%` (not `100.0%`), 1 of 10,000 `<0.1%`.
 */
export function formatShare(share: number): string {
  if (!Number.isFinite(share) || share <= 0) return '0%';
  if (share >= 1) return '100%';
  const text = (share * 100).toFixed(1);
  if (text === '100.0') return '>99.9%';
  if (text === '0.0') return '<0.1%';
  return `${text}%`;
}

/** The stages, with the event types that mark a lead as having reached each. */
export const FUNNEL_STAGES: readonly {
  readonly key: string;
  readonly label: string;
  readonly matches: (ev: AuditEvent) => boolean;
}[] = [
  { key: 'ingested', label: 'Ingested', matches: (ev) => ev.type === 'lead_ingested' },
  // a qualification record with qualified=false does not move the lead on
  {
    key: 'qualified',
    label: 'Qualified',
    matches: (ev) => ev.type === 'lead_qualified' && ev.attrs[ATTR.leadQualified] !== false,
  },
  { key: 'routed', label: 'Routed', matches: (ev) => ev.type === 'lead_routed' },
  { key: 'crm', label: 'CRM record', matches: (ev) => ev.type === 'crm_create' || ev.type === 'crm_update' },
  { key: 'email_sent', label: 'Email sent', matches: (ev) => ev.type === 'email_sent' },
];

/** Counts distinct leads per stage. */
export function funnelOf(events: Iterable<AuditEvent>): FunnelStage[] {
  const sets = FUNNEL_STAGES.map(() => new Set<string>());
  for (const ev of events) {
    if (ev.leadId === undefined) continue;
    FUNNEL_STAGES.forEach((stage, i) => {
      if (stage.matches(ev)) sets[i]!.add(ev.leadId as string);
    });
  }
  const ingested = sets[0]!.size;
  return FUNNEL_STAGES.map((stage, i) => {
    const ofIngested = ingested > 0 ? sets[i]!.size / ingested : 0;
    return { key: stage.key, label: stage.label, leads: sets[i]!.size, ofIngested, share: formatShare(ofIngested) };
  });
}
