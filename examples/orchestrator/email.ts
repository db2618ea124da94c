/**
 * A fake email sequencer: schedules multi-step sequences, sends steps (some mailboxes bounce),
 * detects replies, and cancels sequences.
 */
import { EmailBouncedError } from './errors.js';
import type { Lead } from './intake.js';
import { simulateLatency, type LatencyRange } from './latency.js';
import type { SeededRandom } from './random.js';

/** Sequence templates: subjects of each step. */
export const SEQUENCE_TEMPLATES = {
  'sales-outreach': ['Quick question about {company}', 'Audit trails for your CRM sync', 'Should I close your file?'],
  nurture: ['Welcome: 5 automation playbooks', 'Case study: routing 10k leads a day'],
} as const;

/** A template name. */
export type SequenceTemplate = keyof typeof SEQUENCE_TEMPLATES;

/** A scheduled sequence. */
export interface EmailSequence {
  readonly sequenceId: string;
  readonly template: SequenceTemplate;
  readonly recipient: string;
  readonly length: number;
}

/** One sent step. */
export interface SentEmail {
  readonly recipient: string;
  readonly subject: string;
  readonly step: number;
  readonly messageId: string;
}

/** A cancelled sequence. */
export interface CancelledSequence {
  readonly sequenceId: string;
  readonly recipient: string;
  readonly reason: string;
}

/** Options of {@link EmailSequencer}. */
export interface EmailSequencerOptions {
  readonly random: SeededRandom;
  /** Probability that a recipient's mailbox bounces (default 0.04). */
  readonly bounceRate?: number;
  /** Probability that a recipient replies before each later step (default 0.2). */
  readonly replyRate?: number;
  readonly latencyMs?: LatencyRange;
}

/** In-memory email sequencing service. */
export class EmailSequencer {
  private nextSequence = 1;
  private nextMessage = 1;
  private readonly active = new Set<string>();

  constructor(private readonly options: EmailSequencerOptions) {}

  /** Schedules a sequence from a template. */
  async scheduleSequence(lead: Lead, template: SequenceTemplate): Promise<EmailSequence> {
    await simulateLatency(this.options.random, this.options.latencyMs ?? [0, 0]);
    const sequenceId = `SEQ-${this.nextSequence++}`;
    this.active.add(sequenceId);
    return { sequenceId, template, recipient: lead.email, length: SEQUENCE_TEMPLATES[template].length };
  }

  /** Sends step `step` (1-based). Throws {@link EmailBouncedError} when the mailbox bounces. */
  async sendStep(lead: Lead, sequence: EmailSequence, step: number): Promise<SentEmail> {
    await simulateLatency(this.options.random, this.options.latencyMs ?? [0, 0]);
    if (!this.active.has(sequence.sequenceId)) throw new Error(`sequence ${sequence.sequenceId} is not active`);
    if (this.options.random.chance(this.options.bounceRate ?? 0.04)) {
      throw new EmailBouncedError(`550 5.1.1 mailbox unavailable for ${lead.email}`);
    }
    const subject = SEQUENCE_TEMPLATES[sequence.template][step - 1]!.replace('{company}', lead.company);
    return { recipient: sequence.recipient, subject, step, messageId: `<msg-${this.nextMessage++}@mail.example.test>` };
  }

  /** True when the recipient answered before step `step` would go out. */
  hasReplied(_lead: Lead, _sequence: EmailSequence, _step: number): boolean {
    return this.options.random.chance(this.options.replyRate ?? 0.2);
  }

  /** Cancels the remaining steps. */
  async cancelSequence(_lead: Lead, sequence: EmailSequence, reason: string): Promise<CancelledSequence> {
    this.active.delete(sequence.sequenceId);
    return { sequenceId: sequence.sequenceId, recipient: sequence.recipient, reason };
  }
}
