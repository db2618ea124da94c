/**
 * Qualification: a points score from budget, company size, source and seniority. Leads without a
 * usable email address are rejected with a {@link LeadValidationError}.
 */
import { LeadValidationError } from './errors.js';
import type { Lead } from './intake.js';

/** Score at or above which a lead is sales-qualified. */
export const QUALIFYING_SCORE = 50;

/** Outcome of {@link qualifyLead}. The reason names the rules, never personal data. */
export interface Qualification {
  readonly qualified: boolean;
  readonly score: number;
  readonly reason: string;
}

const SOURCE_POINTS: Readonly<Record<string, number>> = {
  referral: 20,
  webinar: 15,
  trade_show: 12,
  web_form: 10,
  linkedin: 8,
};
const FREE_MAIL = /@(gmail|outlook|yahoo)\./;

/** Scores a lead. Throws {@link LeadValidationError} when it cannot be contacted. */
export function qualifyLead(lead: Lead): Qualification {
  if (!/^[^@\s]+@[^@\s]+\.[a-z]{2,}$/.test(lead.email)) {
    throw new LeadValidationError(`lead ${lead.id} has no usable email address`);
  }
  const parts: string[] = [];
  let score = 0;
  const budget = lead.budgetUsd >= 50_000 ? 40 : lead.budgetUsd >= 20_000 ? 25 : lead.budgetUsd >= 5_000 ? 10 : 0;
  score += budget;
  parts.push(`budget +${budget}`);
  const size = lead.employees >= 1000 ? 25 : lead.employees >= 200 ? 15 : lead.employees >= 50 ? 8 : 0;
  score += size;
  parts.push(`size +${size}`);
  const source = SOURCE_POINTS[lead.source] ?? 0;
  score += source;
  parts.push(`${lead.source} +${source}`);
  const seniority = /^(CEO|CTO|VP|Head)/.test(lead.jobTitle)
    ? 15
    : /(Director|Lead|Manager)/.test(lead.jobTitle)
      ? 8
      : 0;
  score += seniority;
  parts.push(`seniority +${seniority}`);
  if (FREE_MAIL.test(lead.email)) {
    score -= 15;
    parts.push('free-mail -15');
  }
  const qualified = score >= QUALIFYING_SCORE;
  return {
    qualified,
    score,
    reason: `score ${score} ${qualified ? '>=' : '<'} ${QUALIFYING_SCORE} (${parts.join(', ')})`,
  };
}
