/**
 * Memoised pure computations in the crypto core: deterministic signatures (by curve, hash, format,
 * private key and digest) and ECDH (by the unordered pair of public keys). What must hold: the same
 * bytes as computing afresh, callers' own copies, both sides of an agreement served from one entry,
 * and invalid inputs refused every time. Verification is never memoised.
 */
import { createECDH } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { publicKeyOps, resetPublicKeyOps } from '../../../src/core/crypto/counters';
import { seededDrbg } from '../../../src/core/crypto/drbg';
import { ecdhSharedSecret } from '../../../src/core/crypto/ecdh';
import { generateKeyPair, sign, signDigest, verify, type Curve } from '../../../src/core/crypto/ecdsa';
import { digest } from '../../../src/core/crypto/hash';

const CURVES: Curve[] = ['p256', 'p384'];
const OSSL = { p256: 'prime256v1', p384: 'secp384r1' } as const;

describe.each(CURVES)('memoised signatures on %s', (curve) => {
  it('sign(m) is signDigest(H(m)), byte for byte, and a repeat is served without signing again', () => {
    const k = generateKeyPair(curve, seededDrbg(`memo sign ${curve}`));
    const msg = new TextEncoder().encode('the same message');
    resetPublicKeyOps();
    const a = sign(curve, k.privateKey, msg);
    expect(publicKeyOps.sign).toBe(1);
    const hash = curve === 'p256' ? 'sha256' : 'sha384';
    expect(signDigest(curve, k.privateKey, digest(hash, msg), hash)).toEqual(a);
    expect(sign(curve, k.privateKey, msg)).toEqual(a);
    expect(publicKeyOps.sign).toBe(1);
    // Another format, another hash or another key is another entry.
    const der = sign(curve, k.privateKey, msg, { format: 'der' });
    expect(der).not.toEqual(a);
    expect(sign(curve, k.privateKey, msg, { hash: 'sha512' })).not.toEqual(a);
    expect(publicKeyOps.sign).toBe(3);
    expect(verify(curve, der, msg, k.publicKey, { format: 'der' })).toBe(true);
  });

  it('gives callers their own copies', () => {
    const k = generateKeyPair(curve, seededDrbg(`memo copies ${curve}`));
    const msg = Uint8Array.of(1, 2, 3);
    const a = sign(curve, k.privateKey, msg);
    const keep = a.slice();
    a.fill(0);
    expect(sign(curve, k.privateKey, msg)).toEqual(keep);
  });

  it('verification is never memoised: every call is counted and checked', () => {
    const k = generateKeyPair(curve, seededDrbg(`memo verify ${curve}`));
    const msg = Uint8Array.of(7);
    const sig = sign(curve, k.privateKey, msg);
    resetPublicKeyOps();
    for (let i = 0; i < 5; i++) expect(verify(curve, sig, msg, k.publicKey)).toBe(true);
    const bad = sig.slice();
    bad[5] ^= 1;
    for (let i = 0; i < 3; i++) expect(verify(curve, bad, msg, k.publicKey)).toBe(false);
    expect(publicKeyOps.verify).toBe(8);
  });
});

describe.each(CURVES)('memoised ECDH on %s, keyed by the pair of public keys', (curve) => {
  it('the responder computing first gets OpenSSL’s Z, and the initiator is then served the same Z', () => {
    const drbg = seededDrbg(`memo ecdh ${curve}`);
    for (let i = 0; i < 5; i++) {
      const a = generateKeyPair(curve, drbg);
      const b = generateKeyPair(curve, drbg);
      const theirs = createECDH(OSSL[curve]);
      theirs.setPrivateKey(a.privateKey);
      const want = new Uint8Array(theirs.computeSecret(b.publicKey));
      // b's side first (computed), then a's side (served from the pair's entry), then again.
      expect(ecdhSharedSecret(curve, b.privateKey, a.publicKey)).toEqual(want);
      expect(ecdhSharedSecret(curve, a.privateKey, b.publicKey)).toEqual(want);
      expect(ecdhSharedSecret(curve, b.privateKey, a.publicKey)).toEqual(want);
    }
  });

  it('a third key naming one of the pair gets its own agreement, not the pair’s', () => {
    const drbg = seededDrbg(`memo ecdh third ${curve}`);
    const [a, b, c] = [
      generateKeyPair(curve, drbg),
      generateKeyPair(curve, drbg),
      generateKeyPair(curve, drbg),
    ];
    const ab = ecdhSharedSecret(curve, a.privateKey, b.publicKey);
    const cb = ecdhSharedSecret(curve, c.privateKey, b.publicKey);
    expect(cb).not.toEqual(ab);
    const theirs = createECDH(OSSL[curve]);
    theirs.setPrivateKey(c.privateKey);
    expect(cb).toEqual(new Uint8Array(theirs.computeSecret(b.publicKey)));
  });

  it('still refuses an invalid peer point and an invalid private key, after the pair is known', () => {
    const drbg = seededDrbg(`memo ecdh bad ${curve}`);
    const a = generateKeyPair(curve, drbg);
    const b = generateKeyPair(curve, drbg);
    ecdhSharedSecret(curve, a.privateKey, b.publicKey);
    const bad = b.publicKey.slice();
    bad[bad.length - 1] ^= 1;
    for (let i = 0; i < 2; i++) {
      expect(() => ecdhSharedSecret(curve, a.privateKey, bad)).toThrow(
        `peerPublicKey: not a valid ${curve} point`,
      );
    }
    const zero = new Uint8Array(a.privateKey.length);
    expect(() => ecdhSharedSecret(curve, zero, b.publicKey)).toThrow(
      `privateKey: not a scalar in [1, n-1] for ${curve}`,
    );
  });
});
