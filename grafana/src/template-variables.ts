/**
 * Grafana template variables used in the exported queries, and their substitution, so the
 * queries can be parsed and executed outside Grafana (grammar tests, end-to-end tests).
 */

/**
 * Values substituted by default: the dashboard variables at their "All" value, Grafana's interval
 * variables at values a 1-hour dashboard would get.
 */
export const DEFAULT_VARIABLE_VALUES: Readonly<Record<string, string>> = {
  workflow: '.+',
  service: '.+',
  lead: 'LEAD-0001',
  __rate_interval: '1m',
  __interval: '15s',
  __range: '1h',
  __auto: '1m',
};

const VARIABLE = /\$\{(\w+)(?::[\w]+)?\}|\[\[(\w+)\]\]|\$(\w+)/g;

/** Names of the template variables an expression uses (`$x`, `${x}`, `${x:fmt}`, `[[x]]`). */
export function variablesOf(expr: string): string[] {
  const names = new Set<string>();
  for (const m of expr.matchAll(VARIABLE)) names.add(m[1] ?? m[2] ?? m[3] ?? '');
  return [...names].sort();
}

/**
 * Replaces every template variable with its value (`overrides` first, then
 * {@link DEFAULT_VARIABLE_VALUES}). Throws on a variable with no value, so a typo is caught.
 */
export function substituteVariables(expr: string, overrides: Readonly<Record<string, string>> = {}): string {
  return expr.replace(VARIABLE, (whole, a?: string, b?: string, c?: string) => {
    const name = a ?? b ?? c ?? '';
    const value = overrides[name] ?? DEFAULT_VARIABLE_VALUES[name];
    if (value === undefined) throw new Error(`no value for template variable ${whole} in: ${expr}`);
    return value;
  });
}
