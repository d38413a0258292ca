/**
 * The sliding-window modular exponentiation behind RSA signing, against square-and-multiply on
 * seeded random inputs of every size the windows switch at; and RSA-PSS signing with it against
 * OpenSSL with a fresh key (tests/unit/evidence/x509.test.ts covers the committed demo keys).
 */
import { constants, generateKeyPairSync, verify as osslVerify } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesToBigInt } from '../../../src/core/crypto/bytes';
import { modPow, rsaPssSign, rsaPssVerify, type RsaPrivateKey } from '../../../src/core/crypto/rsa';

function reference(base: bigint, exp: bigint, mod: bigint): bigint {
  let r = 1n % mod;
  let b = ((base % mod) + mod) % mod;
  for (let e = exp; e > 0n; e >>= 1n) {
    if (e & 1n) r = (r * b) % mod;
    b = (b * b) % mod;
  }
  return r;
}

describe('modPow (left-to-right sliding windows)', () => {
  it('equals square-and-multiply for exponents of 0 to 2,100 bits and moduli of 1 to 1,100 bits', () => {
    const big = (maxBits: number) =>
      fc
        .integer({ min: 0, max: maxBits })
        .chain((bits) => fc.bigInt({ min: 0n, max: (1n << BigInt(bits)) - 1n }));
    fc.assert(
      fc.property(big(1200), big(2100), big(1100), (base, exp, m) => {
        const mod = m + 1n;
        expect(modPow(base, exp, mod)).toBe(reference(base, exp, mod));
      }),
      { seed: 31, numRuns: 400 },
    );
  });

  it('handles the edges: exponent 0 and 1, modulus 1, negative or oversized bases; refuses bad arguments', () => {
    expect(modPow(5n, 0n, 7n)).toBe(1n);
    expect(modPow(5n, 1n, 7n)).toBe(5n);
    expect(modPow(12n, 1n, 7n)).toBe(5n);
    expect(modPow(-2n, 3n, 7n)).toBe(reference(-2n, 3n, 7n));
    expect(modPow(5n, 123n, 1n)).toBe(0n);
    expect(modPow(0n, 5n, 7n)).toBe(0n);
    expect(() => modPow(2n, -1n, 7n)).toThrow(RangeError);
    expect(() => modPow(2n, 3n, 0n)).toThrow(RangeError);
  });
});

describe('RSA-PSS signing on it', () => {
  it('OpenSSL verifies our signatures with a fresh 2048-bit key (CRT parameters from its JWK)', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const j = privateKey.export({ format: 'jwk' });
    const int = (s: string | undefined) => bytesToBigInt(new Uint8Array(Buffer.from(s ?? '', 'base64url')));
    const key: RsaPrivateKey = {
      n: int(j.n),
      e: int(j.e),
      d: int(j.d),
      p: int(j.p),
      q: int(j.q),
      dp: int(j.dp),
      dq: int(j.dq),
      qi: int(j.qi),
    };
    for (let i = 0; i < 4; i++) {
      const msg = new TextEncoder().encode(`message ${i}`);
      const sig = rsaPssSign('sha256', key, msg, new Uint8Array(32).fill(i));
      const opts = { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 };
      expect(osslVerify('sha256', msg, opts, sig)).toBe(true);
      expect(rsaPssVerify('sha256', key, msg, sig, 32)).toBe(true);
    }
  });
});
