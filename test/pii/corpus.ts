/**
 * A seeded, deterministic evaluation corpus for the PII detectors, built with @faker-js/faker:
 * labelled texts (phones in the formats of 17 locales, cards of 11 networks, IBANs of 20 countries,
 * e-mails, US SSNs, IPv4 and IPv6 addresses) each set in a sentence of a lead form, a CRM note or
 * an error message, and PII-free log lines (timestamps, versions, order and ticket numbers, ZIP
 * codes, hex ids, amounts, durations) to measure what is altered without being PII.
 */
import { allFakers, type Faker } from '@faker-js/faker';
import { luhnDigit } from './generators.js';

/** One labelled PII value inside a text: `text.slice(start, start + value.length) === value`. */
export interface LabelledText {
  readonly text: string;
  readonly kind: 'email' | 'phone' | 'card' | 'iban' | 'ssn' | 'ipv4' | 'ipv6';
  readonly value: string;
  readonly start: number;
  /** Where the value came from (locale, network or country). */
  readonly source: string;
}

/** Locales whose faker phone formats are national and international formats in use there. */
export const PHONE_LOCALES = [
  'en_US',
  'en_GB',
  'fr',
  'de',
  'nl',
  'nl_BE',
  'de_CH',
  'de_AT',
  'sv',
  'pt_BR',
  'en_AU',
  'es',
  'pl',
  'ja',
  'en_IN',
  'cs_CZ',
  'en_IE',
] as const;

/** Countries of the IBAN part (faker builds valid IBANs for them). */
export const IBAN_COUNTRIES = [
  'DE',
  'FR',
  'GB',
  'NL',
  'BE',
  'ES',
  'IT',
  'CH',
  'AT',
  'SE',
  'PL',
  'PT',
  'IE',
  'NO',
  'DK',
  'FI',
  'LU',
  'CZ',
  'TR',
  'BR',
] as const;

/** Card networks: prefix and length (faker's own network prefixes are not all current IIN ranges). */
const CARD_NETWORKS: readonly (readonly [string, string, number])[] = [
  ['visa-16', '4', 16],
  ['visa-13', '4', 13],
  ['visa-19', '4', 19],
  ['mastercard-5', '5', 16],
  ['mastercard-2', '2', 16],
  ['amex', '3', 15],
  ['maestro-12', '6759', 12],
  ['maestro-19', '6304', 19],
  ['unionpay', '62', 16],
  ['unionpay-19', '62', 19],
  ['jcb', '35', 16],
  ['diners', '36', 14],
  ['discover', '6011', 16],
  ['mir', '220', 16],
];

const CUED: readonly ((v: string) => string)[] = [
  (v) => `Please call me at ${v} after 5pm.`,
  (v) => `Tel.: ${v}`,
  (v) => `lead form: name=Jane, phone=${v}, source=webinar`,
  (v) => `Mobile: ${v} (WhatsApp ok)`,
  (v) => `Rückruf erbeten, Telefon ${v}`,
  (v) => `Merci de me rappeler au ${v}`,
];
const BARE: readonly ((v: string) => string)[] = [
  (v) => v,
  (v) => `${v} - best after lunch`,
  (v) => `Contact details changed to ${v} by the lead`,
  (v) => `CRM sync failed for ${v}: duplicate`,
];
const PLAIN: readonly ((v: string) => string)[] = [
  (v) => `Error: payment declined for ${v} (code 51)`,
  (v) => `customer wrote: ${v}`,
  (v) => `note: ${v}`,
  (v) => `${v}`,
  (v) => `Wire transfer from ${v} pending since 2026-11-26`,
];

function place(
  f: Faker,
  templates: readonly ((v: string) => string)[],
  value: string,
  kind: LabelledText['kind'],
  source: string,
): LabelledText {
  const marker = '\u0000';
  const template = f.helpers.arrayElement(templates);
  const shaped = template(marker);
  return { text: shaped.replace(marker, value), kind, value, start: shaped.indexOf(marker), source };
}

