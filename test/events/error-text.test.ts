import { expect } from 'chai';
import { asError, errorCodeText, errorKind, errorText } from '../../src/events/error-text.js';

describe('error text', () => {
  it('errorText: the message of an Error, other thrown values as text, a fallback when given', () => {
    expect(errorText(new TypeError('bad url'))).to.equal('bad url');
    expect(errorText('plain string')).to.equal('plain string');
    expect(errorText(42)).to.equal('42');
    expect(errorText(undefined)).to.equal('unknown error');
    expect(errorText(null)).to.equal('unknown error');
    expect(errorText({ secret: 'x' }, 'the getter threw')).to.equal('the getter threw');
    expect(errorText(new Error('kept'), 'unused')).to.equal('kept');
  });

  it('errorCodeText prefixes the OS error code when there is one', () => {
    const full = Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
    expect(errorCodeText(full)).to.equal('ENOSPC: no space left on device');
    expect(errorCodeText(new Error('plain'))).to.equal('plain');
    expect(errorCodeText('text')).to.equal('text');
  });

  it('errorKind names the class, never the message (no PII)', () => {
    expect(errorKind(new RangeError('jane@example.com'))).to.equal('RangeError');
    expect(errorKind('jane@example.com')).to.equal('string');
    expect(errorKind(undefined)).to.equal('undefined');
  });

  it('asError keeps an Error and wraps anything else', () => {
    const e = new Error('same');
    expect(asError(e)).to.equal(e);
    const wrapped = asError('boom');
    expect(wrapped).to.be.instanceOf(Error);
    expect(wrapped.message).to.equal('boom');
  });
});
