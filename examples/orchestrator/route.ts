/** Routing: territory and company-size rules decide which team owns a lead. */
import type { Lead } from './intake.js';
import type { Qualification } from './qualify.js';

/** Outcome of {@link routeLead}. */
export interface Route {
  /** Team queue, e.g. `enterprise-emea`, `smb-na`, `nurture`. */
  readonly destination: string;
  /** The rule that matched. */
  readonly condition: string;
}

const REGION: Readonly<Record<string, string>> = {
  US: 'na',
  GB: 'emea',
  DE: 'emea',
  FR: 'emea',
  IN: 'apac',
  JP: 'apac',
  AU: 'apac',
  BR: 'latam',
};

/** Picks the owning team for a qualified lead; unqualified leads go to marketing nurture. */
export function routeLead(lead: Lead, qualification: Qualification): Route {
  if (!qualification.qualified) return { destination: 'nurture', condition: `score ${qualification.score} < 50` };
  const region = REGION[lead.country] ?? 'row';
  if (lead.employees >= 1000)
    return { destination: `enterprise-${region}`, condition: `employees >= 1000 and country in ${region}` };
  return { destination: `smb-${region}`, condition: `employees < 1000 and country in ${region}` };
}