function cardNumber(f: Faker, prefix: string, length: number): string {
  let body = prefix;
  if (prefix === '2') body = String(f.number.int({ min: 2221, max: 2720 }));
  if (prefix === '5') body = String(f.number.int({ min: 51, max: 55 }));
  if (prefix === '3') body = f.helpers.arrayElement(['34', '37']);
  if (prefix === '35') body = String(f.number.int({ min: 3528, max: 3589 }));
  if (prefix === '220') body = '220' + String(f.number.int({ min: 0, max: 4 }));
  body += f.string.numeric(length - body.length - 1);
  const digits = body + luhnDigit(body);
  const sep = f.helpers.arrayElement(['', ' ', '-', ' ']);
  if (sep === '') return digits;
  if (length === 15) return `${digits.slice(0, 4)}${sep}${digits.slice(4, 10)}${sep}${digits.slice(10)}`;
  if (length === 14) return `${digits.slice(0, 4)}${sep}${digits.slice(4, 10)}${sep}${digits.slice(10)}`;
  return (digits.match(/.{1,4}/g) as string[]).join(sep);
}

/** A valid SSN (area 001–899 but 666, group 01–99, serial 0001–9999), dashed, spaced or plain. */
function ssn(f: Faker): { value: string; cued: boolean } {
  let area = f.number.int({ min: 1, max: 899 });
  if (area === 666) area = 667;
  const digits = `${String(area).padStart(3, '0')}${String(f.number.int({ min: 1, max: 99 })).padStart(2, '0')}${String(f.number.int({ min: 1, max: 9999 })).padStart(4, '0')}`;
  const style = f.number.int({ min: 0, max: 3 });
  if (style <= 1) return { value: `${digits.slice(0, 3)}-${digits.slice(3, 5)}-${digits.slice(5)}`, cued: style === 0 };
  return { value: style === 2 ? `${digits.slice(0, 3)} ${digits.slice(3, 5)} ${digits.slice(5)}` : digits, cued: true };
}

/** The labelled texts, the same on every call (seeded). */
export function labelledCorpus(): LabelledText[] {
  const out: LabelledText[] = [];
  for (const locale of PHONE_LOCALES) {
    const f = allFakers[locale];
    f.seed(1100 + PHONE_LOCALES.indexOf(locale));
    for (let i = 0; i < 24; i++) {
      const style = i % 3 === 0 ? 'international' : i % 3 === 1 ? 'national' : undefined;
      const value = style ? f.phone.number({ style }) : f.phone.number();
      out.push(place(f, i % 2 === 0 ? CUED : BARE, value, 'phone', locale));
    }
  }
  const f = allFakers.en;
  f.seed(1211);
  for (const [name, prefix, length] of CARD_NETWORKS) {
    for (let i = 0; i < 10; i++) out.push(place(f, PLAIN, cardNumber(f, prefix, length), 'card', name));
  }
  for (const country of IBAN_COUNTRIES) {
    for (let i = 0; i < 8; i++) {
      let value = f.finance.iban({ formatted: i % 2 === 0, countryCode: country });
      if (i % 4 === 3) value = value.toLowerCase();
      out.push(place(f, PLAIN, value, 'iban', country));
    }
  }
  for (let i = 0; i < 80; i++) {
    const locale = PHONE_LOCALES[i % PHONE_LOCALES.length] as string;
    out.push(
      place(f, [...BARE, ...PLAIN], allFakers[locale as keyof typeof allFakers].internet.email(), 'email', locale),
    );
  }
  for (let i = 0; i < 60; i++) {
    const { value, cued } = ssn(f);
    const templates: readonly ((v: string) => string)[] = cued
      ? [(v) => `SSN: ${v}`, (v) => `my social security number is ${v}`, (v) => `applicant SSN ${v} verified`]
      : PLAIN;
    out.push(place(f, templates, value, 'ssn', cued ? 'cued' : 'dashed'));
  }
  for (let i = 0; i < 40; i++) out.push(place(f, [...BARE, ...PLAIN], f.internet.ipv4(), 'ipv4', 'ipv4'));
  for (let i = 0; i < 40; i++) out.push(place(f, [...BARE, ...PLAIN], f.internet.ipv6(), 'ipv6', 'ipv6'));
  return out;
}

