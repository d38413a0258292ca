/**
 * Our ECDSA signing (RFC 6979 k from drbg.ts, k·G on ec-public.ts's table) against noble's
 * constant-time signer with the same deterministic nonces: byte for byte, for both curves, every
 * hash, raw and DER, on seeded random keys and digests (the RFC's own vectors are in kat.test.ts).
 */
import { ecdsa } from '@noble/curves/abstract/weierstrass.js';
import { p256, p384 } from '@noble/curves/nist.js';
import { describe, expect, it } from 'vitest';
import { seededDrbg } from '../../../src/core/crypto/drbg';
import {
  generateKeyPair,
  signDigest,
  verifyDigest,
  type Curve,
  type EcdsaHash,
} from '../../../src/core/crypto/ecdsa';
import { digestSize } from '../../../src/core/crypto/hash';
import { NOBLE_HASH } from '../../../src/core/crypto/hmac';

const NOBLE = { p256, p384 } as const;
const HASHES: EcdsaHash[] = ['sha256', 'sha384', 'sha512'];

describe.each(['p256', 'p384'] as Curve[])('ECDSA signing on %s', (curve) => {
  it.each(HASHES)('equals noble’s RFC 6979 signature with %s, raw and DER, 60 keys × 2 digests', (hash) => {
    const noble = ecdsa(NOBLE[curve].Point, NOBLE_HASH[hash]);
    const drbg = seededDrbg(`ecdsa-sign ${curve} ${hash}`);
    for (let i = 0; i < 60; i++) {
      const key = generateKeyPair(curve, drbg);
      for (const digest of [drbg.generate(digestSize(hash)), new Uint8Array(digestSize(hash)).fill(0xff)]) {
        for (const format of ['raw', 'der'] as const) {
          const ours = signDigest(curve, key.privateKey, digest, hash, format);
          const theirs = noble.sign(digest, key.privateKey, {
            prehash: false,
            lowS: false,
            format: format === 'raw' ? 'compact' : 'der',
            extraEntropy: false,
          });
          expect(ours).toEqual(theirs);
          expect(verifyDigest(curve, ours, digest, key.publicKey, hash, format)).toBe(true);
        }
      }
    }
  });

  it('signs with the extreme private keys 1 and n − 1', () => {
    const n = NOBLE[curve].Point.Fn.ORDER;
    const noble = ecdsa(NOBLE[curve].Point, NOBLE_HASH.sha256);
    const digest = new Uint8Array(32).fill(7);
    for (const d of [1n, n - 1n]) {
      const key = NOBLE[curve].Point.Fn.toBytes(d);
      const opts = { prehash: false, lowS: false, format: 'compact', extraEntropy: false } as const;
      expect(signDigest(curve, key, digest, 'sha256')).toEqual(noble.sign(digest, key, opts));
    }
  });
});
