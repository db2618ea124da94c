/** Command line of the demo runners (`demo.ts` and the audit-free `plain-demo.ts`). */
import { parseArgs } from 'node:util';

/** Parsed command line of the demo. */
export interface DemoArgs {
  readonly leads: number;
  readonly seed: string;
  readonly journal: string;
  readonly otlp?: string;
  readonly webhook?: string;
  readonly latencyMs: readonly [number, number];
}

/** Usage line. */
export const USAGE = `usage: demo [--leads N=200] [--seed S=42] [--journal PATH=logs/audit.log] [--otlp URL] [--webhook URL] [--latency MIN-MAX=0-4]`;

/** Thrown by {@link parseDemoArgs} for `--help`: not an error, the caller prints the usage and exits 0. */
export class DemoHelpRequested extends Error {
  constructor() {
    super(USAGE);
    this.name = 'DemoHelpRequested';
  }
}

/** Parses the demo's arguments; throws with a usage message on bad input, {@link DemoHelpRequested} for `--help`. */
export function parseDemoArgs(argv: readonly string[]): DemoArgs {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      leads: { type: 'string', default: '200' },
      seed: { type: 'string', default: '42' },
      journal: { type: 'string', default: 'logs/audit.log' },
      otlp: { type: 'string' },
      webhook: { type: 'string' },
      latency: { type: 'string', default: '0-4' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) throw new DemoHelpRequested();
  const leads = Number(values.leads);
  if (!Number.isSafeInteger(leads) || leads < 0) throw new Error(`--leads must be a whole number ≥ 0\n${USAGE}`);
  const m = /^(\d+)-(\d+)$/.exec(values.latency ?? '');
  if (!m || Number(m[1]) > Number(m[2])) throw new Error(`--latency must be MIN-MAX in ms, e.g. 0-4\n${USAGE}`);
  for (const [name, url] of [
    ['--otlp', values.otlp],
    ['--webhook', values.webhook],
  ] as const) {
    if (url !== undefined && !isHttpUrl(url))
      throw new Error(`${name} must be an http(s) URL, e.g. http://127.0.0.1:4318, got "${url}"\n${USAGE}`);
  }
  return {
    leads,
    seed: values.seed ?? '42',
    journal: values.journal ?? 'logs/audit.log',
    ...(values.otlp ? { otlp: values.otlp } : {}),
    ...(values.webhook ? { webhook: values.webhook } : {}),
    latencyMs: [Number(m[1]), Number(m[2])],
  };
}

function isHttpUrl(text: string): boolean {
  if (!URL.canParse(text)) return false;
  const { protocol } = new URL(text);
  return protocol === 'http:' || protocol === 'https:';
}