/** PII-free log lines of an orchestrator, the same on every call (seeded). */
export function piiFreeCorpus(): string[] {
  const f = allFakers.en;
  f.seed(1313);
  const lines: (() => string)[] = [
    () =>
      `${f.date.recent({ days: 30, refDate: '2026-11-26T00:00:00Z' }).toISOString()} INFO lead ingested in ${f.number.int({ min: 2, max: 900 })} ms`,
    () =>
      `[${f.date.recent({ days: 30, refDate: '2026-11-26T00:00:00Z' }).toISOString().replace('T', ' ').slice(0, 19)}] worker-${f.number.int({ min: 1, max: 16 })} done`,
    () => `release v${f.system.semver()} deployed to eu-west-${f.number.int({ min: 1, max: 3 })}`,
    () =>
      `Order ORD-2026-${String(f.number.int({ min: 1, max: 999999 })).padStart(6, '0')} shipped to ${f.location.zipCode()} ${f.location.city()}`,
    () =>
      `order #${f.number.int({ min: 10000, max: 9999999 })} total ${f.finance.amount({ min: 5, max: 99999, dec: 2 })} ${f.finance.currencyCode()}`,
    () =>
      `ticket ${f.number.int({ min: 100000, max: 99999999 })} escalated after ${f.number.int({ min: 1, max: 72 })} h`,
    () => `INC${String(f.number.int({ min: 1, max: 9999999 })).padStart(7, '0')} resolved`,
    () =>
      `trace id ${f.string.hexadecimal({ length: 32, casing: 'lower', prefix: '' })} span ${f.string.hexadecimal({ length: 16, casing: 'lower', prefix: '' })}`,
    () => `request ${f.string.uuid()} took ${f.number.float({ min: 0.01, max: 30, fractionDigits: 3 })} s`,
    () => `commit ${f.git.commitSha({ length: 12 })} by ci`,
    () =>
      `batch ${f.number.int({ min: 1, max: 500 })} of ${f.number.int({ min: 500, max: 5000 })}: ${f.number.int({ min: 0, max: 10000 })} leads, ${f.number.int({ min: 0, max: 100 })}% qualified`,
    () =>
      `invoice INV-${f.number.int({ min: 2020, max: 2026 })}-${f.number.int({ min: 1, max: 99999 })} amount ${f.finance.amount({ min: 1, max: 1000000, dec: 2, autoFormat: true })}`,
    () =>
      `epoch ${f.number.int({ min: 1_600_000_000, max: 1_800_000_000 })} seq ${f.number.int({ min: 1, max: 10_000_000 })}`,
    () =>
      `HTTP ${f.helpers.arrayElement([200, 201, 400, 404, 429, 500, 503])} from crm in ${f.number.int({ min: 1, max: 5000 })}ms, retry ${f.number.int({ min: 1, max: 5 })}/5`,
    () =>
      `SKU ${f.string.alphanumeric({ length: 8, casing: 'upper' })} qty ${f.number.int({ min: 1, max: 500 })} at ${f.commerce.price()} EUR`,
    () =>
      `duration ${String(f.number.int({ min: 0, max: 23 })).padStart(2, '0')}:${String(f.number.int({ min: 0, max: 59 })).padStart(2, '0')}:${String(f.number.int({ min: 0, max: 59 })).padStart(2, '0')}, ${f.number.int({ min: 1, max: 999 })} MB written`,
    () =>
      `${f.location.streetAddress()}, ${f.location.zipCode()} ${f.location.city()} geocoded to ${f.location.latitude()}, ${f.location.longitude()}`,
    () =>
      `campaign spring-${f.number.int({ min: 2020, max: 2026 })} sent ${f.number.int({ min: 1000, max: 2_000_000 })} emails, opened ${f.number.int({ min: 0, max: 99 })}.${f.number.int({ min: 0, max: 9 })}%`,
    () =>
      `job ${f.number.int({ min: 1000000, max: 99999999 })} queued on node ${f.number.int({ min: 1, max: 64 })} (${f.number.int({ min: 1, max: 128 })} cores, ${f.number.int({ min: 1, max: 512 })} GiB)`,
    () =>
      `dates ${f.date.past({ refDate: '2026-11-26T00:00:00Z' }).toLocaleDateString('de-DE')} - ${f.date.future({ refDate: '2026-11-26T00:00:00Z' }).toLocaleDateString('en-US')}`,
    // several numbers in one run of digit groups: the groups ending it are not read as a number alone
    () =>
      `order ${f.number.int({ min: 1000, max: 99999 })} ${f.date.recent({ days: 300, refDate: '2026-11-26T00:00:00Z' }).toISOString().slice(0, 10)} confirmed`,
    () =>
      `range ${f.number.int({ min: 1000, max: 9999 })} ${f.number.int({ min: 1000, max: 9999 })}-${f.number.int({ min: 1000, max: 9999 })} reserved`,
    () =>
      `lot ${f.number.int({ min: 10, max: 99 })} ${f.number.int({ min: 100, max: 999 })}/${f.number.int({ min: 100000, max: 999999 })} (${f.number.int({ min: 1, max: 12 })}.${f.number.int({ min: 1, max: 28 })})`,
  ];
  const out: string[] = [];
  for (let i = 0; i < 1000; i++) out.push((lines[i % lines.length] as () => string)());
  return out;
}
