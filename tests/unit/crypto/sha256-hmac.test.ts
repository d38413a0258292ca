/**
 * The HMAC-SHA-256 with precomputed key states (src/core/crypto/sha256-hmac.ts) and the HMAC_DRBG
 * built on it, against OpenSSL on seeded random inputs, including every padding boundary.
 */
import { createHash, createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HmacDrbg } from '../../../src/core/crypto/drbg';
import { hmac } from '../../../src/core/crypto/hmac';
import { HmacSha256, hmacSha256, sha256 } from '../../../src/core/crypto/sha256-hmac';

const u8 = (b: Buffer) => new Uint8Array(b);
/** Lengths around every boundary of SHA-256 padding (55/56 bytes left in a block, 64-byte blocks). */
const BOUNDARIES = [0, 1, 31, 32, 33, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 183, 184, 1000];

describe('SHA-256 and HMAC-SHA-256 with precomputed key states', () => {
  it('SHA-256 equals OpenSSL at every padding boundary and on random messages', () => {
    for (const len of BOUNDARIES) {
      const m = Uint8Array.from({ length: len }, (_, i) => (i * 7 + len) & 0xff);
      expect(sha256(m)).toEqual(u8(createHash('sha256').update(m).digest()));
    }
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 700 }), (m) => {
        expect(sha256(m)).toEqual(u8(createHash('sha256').update(m).digest()));
      }),
      { seed: 21, numRuns: 500 },
    );
  });

  it('HMAC equals OpenSSL for keys shorter than, equal to and longer than a block, one-shot and reused', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 150 }),
        fc.array(fc.uint8Array({ maxLength: 200 }), { minLength: 1, maxLength: 4 }),
        (key, messages) => {
          const keyed = new HmacSha256(key);
          for (const m of messages) {
            const want = u8(createHmac('sha256', key).update(m).digest());
            expect(keyed.mac(m)).toEqual(want);
            expect(hmacSha256(key, m)).toEqual(want);
            expect(hmac('sha256', key, m)).toEqual(want);
          }
        },
      ),
      { seed: 22, numRuns: 500 },
    );
    for (const keyLen of [0, 63, 64, 65, 200]) {
      const key = new Uint8Array(keyLen).fill(0x0b);
      for (const len of BOUNDARIES) {
        const m = new Uint8Array(len).fill(0xcd);
        expect(hmacSha256(key, m)).toEqual(u8(createHmac('sha256', key).update(m).digest()));
      }
    }
  });

  it('results are independent copies: changing one does not change the next', () => {
    const keyed = new HmacSha256(Uint8Array.of(1, 2, 3));
    const a = keyed.mac(Uint8Array.of(9));
    a.fill(0);
    expect(keyed.mac(Uint8Array.of(9))).toEqual(
      u8(
        createHmac('sha256', Uint8Array.of(1, 2, 3))
          .update(Uint8Array.of(9))
          .digest(),
      ),
    );
  });
});

/** SP 800-90A §10.1.2 written directly over OpenSSL's HMAC, as a reference. */
class ReferenceDrbg {
  private k: Buffer;
  private v: Buffer;
  constructor(entropy: Uint8Array, nonce: Uint8Array, pers: Uint8Array) {
    this.k = Buffer.alloc(32);
    this.v = Buffer.alloc(32, 1);
    this.update(Buffer.concat([entropy, nonce, pers]));
  }
  private mac(k: Buffer, m: Uint8Array): Buffer {
    return createHmac('sha256', k).update(m).digest();
  }
  private update(data: Uint8Array): void {
    this.k = this.mac(this.k, Buffer.concat([this.v, Buffer.of(0), data]));
    this.v = this.mac(this.k, this.v);
    if (data.length === 0) return;
    this.k = this.mac(this.k, Buffer.concat([this.v, Buffer.of(1), data]));
    this.v = this.mac(this.k, this.v);
  }
  reseed(entropy: Uint8Array, additional: Uint8Array): void {
    this.update(Buffer.concat([entropy, additional]));
  }
  generate(n: number, additional: Uint8Array): Uint8Array {
    if (additional.length > 0) this.update(additional);
    const out: Buffer[] = [];
    let got = 0;
    while (got < n) {
      this.v = this.mac(this.k, this.v);
      out.push(this.v);
      got += 32;
    }
    this.update(additional);
    return new Uint8Array(Buffer.concat(out).subarray(0, n));
  }
}

describe('HMAC_DRBG-SHA-256 on the precomputed HMAC', () => {
  it('draws the same bytes as a reference over OpenSSL’s HMAC, with reseeds and additional input', () => {
    const bytes = (max: number) => fc.uint8Array({ maxLength: max });
    const step = fc.oneof(
      fc.record({ kind: fc.constant('generate' as const), n: fc.nat(200), add: bytes(70) }),
      fc.record({ kind: fc.constant('reseed' as const), entropy: bytes(80), add: bytes(40) }),
    );
    fc.assert(
      fc.property(bytes(64), bytes(32), bytes(40), fc.array(step, { maxLength: 8 }), (e, n, p, steps) => {
        const ours = new HmacDrbg('sha256', e, n, p);
        const ref = new ReferenceDrbg(e, n, p);
        for (const s of steps) {
          if (s.kind === 'generate') expect(ours.generate(s.n, s.add)).toEqual(ref.generate(s.n, s.add));
          else {
            ours.reseed(s.entropy, s.add);
            ref.reseed(s.entropy, s.add);
          }
        }
        const fork = ours.fork('child');
        const refFork = new ReferenceDrbg(
          ref.generate(32, new Uint8Array(0)),
          new TextEncoder().encode('fork:child'),
          new Uint8Array(0),
        );
        expect(fork.generate(50)).toEqual(refFork.generate(50, new Uint8Array(0)));
      }),
      { seed: 23, numRuns: 300 },
    );
  });
});
