import { describe, expect, it } from 'vitest';
import { toHex } from '../../../src/core/crypto/bytes';
import { HmacDrbg, seededDrbg } from '../../../src/core/crypto/drbg';
import { generateKeyPair } from '../../../src/core/crypto/ecdsa';

describe('seeded HMAC_DRBG', () => {
  it('gives the identical stream for the same seed, across many calls and lengths', () => {
    const a = seededDrbg(42);
    const b = seededDrbg(42);
    for (const n of [1, 16, 31, 32, 33, 100, 4096]) expect(toHex(a.generate(n))).toBe(toHex(b.generate(n)));
  });

  it('gives different streams for different seeds, seed types and personalisations', () => {
    const first = (d: HmacDrbg) => toHex(d.generate(32));
    const streams = [
      first(seededDrbg(1)),
      first(seededDrbg(2)),
      first(seededDrbg('1')),
      first(seededDrbg(new Uint8Array([1]))),
      first(seededDrbg(1, 'other')),
    ];
    expect(new Set(streams).size).toBe(streams.length);
  });

  it('is a stream: consecutive outputs differ, and one long read differs from two short ones only by chunking', () => {
    const d = seededDrbg('x');
    expect(toHex(d.generate(32))).not.toBe(toHex(d.generate(32)));
    // Each generate call updates the state afterwards, so 64 bytes at once ≠ 32 + 32.
    expect(toHex(seededDrbg('y').generate(64))).not.toBe(
      (() => {
        const e = seededDrbg('y');
        return toHex(e.generate(32)) + toHex(e.generate(32));
      })(),
    );
  });

  it('forks independent, reproducible child streams', () => {
    const a = seededDrbg(7).fork('platform');
    const b = seededDrbg(7).fork('platform');
    const c = seededDrbg(7).fork('host');
    const x = toHex(a.generate(32));
    expect(toHex(b.generate(32))).toBe(x);
    expect(toHex(c.generate(32))).not.toBe(x);
  });

  it('derives the same key pair from the same seed and a different one from another seed', () => {
    const k1 = generateKeyPair('p384', seededDrbg(9));
    const k2 = generateKeyPair('p384', seededDrbg(9));
    const k3 = generateKeyPair('p384', seededDrbg(10));
    expect(toHex(k1.privateKey)).toBe(toHex(k2.privateKey));
    expect(toHex(k1.privateKey)).not.toBe(toHex(k3.privateKey));
    expect(k1.publicKey).toHaveLength(97);
  });

  it('draws unbiased integers in range', () => {
    const d = seededDrbg('ints');
    const counts = new Array<number>(6).fill(0);
    for (let i = 0; i < 6000; i++) counts[d.nextInt(6)]++;
    for (const c of counts) expect(c).toBeGreaterThan(850);
    expect(() => d.nextInt(0)).toThrow(RangeError);
  });

  it('refuses oversized requests and bad seeds', () => {
    expect(() => seededDrbg(1).generate(65_537)).toThrow(/0\.\.65536 bytes/);
    expect(() => seededDrbg(1.5)).toThrow(/safe integer/);
  });
});
