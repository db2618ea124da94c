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
}

/** The stages, with the event types that mark a lead as having reached each. */
export const FUNNEL_STAGES: readonly { readonly key: string; readonly label: string; readonly matches: (ev: AuditEvent) => boolean }[] = [
  { key: 'ingested', label: 'Ingested', matches: (ev) => ev.type === 'lead_ingested' },
  // a qualification record with qualified=false does not move the lead on
  { key: 'qualified', label: 'Qualified', matches: (ev) => ev.type === 'lead_qualified' && ev.attrs[ATTR.leadQualified] !== false },
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
  return FUNNEL_STAGES.map((stage, i) => ({
    key: stage.key,
    label: stage.label,
    leads: sets[i]!.size,
    ofIngested: ingested > 0 ? sets[i]!.size / ingested : 0,
  }));
}
