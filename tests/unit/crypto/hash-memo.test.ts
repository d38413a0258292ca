/**
 * Digests of repeated inputs are memoised by exact value (src/core/crypto/hash.ts): a hit needs a
 * byte-for-byte equal input, so a changed byte anywhere, an input changed in place after hashing, an
 * unaligned view or a fingerprint collision must all still give OpenSSL's digest. Incremental hashes
 * keep short streams and hash them at the end: the same digest as hashing as they come.
 */
import { createHash as osslHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededDrbg } from '../../../src/core/crypto/drbg';
import { createHash, digest, type HashAlg } from '../../../src/core/crypto/hash';

const ALGS: HashAlg[] = ['sha1', 'sha256', 'sha384', 'sha512'];
const openssl = (alg: HashAlg, data: Uint8Array) => new Uint8Array(osslHash(alg).update(data).digest());

describe('memoised digests', () => {
  it('equal OpenSSL for repeated, nearly equal and changed-in-place inputs of every size around the memo’s bounds', () => {
    const drbg = seededDrbg('hash memo');
    for (const alg of ALGS) {
      for (const n of [1023, 1024, 1025, 4096, 20_000, 32 * 1024, 32 * 1024 + 1]) {
        const data = drbg.generate(n);
        const want = openssl(alg, data);
        expect(digest(alg, data)).toEqual(want);
        expect(digest(alg, data.slice())).toEqual(want);
        // One flipped bit anywhere (first, middle, last byte) is another input.
        for (const at of [0, n >> 1, n - 1]) {
          const other = data.slice();
          other[at] ^= 1;
          expect(digest(alg, other)).toEqual(openssl(alg, other));
        }
        // The caller changes its array after hashing it: the memo kept its own copy.
        data[n - 1] ^= 0x80;
        expect(digest(alg, data)).toEqual(openssl(alg, data));
      }
    }
  });

  it('gives callers their own copies, and reads unaligned views correctly', () => {
    const data = seededDrbg('hash memo views').generate(9000);
    const first = digest('sha256', data.subarray(0, 4096));
    first.fill(0);
    expect(digest('sha256', data.subarray(0, 4096))).toEqual(openssl('sha256', data.subarray(0, 4096)));
    for (const offset of [1, 2, 3, 5]) {
      const view = data.subarray(offset, offset + 4096);
      expect(digest('sha384', view)).toEqual(openssl('sha384', view));
      expect(digest('sha384', view.slice())).toEqual(openssl('sha384', view));
    }
  });

  it('agrees with OpenSSL on random inputs that repeat and differ (property)', () => {
    const pool = Array.from({ length: 4 }, (_, i) => seededDrbg(`pool ${i}`).generate(1500 + i));
    fc.assert(
      fc.property(
        fc.nat(3),
        fc.nat(1600),
        fc.integer({ min: -1, max: 255 }),
        fc.constantFrom(...ALGS),
        (i, at, v, alg) => {
          const input = pool[i].slice();
          if (v >= 0 && at < input.length) input[at] = v;
          expect(digest(alg, input)).toEqual(openssl(alg, input));
        },
      ),
      { seed: 41, numRuns: 400 },
    );
  });
});

describe('incremental hashing', () => {
  it('equals one-shot OpenSSL for streams below, at and above the kept size, in any chunking', () => {
    const drbg = seededDrbg('incremental');
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 12_000 }), { maxLength: 8 }),
        fc.constantFrom(...ALGS),
        (sizes, alg) => {
          const chunks = sizes.map((n) => drbg.generate(n));
          const h = createHash(alg);
          for (const c of chunks) h.update(c);
          // Changing a chunk after handing it over does not change the digest.
          for (const c of chunks) if (c.length) c[0] ^= 1;
          const whole = new Uint8Array(sizes.reduce((a, b) => a + b, 0));
          let o = 0;
          for (const c of chunks) {
            if (c.length) c[0] ^= 1;
            whole.set(c, o);
            o += c.length;
          }
          expect(h.digest()).toEqual(openssl(alg, whole));
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });

  it('cannot be used after digest()', () => {
    for (const n of [10, 40_000]) {
      const h = createHash('sha256').update(new Uint8Array(n));
      h.digest();
      expect(() => h.update(Uint8Array.of(1))).toThrow();
      expect(() => h.digest()).toThrow();
    }
  });
});
