/**
 * The benchmark workload: realistic inbound leads carrying PII (name, e-mail, phone, address,
 * IP) plus non-PII fields, generated from a seeded PRNG so every variant and run sees the same
 * events. Each event is one "lead ingested" with its `data` object.
 */

import { SeverityNumber, type AnyValueMap, type LogRecord } from '@opentelemetry/api-logs';
import { ATTR, EVENT_NAMES } from '../src/events/semconv.js';

/** One lead as the orchestrator would log it. */
export interface BenchLead {
  readonly leadId: string;
  readonly source: string;
  readonly workflow: string;
  readonly data: {
    readonly first_name: string;
    readonly last_name: string;
    readonly email: string;
    readonly phone: string;
    readonly company: string;
    readonly address: string;
    readonly ip: string;
    readonly score: number;
    readonly budget_eur: number;
    readonly utm: { readonly source: string; readonly campaign: string };
    readonly tags: readonly string[];
  };
}

/** Mulberry32: small seeded PRNG (uniform in [0, 1)). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = ['Anna', 'Ben', 'Chloé', 'David', 'Elif', 'Farid', 'Grace', 'Hiro', 'Ines', 'Jonas'];
const LAST = ['Müller', 'Smith', 'García', 'Kowalski', 'Nguyen', 'Rossi', 'Dubois', 'Yilmaz'];
const SOURCES = ['web_form', 'linkedin', 'webinar', 'referral', 'api'];
const WORKFLOWS = ['sales', 'nurture', 'partner'];
const TAGS = ['b2b', 'enterprise', 'smb', 'eu', 'us', 'hot', 'cold'];

/** `count` distinct leads from `seed`. */
export function generateLeads(count: number, seed = 42): BenchLead[] {
  const rnd = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
  const leads: BenchLead[] = [];
  for (let i = 0; i < count; i++) {
    const first = pick(FIRST);
    const last = pick(LAST);
    leads.push({
      leadId: `LEAD-${String(100000 + i)}`,
      source: pick(SOURCES),
      workflow: pick(WORKFLOWS),
      data: {
        first_name: first,
        last_name: last,
        email: `${first.toLowerCase()}.${last.toLowerCase()}${i}@example-corp.com`,
        phone: `+49 30 ${String(1000000 + Math.floor(rnd() * 8999999))}`,
        company: `${last} GmbH`,
        address: `${String(1 + Math.floor(rnd() * 200))} Hauptstraße, 10115 Berlin`,
        ip: `203.0.113.${String(Math.floor(rnd() * 255))}`,
        score: Math.floor(rnd() * 100),
        budget_eur: Math.round(rnd() * 50000) / 100,
        utm: { source: pick(SOURCES), campaign: `q${String(1 + Math.floor(rnd() * 4))}-launch` },
        tags: [pick(TAGS), pick(TAGS)],
      },
    });
  }
  return leads;
}

/** Field paths holding PII in {@link BenchLead} (pino `redact` paths of variant c). */
export const PII_PATHS = ['data.first_name', 'data.last_name', 'data.email', 'data.phone', 'data.address', 'data.ip'];

/**
 * Operation durations in seconds: log-normal with median 50 ms and σ = 1.4 (so ±3σ spans about
 * 1 ms – 3 s), clamped to [1 ms, 5 s] like a timeout would. Used for the histogram accuracy check.
 */
export function generateDurations(count: number, seed = 7): number[] {
  const rnd = seededRandom(seed);
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    // Box–Muller
    const u = 1 - rnd();
    const v = rnd();
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    out.push(Math.min(5, Math.max(0.001, 0.05 * Math.exp(1.4 * z))));
  }
  return out;
}

/** The OTel log record of a "lead ingested" event for `l`, as the plain-OTel bench variants emit it. */
export function leadIngestedRecord(l: BenchLead): LogRecord {
  return {
    eventName: EVENT_NAMES.lead_ingested,
    severityNumber: SeverityNumber.INFO,
    severityText: 'INFO',
    body: `Lead ${l.leadId} ingested from ${l.source}`,
    attributes: {
      [ATTR.eventType]: 'lead_ingested',
      [ATTR.leadId]: l.leadId,
      [ATTR.workflow]: l.workflow,
      [ATTR.leadSource]: l.source,
      [ATTR.leadData]: l.data as unknown as AnyValueMap,
    },
  };
}
