/**
 * A fake CRM client (HubSpot-like): creates and updates contacts, with latency and occasional
 * transient failures (rate limits, timeouts) that callers are expected to retry.
 */
import { CrmTransientError } from './errors.js';
import type { Lead } from './intake.js';
import { simulateLatency, type LatencyRange } from './latency.js';
import type { SeededRandom } from './random.js';

/** A contact created in the CRM. */
export interface CrmContact {
  readonly crmId: string;
  readonly crmType: string;
}

/** Result of a contact update. */
export interface CrmUpdate {
  readonly crmId: string;
  /** Names of the fields written. */
  readonly fields: Readonly<Record<string, string | number>>;
}

/** Options of {@link FakeCrmClient}. */
export interface FakeCrmOptions {
  readonly random: SeededRandom;
  /** Probability that one call fails transiently (default 0.06). */
  readonly failureRate?: number;
  readonly latencyMs?: LatencyRange;
}

/** In-memory CRM with HubSpot-style ids. */
export class FakeCrmClient {
  /** CRM product name recorded with each contact. */
  readonly crmType = 'hubspot';
  private readonly contacts = new Map<string, Record<string, string | number>>();
  private nextId = 5_000_100;

  constructor(private readonly options: FakeCrmOptions) {}

  /** Creates a contact for the lead. Throws {@link CrmTransientError} now and then. */
  async createContact(lead: Lead): Promise<CrmContact> {
    await this.call('create', lead.id);
    const crmId = `HS-${this.nextId++}`;
    this.contacts.set(crmId, { email: lead.email, company: lead.company, country: lead.country });
    return { crmId, crmType: this.crmType };
  }

  /** Writes fields on an existing contact. Throws {@link CrmTransientError} now and then. */
  async updateContact(
    lead: Lead,
    crmId: string,
    fields: Readonly<Record<string, string | number>>,
  ): Promise<CrmUpdate> {
    await this.call('update', lead.id);
    const contact = this.contacts.get(crmId);
    if (!contact) throw new Error(`CRM contact ${crmId} not found`);
    Object.assign(contact, fields);
    return { crmId, fields: { ...fields } };
  }

  /** Number of contacts stored. */
  size(): number {
    return this.contacts.size;
  }

  private async call(op: string, leadId: string): Promise<void> {
    const { random } = this.options;
    await simulateLatency(random, this.options.latencyMs ?? [0, 0]);
    if (random.chance(this.options.failureRate ?? 0.06)) {
      if (random.chance(0.5))
        throw new CrmTransientError(
          'CrmRateLimited',
          `HubSpot answered 429 Too Many Requests on contact ${op} for ${leadId}`,
        );
      throw new CrmTransientError('CrmTimeout', `HubSpot contact ${op} for ${leadId} timed out after 10s`);
    }
  }
}
