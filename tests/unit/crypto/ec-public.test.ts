/**
 * The variable-time verification arithmetic (src/core/crypto/ec-public.ts) against noble's point
 * arithmetic and OpenSSL, on seeded random scalars and points and on the edge cases of incomplete
 * Jacobian formulas (P + P, P + (−P), the point at infinity, x(R) ≥ n).
 */
import { createPrivateKey, sign as osslSign, generateKeyPairSync } from 'node:crypto';
import { p256, p384 } from '@noble/curves/nist.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesToBigInt } from '../../../src/core/crypto/bytes';
import { seededDrbg } from '../../../src/core/crypto/drbg';
import { PUBLIC_CURVES, type Jacobian } from '../../../src/core/crypto/ec-public';
import { generateKeyPair, sign, verify, type Curve } from '../../../src/core/crypto/ecdsa';

const NOBLE = { p256, p384 } as const;
const INFINITY: Jacobian = { X: 1n, Y: 1n, Z: 0n };
const CURVES: Curve[] = ['p256', 'p384'];

function affine(curve: Curve, P: Jacobian): { x: bigint; y: bigint } | undefined {
  return PUBLIC_CURVES[curve].toAffine(P);
}

function nobleMul(curve: Curve, P: { x: bigint; y: bigint }, k: bigint) {
  const n = NOBLE[curve].Point.Fn.ORDER;
  const r = k % n;
  return r === 0n ? undefined : NOBLE[curve].Point.fromAffine(P).multiply(r).toAffine();
}

describe.each(CURVES)('public-input point arithmetic on %s', (curve) => {
  const E = PUBLIC_CURVES[curve];
  const n = E.n;
  const G = { x: E.gx, y: E.gy };
  const drbg = seededDrbg(`ec-public ${curve}`);
  const Q = NOBLE[curve].Point.BASE.multiply(1n + (bytesToBigInt(drbg.generate(64)) % (n - 1n)));
  const q = Q.toAffine();
  const combs = [1, 2, 5, 6, 8].map((t) => E.buildComb(q.x, q.y, t));
  const table = E.buildTable(q.x, q.y, 4);
  const edge = [0n, 1n, 2n, 3n, 63n, 64n, 65n, n - 1n, n - 2n, n >> 1n, 1n << BigInt(E.bits - 1)];
  const scalar = fc.bigInt({ min: 0n, max: n - 1n });

  it('combs of every width, the window table and the generator table give noble’s k·P', () => {
    const check = (k: bigint) => {
      const want = nobleMul(curve, q, k);
      for (const c of combs) expect(affine(curve, E.combMultiply(c, k))).toEqual(want);
      expect(affine(curve, E.addMultiple(INFINITY, table, k))).toEqual(want);
      expect(affine(curve, E.addMultiple(INFINITY, E.generatorTable(), k))).toEqual(nobleMul(curve, G, k));
    };
    edge.forEach(check);
    fc.assert(fc.property(scalar, check), { seed: 11, numRuns: 150 });
  });

  it('multiply (width-5 NAF) and multiplyBase give noble’s k·P and k·G for every k in [1, n − 1]', () => {
    const check = (k: bigint) => {
      if (k === 0n) return;
      expect(affine(curve, E.multiply(q.x, q.y, k))).toEqual(nobleMul(curve, q, k));
      expect(affine(curve, E.multiply(G.x, G.y, k))).toEqual(nobleMul(curve, G, k));
      expect(affine(curve, E.multiplyBase(k))).toEqual(nobleMul(curve, G, k));
    };
    // Scalars whose NAF has runs of carries (…0111110…) and the extremes of the range.
    edge.concat([(1n << 200n) - 1n, (1n << 100n) * 31n + 15n, 0x5555n, 0xaaaan]).forEach(check);
    fc.assert(fc.property(scalar, check), { seed: 12, numRuns: 150 });
  });

  it('handles the exceptional cases of the incomplete formulas: P + P, P + (−P), O + P, 2·O', () => {
    fc.assert(
      fc.property(scalar, (k) => {
        const kq = E.addMultiple(INFINITY, table, k);
        // k·Q + (n − k)·Q = O (H = 0, r ≠ 0), and k·Q + k·Q = 2k·Q (H = 0, r = 0: a doubling).
        expect(E.addMultiple(kq, table, (n - k) % n).Z === 0n).toBe(true);
        expect(affine(curve, E.addMultiple(kq, table, k))).toEqual(nobleMul(curve, q, 2n * k));
        const a = affine(curve, kq);
        if (a) {
          expect(affine(curve, E.addAffine(kq, a.x, a.y))).toEqual(nobleMul(curve, q, 2n * k));
          expect(E.addAffine(kq, a.x, E.p - a.y).Z).toBe(0n);
          expect(affine(curve, E.add(kq, kq))).toEqual(nobleMul(curve, q, 2n * k));
          expect(affine(curve, E.add(INFINITY, kq))).toEqual(a);
          expect(affine(curve, E.add(kq, INFINITY))).toEqual(a);
          expect(affine(curve, E.addAffine(INFINITY, a.x, a.y))).toEqual(a);
        }
      }),
      { seed: 12, numRuns: 40 },
    );
    expect(E.double(INFINITY).Z).toBe(0n);
    expect(() => E.normalize([INFINITY])).toThrow(RangeError);
  });

  it('checkEcdsa equals “x(u1·G + u2·Q) mod n = r”, and only that', () => {
    const c6 = combs[3];
    fc.assert(
      fc.property(scalar, scalar, (u1, u2) => {
        const R = NOBLE[curve].Point.BASE.multiplyUnsafe(u1).add(Q.multiplyUnsafe(u2));
        if (R.is0()) {
          expect(E.checkEcdsa(u1, u2, 1n, c6)).toBe(false);
          return;
        }
        const r = R.toAffine().x % n;
        expect(E.checkEcdsa(u1, u2, r, c6)).toBe(true);
        expect(E.checkEcdsa(u1, u2, r === n - 1n ? 1n : r + 1n, c6)).toBe(false);
      }),
      { seed: 13, numRuns: 100 },
    );
    // u1·G + u2·Q = O is never valid.
    expect(E.checkEcdsa(0n, n - 1n, 1n, E.buildComb(G.x, G.y, 6))).toBe(false);
  });

  it('accepts r = x(R) − n when x(R) ≥ n (the second comparison), for a point found by search', () => {
    // Points with x in [n, p) exist (p > n) but are never met by chance: take the first such x on the
    // curve, and let R = 0·G + 1·R.
    const Fp = NOBLE[curve].Point.Fp;
    const { a, b } = NOBLE[curve].Point.CURVE();
    let found: { x: bigint; y: bigint } | undefined;
    for (let x = n; x < E.p && !found; x++) {
      const rhs = Fp.add(Fp.add(Fp.mul(Fp.sqr(x), x), Fp.mul(a, x)), b);
      try {
        const y = Fp.sqrt(rhs);
        if (Fp.eql(Fp.sqr(y), rhs)) found = { x, y };
      } catch {
        // not a square: try the next x
      }
    }
    expect(found).toBeDefined();
    const R = found as { x: bigint; y: bigint };
    NOBLE[curve].Point.fromAffine(R).assertValidity();
    const comb = E.buildComb(R.x, R.y, 6);
    expect(E.checkEcdsa(0n, 1n, R.x - n, comb)).toBe(true);
    expect(E.checkEcdsa(0n, 1n, R.x - n + 1n, comb)).toBe(false);
  });
});

