/**
 * The planted PII of the egress harness: one value per type and format, each unique, plus the
 * needles that must never be found in anything leaving the process (the value, its first 12
 * characters, and the same for its compact form: no separators, zero-width characters or
 * fullwidth forms).
 */

/** One planted value. */
export interface Plant {
  readonly kind: 'email' | 'card' | 'iban' | 'phone' | 'ssn' | 'ipv4' | 'ipv6';
  readonly value: string;
  /** Planted in a variant the detectors must see through (fullwidth, zero-width, NBSP). */
  readonly variant?: true;
  /** Words planted right before the value (an SSN is only PII with a cue). */
  readonly cue?: string;
}

/** The text planted for `plant`: its cue, if any, and its value. */
export function plantedText(plant: Plant): string {
  return plant.cue === undefined ? plant.value : `${plant.cue} ${plant.value}`;
}

/** Length of the prefix that must not survive either. */
export const PREFIX_LENGTH = 12;

/** Plain values, one per common format. */
export const PLAIN_PLANTS: readonly Plant[] = [
  { kind: 'email', value: 'carol.smith@example.com' },
  { kind: 'email', value: 'dave.oduya+crm@mail.example.org' },
  { kind: 'card', value: '4111111111111111' },
  { kind: 'card', value: '5555 5555 5555 4444' },
  { kind: 'card', value: '3782-822463-10005' },
  { kind: 'iban', value: 'DE89370400440532013000' },
  { kind: 'iban', value: 'GB82 WEST 1234 5698 7654 32' },
  { kind: 'phone', value: '+44 20 7946 0958' },
  { kind: 'phone', value: '+1 415-555-0132' },
  { kind: 'ipv4', value: '203.0.113.77' },
  { kind: 'ipv6', value: '2001:db8:85a3::8a2e:370:7334' },
];

/** Values the detectors must find through Unicode tricks, and an SSN after its cue. */
export const VARIANT_PLANTS: readonly Plant[] = [
  { kind: 'email', value: 'erin.fullwidth\uFF20example.com', variant: true },
  { kind: 'card', value: '4012\u200B8888\u200B8888\u200B1881', variant: true },
  { kind: 'card', value: '4242\u00A04242\u00A04242\u00A04242', variant: true },
  { kind: 'ssn', value: '536-22-4817', variant: true, cue: 'SSN' },
];

/** The compact form of `value`: NFKC, no zero-width characters, and for number-like kinds no separators. */
export function compactOf(plant: Plant): string {
  const nfkc = plant.value.normalize('NFKC').replace(/[\u200B-\u200D\u2060\uFEFF]/g, '');
  return plant.kind === 'card' || plant.kind === 'phone' || plant.kind === 'iban' || plant.kind === 'ssn'
    ? nfkc.replace(/[^0-9A-Za-z+]/g, '')
    : nfkc;
}

/** The strings that must not appear anywhere for `plant`. */
export function needlesOf(plant: Plant): string[] {
  const out = new Set<string>();
  for (const form of [plant.value, compactOf(plant), plant.value.replace(/[\u200B-\u200D\u2060\uFEFF]/g, '')]) {
    out.add(form.length > PREFIX_LENGTH ? form.slice(0, PREFIX_LENGTH) : form);
  }
  return [...out];
}

/** A sentence holding every plant of `plants` (with words around them, as free text would). */
export function sentenceOf(plants: readonly Plant[]): string {
  return plants.map((p) => `contact ${plantedText(p)}`).join(', then ') + ', done';
}
