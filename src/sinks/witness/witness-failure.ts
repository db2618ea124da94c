/** Diagnostics kinds of seal witnesses. */
export const WITNESS_FAILURE = {
  /** A seal could not be appended to a file witness. */
  write: 'witness.write',
} as const;