describe.each(CURVES)('ECDSA verification through it on %s', (curve) => {
  it('agrees with noble’s verify on valid, tampered and foreign signatures, raw and DER', () => {
    const drbg = seededDrbg(`ec-public verify ${curve}`);
    const keys = Array.from({ length: 4 }, () => generateKeyPair(curve, drbg));
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat(3), fc.nat(3), fc.boolean(), (msg, i, j, der) => {
        const format = der ? 'der' : 'raw';
        const sig = sign(curve, keys[i].privateKey, msg, { format });
        const nobleVerify = (s: Uint8Array, m: Uint8Array, pk: Uint8Array) =>
          NOBLE[curve].verify(s, m, pk, { lowS: false, format: der ? 'der' : 'compact' });
        for (const [s, m, pk] of [
          [sig, msg, keys[i].publicKey],
          [sig, msg, keys[j].publicKey],
          [sig, Uint8Array.of(...msg, 1), keys[i].publicKey],
          [sig.map((x, k) => (k === sig.length - 3 ? x ^ 4 : x)), msg, keys[i].publicKey],
        ] as const) {
          expect(verify(curve, s, m, pk, { format })).toBe(nobleVerify(s, m, pk));
        }
      }),
      { seed: 14, numRuns: 150 },
    );
  });

  it('verifies OpenSSL’s signatures (the key seen once, then many times)', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', {
      namedCurve: curve === 'p256' ? 'prime256v1' : 'secp384r1',
    });
    const raw = new Uint8Array(
      publicKey.export({ format: 'der', type: 'spki' }).subarray(-1 - 2 * (curve === 'p256' ? 32 : 48)),
    );
    const hash = curve === 'p256' ? 'sha256' : 'sha384';
    for (let i = 0; i < 12; i++) {
      const msg = new TextEncoder().encode(`message ${i}`);
      const der = new Uint8Array(
        osslSign(hash, msg, createPrivateKey(privateKey.export({ format: 'pem', type: 'pkcs8' }))),
      );
      expect(verify(curve, der, msg, raw, { format: 'der' })).toBe(true);
      expect(verify(curve, der, Uint8Array.of(...msg, 0), raw, { format: 'der' })).toBe(false);
    }
  });

  it('still refuses keys that are not points on the curve, and the encoding of infinity', () => {
    const k = generateKeyPair(curve, seededDrbg('bad keys'));
    const sig = sign(curve, k.privateKey, Uint8Array.of(1));
    const bad = k.publicKey.slice();
    bad[bad.length - 1] ^= 1;
    expect(verify(curve, sig, Uint8Array.of(1), bad)).toBe(false);
    expect(verify(curve, sig, Uint8Array.of(1), bad)).toBe(false);
    expect(verify(curve, sig, Uint8Array.of(1), Uint8Array.of(0))).toBe(false);
    expect(verify(curve, sig, Uint8Array.of(1), k.publicKey)).toBe(true);
  });
});
