/** Intake: turns a raw submission into a normalized lead. */
import type { LeadSourceName, LeadSubmission } from './lead-source.js';

/** A normalized lead as the rest of the workflow sees it. */
export interface Lead {
  readonly id: string;
  readonly source: LeadSourceName;
  readonly name: string;
  readonly email: string;
  readonly phone: string;
  readonly jobTitle: string;
  readonly company: string;
  readonly country: string;
  readonly employees: number;
  readonly budgetUsd: number;
  readonly message: string;
  readonly receivedAt: string;
}

/** Normalizes a submission: trims and title-cases the name, lowercases the email. */
export function ingestLead(submission: LeadSubmission): Lead {
  const name = `${titleCase(submission.firstName.trim())} ${submission.lastName.trim()}`;
  return {
    id: submission.leadId,
    source: submission.source,
    name,
    email: submission.email.trim().toLowerCase(),
    phone: submission.phone,
    jobTitle: submission.jobTitle,
    company: submission.company,
    country: submission.country,
    employees: submission.employees,
    budgetUsd: submission.budgetUsd,
    message: submission.message,
    receivedAt: submission.receivedAt,
  };
}

function titleCase(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1).toLowerCase();
}
