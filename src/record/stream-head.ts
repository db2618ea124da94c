/** Where a stream stands: the position and signature of a record, usually its last one. */

/**
 * The last record of a stream: where a new stream links to (`audit.stream.previous`), what a
 * seal commits to, and what a witness remembers.
 */
export interface StreamHead {
  /** Stream id. */
  readonly stream: string;
  /** Sequence number of the record. */
  readonly seq: number;
  /** Its signature (base64url HMAC-SHA256). */
  readonly sig: string;
}
