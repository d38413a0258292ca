import fc from 'fast-check';
import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import {
  bigIntToBytes,
  bytesToBigInt,
  concatBytes,
  constantTimeEqual,
  fromBase64,
  fromHex,
  fromUtf8,
  toBase64,
  toHex,
  utf8,
} from '../../../src/core/crypto/bytes';

describe('byte helpers', () => {
  it('hex and base64 agree with Node Buffer on random bytes and round-trip', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
        expect(toHex(b)).toBe(Buffer.from(b).toString('hex'));
        expect(toBase64(b)).toBe(Buffer.from(b).toString('base64'));
        expect(fromHex(toHex(b))).toEqual(b);
        expect(fromHex(toHex(b).toUpperCase())).toEqual(b);
        expect(fromBase64(toBase64(b))).toEqual(b);
        expect(fromBase64(Buffer.from(b).toString('base64url'))).toEqual(b);
      }),
      { seed: 1, numRuns: 500 },
    );
  });

  it('names the position of a bad hex or base64 character', () => {
    expect(() => fromHex('abzd', 'nonce')).toThrow('nonce: invalid hex character "z" at position 2');
    expect(() => fromHex('abc')).toThrow(/odd number of hex digits/);
    expect(() => fromBase64('ab$d')).toThrow(/invalid base64 character "\$" at position 2/);
    expect(fromHex('0xff')).toEqual(Uint8Array.of(255));
  });

  it('compares in constant time and still answers correctly', () => {
    expect(constantTimeEqual(Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2, 3))).toBe(true);
    expect(constantTimeEqual(Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2, 4))).toBe(false);
    expect(constantTimeEqual(Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2))).toBe(false);
    expect(() => constantTimeEqual('a' as unknown as Uint8Array, Uint8Array.of())).toThrow(TypeError);
  });

  it('converts big integers and text, refusing values that do not fit or malformed UTF-8', () => {
    expect(toHex(bigIntToBytes(0x1234n, 4))).toBe('00001234');
    expect(bytesToBigInt(fromHex('00001234'))).toBe(0x1234n);
    expect(() => bigIntToBytes(0x10000n, 2)).toThrow(/does not fit/);
    expect(fromUtf8(utf8('机密计算'))).toBe('机密计算');
    expect(() => fromUtf8(Uint8Array.of(0xc3))).toThrow();
    expect(concatBytes(Uint8Array.of(1), Uint8Array.of(), Uint8Array.of(2, 3))).toEqual(
      Uint8Array.of(1, 2, 3),
    );
  });
});
