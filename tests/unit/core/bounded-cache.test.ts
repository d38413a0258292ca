import { describe, expect, it } from 'vitest';
import { BoundedCache } from '../../../src/core/bounded-cache';
import { ecdhSharedSecret } from '../../../src/core/crypto/ecdh';
import { generateKeyPair, publicKeyFromPrivate } from '../../../src/core/crypto/ecdsa';
import { seededDrbg } from '../../../src/core/crypto/drbg';

describe('BoundedCache', () => {
  it('drops the oldest entry beyond its bound and keeps the newest', () => {
    const c = new BoundedCache<number>(2);
    c.set('a', 1);
    c.set('b', 2);
    c.set('c', 3);
    expect(c.size).toBe(2);
    expect(c.get('a')).toBeUndefined();
    expect([c.get('b'), c.get('c')]).toEqual([2, 3]);
  });

  it('computes once per key and does not keep a failed computation', () => {
    const c = new BoundedCache<number>(4);
    let calls = 0;
    expect(c.getOrCompute('k', () => ++calls)).toBe(1);
    expect(c.getOrCompute('k', () => ++calls)).toBe(1);
    expect(() =>
      c.getOrCompute('bad', () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(c.get('bad')).toBeUndefined();
    expect(c.getOrCompute('bad', () => 7)).toBe(7);
  });

  it('refuses a bound that is not a positive integer', () => {
    expect(() => new BoundedCache(0)).toThrow(/positive integer/);
  });
});

describe('memoised key agreement and key derivation', () => {
  it('give callers their own copies, so changing a result cannot change the next one', () => {
    const a = generateKeyPair('p256', seededDrbg('memo-a'));
    const b = generateKeyPair('p256', seededDrbg('memo-b'));
    const z1 = ecdhSharedSecret('p256', a.privateKey, b.publicKey);
    z1.fill(0);
    const z2 = ecdhSharedSecret('p256', a.privateKey, b.publicKey);
    expect(z2.some((x) => x !== 0)).toBe(true);
    expect(z2).toEqual(ecdhSharedSecret('p256', b.privateKey, a.publicKey));
    const pub = publicKeyFromPrivate('p256', a.privateKey);
    pub.fill(0);
    expect(publicKeyFromPrivate('p256', a.privateKey)).toEqual(a.publicKey);
  });

  it('still refuses an invalid peer point every time', () => {
    const a = generateKeyPair('p256', seededDrbg('memo-c'));
    const bad = a.publicKey.slice();
    bad[40] ^= 1;
    expect(() => ecdhSharedSecret('p256', a.privateKey, bad)).toThrow(RangeError);
    expect(() => ecdhSharedSecret('p256', a.privateKey, bad)).toThrow(RangeError);
  });
});
