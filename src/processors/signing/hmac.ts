/**
 * HMAC-SHA256 (RFC 2104) of text, tuned for many short messages under one key.
 *
 * `createHmac` builds a new native HMAC object per call, which costs more than hashing a record of
 * a few hundred bytes. Here the two padded key blocks are computed once per key, and each MAC is
 * two one-shot `crypto.hash` calls: `H(opad ‖ H(ipad ‖ message))`. The message is written as UTF-8
 * into a reusable buffer behind the inner pad, so no per-call buffer is built for it. The result is
 * byte-identical to `createHmac('sha256', key).update(message).digest()` (the tests check that).
 */
import { createHash, createHmac, hash } from 'node:crypto';

/** SHA-256 block size in bytes. */
const BLOCK = 64;
/** SHA-256 digest size in bytes. */
const DIGEST = 32;
/** Largest scratch buffer kept between calls; longer messages use a one-off buffer. */
const MAX_KEPT_BYTES = 1 << 20;

/** Whether this Node has the one-shot `crypto.hash` (20.12+); without it, `createHmac` is used. */
const HAS_ONE_SHOT_HASH = typeof hash === 'function';

/** HMAC-SHA256 under one fixed key. Holds the key material; never expose instances. */
export class HmacSha256 {
  private readonly key: Buffer;
  /** `ipad ‖ message` scratch (the pad is written once at offset 0). */
  private inner: Buffer;
  /** `opad ‖ inner digest`. */
  private readonly outer: Buffer;
  private readonly ipad: Buffer;

  constructor(key: Uint8Array) {
    this.key = Buffer.from(key);
    // keys longer than a block are hashed first (RFC 2104)
    const k = this.key.length > BLOCK ? createHmacKeyDigest(this.key) : this.key;
    this.ipad = Buffer.alloc(BLOCK, 0x36);
    const opad = Buffer.alloc(BLOCK, 0x5c);
    for (let i = 0; i < k.length; i++) {
      this.ipad[i] = (this.ipad[i] as number) ^ (k[i] as number);
      opad[i] = (opad[i] as number) ^ (k[i] as number);
    }
    this.inner = Buffer.allocUnsafe(4096);
    this.ipad.copy(this.inner, 0);
    this.outer = Buffer.allocUnsafe(BLOCK + DIGEST);
    opad.copy(this.outer, 0);
  }

  /** The MAC of the UTF-8 bytes of `message`, base64url without padding. */
  digestBase64url(message: string): string {
    if (!HAS_ONE_SHOT_HASH) return createHmac('sha256', this.key).update(message).digest('base64url');
    const worst = BLOCK + message.length * 3;
    let scratch = this.inner;
    if (worst > scratch.length) {
      scratch = Buffer.allocUnsafe(worst);
      this.ipad.copy(scratch, 0);
      if (worst <= MAX_KEPT_BYTES) this.inner = scratch;
    }
    const written = scratch.write(message, BLOCK, 'utf8');
    const innerDigest = hash('sha256', new Uint8Array(scratch.buffer, scratch.byteOffset, BLOCK + written), 'binary');
    this.outer.write(innerDigest, BLOCK, 'latin1');
    return hash('sha256', this.outer, 'base64url');
  }
}

function createHmacKeyDigest(key: Buffer): Buffer {
  return createHash('sha256').update(key).digest();
}
