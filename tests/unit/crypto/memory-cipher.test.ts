import { createCipheriv } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededDrbg } from '../../../src/core/crypto/drbg';
import { memoryCipher, PAGE_BYTES } from '../../../src/core/crypto/memory-cipher';

const drbg = seededDrbg('memory-cipher tests');
const key128 = drbg.generate(32);
const key256 = drbg.generate(64);
const page = drbg.generate(PAGE_BYTES);

function blocksThatDiffer(a: Uint8Array, b: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < a.length; i += 16) {
    if (a.subarray(i, i + 16).some((x, j) => x !== b[i + j])) out.push(i / 16);
  }
  return out;
}

describe('memory cipher (AES-XTS, physical-address tweak)', () => {
  it('round-trips a page at any page-aligned address', () => {
    const mc = memoryCipher(key128);
    for (const pa of [0n, 0x1000n, 0x7fff_f000n, 0xffff_ffff_ffff_f000n]) {
      const c = mc.encrypt(pa, page);
      expect(c).not.toEqual(page);
      expect(mc.decrypt(pa, c)).toEqual(page);
    }
  });

  it('matches OpenSSL AES-128-XTS and AES-256-XTS with the page frame number as tweak', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 52n) - 1n }), fc.boolean(), (frame, wide) => {
        const key = wide ? key256 : key128;
        const iv = Buffer.alloc(16);
        iv.writeBigUInt64LE(frame);
        const c = createCipheriv(wide ? 'aes-256-xts' : 'aes-128-xts', key, iv);
        const theirs = new Uint8Array(Buffer.concat([c.update(page), c.final()]));
        expect(memoryCipher(key).encrypt(frame << 12n, page)).toEqual(theirs);
      }),
      { seed: 7, numRuns: 200 },
    );
  });

  it('encrypts a sub-range of a page exactly as the whole page encrypts those bytes', () => {
    const mc = memoryCipher(key128);
    const whole = mc.encrypt(0x5000n, page);
    expect(mc.encrypt(0x5000n + 0x230n, page.subarray(0x230, 0x2b0))).toEqual(whole.subarray(0x230, 0x2b0));
    // A range that crosses into the next page takes that page's tweak.
    const two = mc.encrypt(0x5000n, new Uint8Array([...page, ...page]));
    expect(
      mc.encrypt(
        0x5ff0n,
        two.subarray(0xff0, 0x1010).map((_, i) => page[(0xff0 + i) % PAGE_BYTES]),
      ),
    ).toEqual(two.subarray(0xff0, 0x1010));
  });

  it('encrypts any aligned range, starting mid-page and spanning pages, as OpenSSL encrypts its pages', () => {
    // XTS with whole blocks: each block depends only on its plaintext, its frame and its index in the
    // frame, so the reference encrypts the covering pages with OpenSSL and cuts out the range.
    const openssl = (frame: bigint, data: Uint8Array) => {
      const iv = Buffer.alloc(16);
      iv.writeBigUInt64LE(frame);
      const c = createCipheriv('aes-128-xts', key128, iv);
      return new Uint8Array(Buffer.concat([c.update(data), c.final()]));
    };
    const mc = memoryCipher(key128);
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: (1n << 40n) - 1n }),
        fc.integer({ min: 1, max: 700 }),
        (block, n) => {
          const pa = block * 16n;
          const data = drbg.generate(n * 16);
          const first = pa >> 12n;
          const start = Number(pa & 0xfffn);
          const pages = Math.ceil((start + data.length) / PAGE_BYTES);
          const plain = new Uint8Array(pages * PAGE_BYTES);
          plain.set(data, start);
          const want = new Uint8Array(plain.length);
          for (let i = 0; i < pages; i++) {
            want.set(
              openssl(first + BigInt(i), plain.subarray(i * PAGE_BYTES, (i + 1) * PAGE_BYTES)),
              i * PAGE_BYTES,
            );
          }
          const ours = mc.encrypt(pa, data);
          expect(ours).toEqual(want.subarray(start, start + data.length));
          expect(mc.decrypt(pa, ours)).toEqual(data);
        },
      ),
      { seed: 8, numRuns: 150 },
    );
  });

  it('gives different ciphertext for the same plaintext at two addresses, and in two blocks of a page', () => {
    const mc = memoryCipher(key128);
    const zeros = new Uint8Array(PAGE_BYTES);
    const a = mc.encrypt(0x1000n, zeros);
    const b = mc.encrypt(0x2000n, zeros);
    expect(blocksThatDiffer(a, b)).toHaveLength(PAGE_BYTES / 16);
    expect(a.subarray(0, 16)).not.toEqual(a.subarray(16, 32));
  });

  it('has no integrity: one flipped ciphertext bit garbles exactly its own 16-byte block', () => {
    const mc = memoryCipher(key128);
    const c = mc.encrypt(0x9000n, page);
    for (const bit of [0, 7, 8 * 100 + 3, 8 * 4095 + 7]) {
      const tampered = Uint8Array.from(c);
      tampered[bit >> 3] ^= 1 << (bit & 7);
      const p = mc.decrypt(0x9000n, tampered);
      const block = (bit >> 3) >> 4;
      expect(blocksThatDiffer(p, page)).toEqual([block]);
      // "Garbled", not a one-bit change: about half of the block's 128 bits differ.
      let flipped = 0;
      for (let i = block * 16; i < block * 16 + 16; i++) flipped += popcount(p[i] ^ page[i]);
      expect(flipped).toBeGreaterThan(24);
    }
  });

  it('decrypting at the wrong address or with the wrong key gives garbage, not the plaintext', () => {
    const c = memoryCipher(key128).encrypt(0x3000n, page);
    expect(blocksThatDiffer(memoryCipher(key128).decrypt(0x4000n, c), page)).toHaveLength(256);
    expect(blocksThatDiffer(memoryCipher(key256.subarray(0, 32)).decrypt(0x3000n, c), page)).toHaveLength(
      256,
    );
  });

  it('refuses bad keys, unaligned addresses and partial blocks with a reason', () => {
    expect(() => memoryCipher(new Uint8Array(16))).toThrow(/32 or 64 bytes/);
    expect(() => memoryCipher(new Uint8Array(32))).toThrow(/must differ/);
    const mc = memoryCipher(key128);
    expect(() => mc.encrypt(0x1008n, page)).toThrow(/not 16-byte aligned/);
    expect(() => mc.encrypt(0x1000n, page.subarray(0, 20))).toThrow(/not a multiple of 16/);
    expect(() => mc.encrypt(-16n, page)).toThrow(/64-bit physical address/);
  });
});

function popcount(x: number): number {
  let n = 0;
  for (let v = x; v; v &= v - 1) n++;
  return n;
}
