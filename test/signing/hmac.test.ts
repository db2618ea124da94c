import { createHmac, randomBytes } from 'node:crypto';
import { expect } from 'chai';
import fc from 'fast-check';
import { HmacSha256 } from '../../src/processors/signing/hmac.js';

/** The reference: Node's own HMAC object. */
function reference(key: Uint8Array, message: string): string {
  return createHmac('sha256', key).update(message).digest('base64url');
}

describe('HmacSha256 (precomputed pads over crypto.hash)', () => {
  it('equals createHmac for RFC 4231 test case 2 (short key "Jefe")', () => {
    // RFC 4231 4.3: key "Jefe", data "what do ya want for nothing?"
    const mac = new HmacSha256(Buffer.from('Jefe')).digestBase64url('what do ya want for nothing?');
    expect(Buffer.from(mac, 'base64url').toString('hex')).to.equal(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });

  it('equals createHmac for keys longer than one block (hashed first)', () => {
    const key = randomBytes(131);
    expect(new HmacSha256(key).digestBase64url('Test Using Larger Than Block-Size Key')).to.equal(
      reference(key, 'Test Using Larger Than Block-Size Key'),
    );
  });

  it('equals createHmac on arbitrary keys and unicode text, lone surrogates included', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 100 }),
        fc.string({ unit: 'binary', maxLength: 300 }),
        (key, text) => {
          expect(new HmacSha256(key).digestBase64url(text)).to.equal(reference(key, text));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('keeps one instance correct across messages of very different sizes (scratch buffer growth)', () => {
    const key = randomBytes(32);
    const mac = new HmacSha256(key);
    const sizes = [0, 1, 4031, 4032, 4033, 10_000, 3, 400_000, 2_000_000, 17];
    for (const size of sizes) {
      const text = 'é€'.repeat(Math.ceil(size / 2)).slice(0, size);
      expect(mac.digestBase64url(text), `length ${size}`).to.equal(reference(key, text));
    }
  });

  it('gives different MACs for different keys and messages', () => {
    const a = new HmacSha256(randomBytes(32));
    const b = new HmacSha256(randomBytes(32));
    expect(a.digestBase64url('x')).to.not.equal(b.digestBase64url('x'));
    expect(a.digestBase64url('x')).to.not.equal(a.digestBase64url('y'));
  });
});
