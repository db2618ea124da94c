/**
 * Where leads come from: a deterministic generator of realistic (fake) inbound submissions —
 * names, emails, phone numbers in several countries, company, budget — standing in for web
 * forms, LinkedIn lead ads, webinars, referrals and trade-show scans. Every value is fictional.
 */
import { SeededRandom } from './random.js';

/** Channels a lead can arrive through. */
export type LeadSourceName = 'web_form' | 'linkedin' | 'webinar' | 'referral' | 'trade_show';

/** A raw submission as the intake receives it (unnormalized, full of personal data). */
export interface LeadSubmission {
  /** Lead id assigned by the form/ads platform (`LEAD-00001`). */
  readonly leadId: string;
  readonly source: LeadSourceName;
  readonly firstName: string;
  readonly lastName: string;
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

interface CountryProfile {
  readonly code: string;
  readonly firstNames: readonly string[];
  readonly lastNames: readonly string[];
  readonly phone: (r: SeededRandom) => string;
  readonly tld: string;
}

const d = (r: SeededRandom, n: number): string => Array.from({ length: n }, () => r.int(0, 9)).join('');

const COUNTRIES: readonly CountryProfile[] = [
  {
    code: 'US',
    tld: 'com',
    firstNames: ['Emily', 'Michael', 'Jessica', 'David', 'Ashley'],
    lastNames: ['Johnson', 'Williams', 'Brown', 'Miller', 'Davis'],
    phone: (r) => `+1 (${r.int(201, 989)}) 555-${d(r, 4)}`,
  },
  {
    code: 'GB',
    tld: 'co.uk',
    firstNames: ['Oliver', 'Amelia', 'Harry', 'Isla', 'George'],
    lastNames: ['Smith', 'Taylor', 'Evans', 'Wilson', 'Hughes'],
    phone: (r) => `+44 20 7946 ${d(r, 4)}`,
  },
  {
    code: 'DE',
    tld: 'de',
    firstNames: ['Lukas', 'Anna', 'Jonas', 'Lea', 'Felix'],
    lastNames: ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber'],
    phone: (r) => `+49 30 ${d(r, 3)} ${d(r, 4)}`,
  },
  {
    code: 'FR',
    tld: 'fr',
    firstNames: ['Léa', 'Hugo', 'Chloé', 'Louis', 'Manon'],
    lastNames: ['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert'],
    phone: (r) => `+33 1 ${d(r, 2)} ${d(r, 2)} ${d(r, 2)} ${d(r, 2)}`,
  },
  {
    code: 'IN',
    tld: 'in',
    firstNames: ['Aarav', 'Priya', 'Vivaan', 'Ananya', 'Rohan'],
    lastNames: ['Sharma', 'Patel', 'Iyer', 'Reddy', 'Gupta'],
    phone: (r) => `+91 ${r.int(70, 99)}${d(r, 3)} ${d(r, 5)}`,
  },
  {
    code: 'BR',
    tld: 'com.br',
    firstNames: ['Lucas', 'Beatriz', 'Gabriel', 'Mariana', 'Rafael'],
    lastNames: ['Silva', 'Santos', 'Oliveira', 'Souza', 'Lima'],
    phone: (r) => `+55 11 9${d(r, 4)}-${d(r, 4)}`,
  },
  {
    code: 'JP',
    tld: 'co.jp',
    firstNames: ['Haruto', 'Yui', 'Sota', 'Hina', 'Ren'],
    lastNames: ['Sato', 'Suzuki', 'Takahashi', 'Tanaka', 'Watanabe'],
    phone: (r) => `+81 3-${d(r, 4)}-${d(r, 4)}`,
  },
  {
    code: 'AU',
    tld: 'com.au',
    firstNames: ['Jack', 'Charlotte', 'William', 'Mia', 'Noah'],
    lastNames: ['Nguyen', 'Anderson', 'Thompson', 'White', 'Clarke'],
    phone: (r) => `+61 2 ${d(r, 4)} ${d(r, 4)}`,
  },
];

const COMPANY_WORDS = [
  'Acme',
  'Northwind',
  'Globex',
  'Initech',
  'Umbrella',
  'Stark',
  'Wayne',
  'Hooli',
  'Vandelay',
  'Soylent',
  'Tyrell',
  'Cyberdyne',
];
const COMPANY_SUFFIX = ['Logistics', 'Analytics', 'Health', 'Retail', 'Robotics', 'Finance', 'Foods', 'Energy'];
const TITLES = [
  'CEO',
  'VP Sales',
  'Head of Marketing',
  'Marketing Manager',
  'Operations Director',
  'Sales Manager',
  'Analyst',
  'Intern',
  'CTO',
  'Procurement Lead',
];
const SOURCES: readonly LeadSourceName[] = ['web_form', 'linkedin', 'webinar', 'referral', 'trade_show'];
const FREE_MAIL = ['gmail.com', 'outlook.com', 'yahoo.com'];
const MESSAGES = [
  'Looking to automate our lead routing before Q3.',
  'Please call me back about pricing for {n} seats.',
  'We need GDPR-compliant audit logs for our CRM sync.',
  'Saw your webinar, interested in a demo.',
  'Can you integrate with our existing HubSpot instance?',
];

function ascii(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ü/g, 'ue')
    .toLowerCase();
}

/**
 * `count` submissions for `seed`, in arrival order, one minute apart from `start`. About 2 % carry
 * an unusable email address (the intake rejects them).
 */
export function generateSubmissions(
  count: number,
  seed: string | number,
  start = Date.parse('2026-03-02T08:00:00Z'),
): LeadSubmission[] {
  const r = new SeededRandom(seed).fork('leads');
  const out: LeadSubmission[] = [];
  for (let i = 1; i <= count; i++) {
    const c = r.pick(COUNTRIES);
    const firstName = r.pick(c.firstNames);
    const lastName = r.pick(c.lastNames);
    const company = `${r.pick(COMPANY_WORDS)} ${r.pick(COMPANY_SUFFIX)}`;
    const domain = r.chance(0.15) ? r.pick(FREE_MAIL) : `${ascii(company).replace(/\s+/g, '-')}.${c.tld}`;
    const email = r.chance(0.02) ? 'n/a' : `${ascii(firstName)}.${ascii(lastName)}@${domain}`;
    const employees = r.pick([8, 25, 60, 140, 320, 850, 2400, 12000]) + r.int(0, 9);
    out.push({
      leadId: `LEAD-${String(i).padStart(5, '0')}`,
      source: r.pick(SOURCES),
      firstName: r.chance(0.05) ? `  ${firstName.toUpperCase()} ` : firstName,
      lastName,
      email: r.chance(0.1) ? email.toUpperCase() : email,
      phone: c.phone(r),
      jobTitle: r.pick(TITLES),
      company,
      country: c.code,
      employees,
      budgetUsd: r.pick([0, 2_000, 7_500, 15_000, 30_000, 60_000, 150_000]),
      message: r.pick(MESSAGES).replace('{n}', String(r.int(5, 500))),
      receivedAt: new Date(start + i * 60_000).toISOString(),
    });
  }
  return out;
}
