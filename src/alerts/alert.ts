/**
 * The alert itself: what every channel and custom handler receives. Built only from records that
 * already went through the PII processor, so it carries pseudonyms, never raw personal data.
 */

/** One error that counted toward an alert. */
export interface AlertError {
  /** Record time (ISO-8601). */
  readonly ts: string;
  /** `orchestrator.error.type`, or `unknown`. */
  readonly errorType: string;
  /** Error message as recorded (anonymized). */
  readonly message: string;
  readonly leadId?: string;
  readonly workflow?: string;
}

/** An alert fired because the error count in the window reached the threshold. */
export interface Alert {
  /** One-line summary, used as email subject. */
  readonly title: string;
  /** Multi-line plain-text description (Slack/Discord message, email body, custom handler message). */
  readonly text: string;
  /** Errors in the window when the alert fired. */
  readonly errorCount: number;
  readonly threshold: number;
  readonly windowSeconds: number;
  readonly cooldownSeconds: number;
  /** Workflows of the errors in the window, most errors first. */
  readonly workflows: readonly string[];
  /** Error count per error type in the window. */
  readonly errorTypes: { readonly [type: string]: number };
  /** The most recent errors (up to 5), newest last. */
  readonly recentErrors: readonly AlertError[];
  /** Errors seen (and not alerted on) during the cooldown before this alert. */
  readonly suppressedSinceLastAlert: number;
  /** When the alert fired (ISO-8601). */
  readonly firedAt: string;
}

/** What {@link buildAlert} needs. */
export interface AlertFacts {
  readonly errorCount: number;
  readonly threshold: number;
  readonly windowSeconds: number;
  readonly cooldownSeconds: number;
  readonly workflowCounts: ReadonlyMap<string, number>;
  readonly typeCounts: ReadonlyMap<string, number>;
  readonly recentErrors: readonly AlertError[];
  readonly suppressedSinceLastAlert: number;
  readonly firedAt: number;
}

const MAX_MESSAGE_CHARS = 300;

/** `text` cut to at most `max` UTF-16 units, ending with `…` when cut, never inside a surrogate pair. */
export function clipText(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max - 1);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return cut + '…';
}

function clip(text: string): string {
  return clipText(text, MAX_MESSAGE_CHARS);
}

/** Workflows named in the title, and workflows / error types named in the text, at most. */
const TITLE_WORKFLOWS = 3;
const TEXT_NAMES = 10;
/** Longest name (workflow, error type) written into the title or text. */
const MAX_NAME_CHARS = 80;

/** The first `max` items, then `+N more`: an error storm over many workflows keeps the subject short. */
function listed(items: readonly string[], max: number): string {
  const shown = items.slice(0, max);
  if (items.length > max) shown.push(`+${items.length - max} more`);
  return shown.join(', ');
}

function shortName(text: string): string {
  return clipText(text, MAX_NAME_CHARS);
}

function byCountDesc(counts: ReadonlyMap<string, number>): [string, number][] {
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/** Builds the alert and its title and text. */
export function buildAlert(facts: AlertFacts): Alert {
  const workflows = byCountDesc(facts.workflowCounts).map(([name]) => name);
  const types = byCountDesc(facts.typeCounts);
  const where = workflows.length > 0 ? ` (workflow ${listed(workflows.map(shortName), TITLE_WORKFLOWS)})` : '';
  const title = `${facts.errorCount} errors in the last ${facts.windowSeconds}s${where}`;
  const lines = [
    `Audit alert: ${facts.errorCount} errors within ${facts.windowSeconds}s (threshold ${facts.threshold}).`,
    `Workflows: ${listed(workflows.map(shortName), TEXT_NAMES) || 'none recorded'}`,
    `Error types: ${
      listed(
        types.map(([t, n]) => `${shortName(t)} ×${n}`),
        TEXT_NAMES,
      ) || 'none recorded'
    }`,
  ];
  if (facts.suppressedSinceLastAlert > 0) {
    lines.push(`Errors during the previous cooldown: ${facts.suppressedSinceLastAlert}`);
  }
  lines.push('Last errors:');
  for (const e of facts.recentErrors) {
    const lead = e.leadId !== undefined ? ` lead=${shortName(e.leadId)}` : '';
    lines.push(`- ${e.ts} [${shortName(e.errorType)}]${lead} ${clip(e.message)}`);
  }
  lines.push(`Next alert no earlier than ${facts.cooldownSeconds}s from now.`);
  return {
    title,
    text: lines.join('\n'),
    errorCount: facts.errorCount,
    threshold: facts.threshold,
    windowSeconds: facts.windowSeconds,
    cooldownSeconds: facts.cooldownSeconds,
    workflows,
    errorTypes: Object.fromEntries(types),
    recentErrors: facts.recentErrors.map((e) => ({ ...e, message: clip(e.message) })),
    suppressedSinceLastAlert: facts.suppressedSinceLastAlert,
    firedAt: new Date(facts.firedAt).toISOString(),
  };
}
