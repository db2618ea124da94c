/**
 * Field names whose values are PII whatever their content. A key matches on its last segment
 * (after the last `.`), case-insensitively and ignoring `_`/`-`, so `first_name`, `firstName`,
 * `First-Name` and `orchestrator.email.recipient` (segment `recipient`) are all recognised.
 */

/** Default PII field names (compared after {@link normalizeFieldName}). */
export const DEFAULT_PII_FIELD_NAMES: readonly string[] = [
  'name',
  'first_name',
  'last_name',
  'full_name',
  'middle_name',
  'given_name',
  'family_name',
  'surname',
  'contact_name',
  'address',
  'street',
  'street_address',
  'address_line1',
  'address_line2',
  'phone',
  'phone_number',
  'mobile',
  'telephone',
  'email',
  'email_address',
  'recipient',
  'dob',
  'date_of_birth',
  'birth_date',
  'birthdate',
  'ssn',
  'tax_id',
  'passport',
  'iban',
];

/** The comparable form of a key: last `.` segment, lower case, without `_` and `-`. */
export function normalizeFieldName(key: string): string {
  const dot = key.lastIndexOf('.');
  const segment = dot >= 0 ? key.slice(dot + 1) : key;
  return segment.toLowerCase().replace(/[_-]/g, '');
}

/** Tells whether a key names a PII field; remembers answers for the keys it has seen (bounded). */
export class PiiFieldMatcher {
  private readonly names: ReadonlySet<string>;
  private readonly seen = new Map<string, boolean>();

  /** `names` are field names in any of the accepted spellings. */
  constructor(
    names: readonly string[],
    private readonly cacheLimit = 4096,
  ) {
    this.names = new Set(names.map(normalizeFieldName));
  }

  /** True when values under `key` are PII. */
  matches(key: string): boolean {
    const hit = this.seen.get(key);
    if (hit !== undefined) return hit;
    const result = this.names.has(normalizeFieldName(key));
    if (this.seen.size < this.cacheLimit) this.seen.set(key, result);
    return result;
  }
}
