/** Errors the orchestrator's services throw. `name` is the error type recorded in the audit trail. */

/** A lead cannot be processed (e.g. no usable email address). Not retried. */
export class LeadValidationError extends Error {
  override readonly name = 'LeadValidationError';
}

/** A CRM call failed in a way worth retrying (rate limit, timeout). */
export class CrmTransientError extends Error {
  override readonly name: string;
  constructor(kind: 'CrmRateLimited' | 'CrmTimeout', message: string) {
    super(message);
    this.name = kind;
  }
}

/** The recipient's mailbox rejected the message. Not retried; the sequence is cancelled. */
export class EmailBouncedError extends Error {
  override readonly name = 'EmailBounced';
}
