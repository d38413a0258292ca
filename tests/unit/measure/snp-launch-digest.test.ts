import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../../src/core/crypto/bytes';
import {
  encodePageInfo,
  SNP_VMSA_GPA,
  SnpLaunchDigest,
  snpLaunchDigest,
  type SnpPage,
} from '../../../src/core/measure/snp-launch-digest';

const page = Uint8Array.from({ length: 4096 }, (_, i) => (i * 7 + 3) & 0xff);
const vmsa = Uint8Array.from({ length: 4096 }, (_, i) => (i * 13 + 1) & 0xff);

/** virtee/sev-snp-measure's GCTX._update, transliterated, on node:crypto: an independent oracle. */
function oracle(pages: SnpPage[]): string {
  let ld = Buffer.alloc(48);
  const types = { normal: 1, vmsa: 2, zero: 3, unmeasured: 4, secrets: 5, cpuid: 6 };
  for (const p of pages) {
    const contents = p.contents ? createHash('sha384').update(p.contents).digest() : Buffer.alloc(48);
    const tail = Buffer.alloc(16);
    tail.writeUInt16LE(0x70, 0);
    tail[2] = types[p.type];
    tail.writeBigUInt64LE(p.type === 'vmsa' ? 0xfffffffff000n : (p.gpa ?? 0n), 8);
    ld = createHash('sha384')
      .update(Buffer.concat([ld, contents, tail]))
      .digest();
  }
  return ld.toString('hex');
}

const PAGES: SnpPage[] = [
  { type: 'normal', gpa: 0xffc00000n, contents: page },
  { type: 'zero', gpa: 0x1000n },
  { type: 'unmeasured', gpa: 0x2000n },
  { type: 'secrets', gpa: 0x3000n },
  { type: 'cpuid', gpa: 0x4000n },
  { type: 'vmsa', contents: vmsa },
];

describe('SNP launch digest', () => {
  it('matches values computed with sev-snp-measure’s algorithm in Python hashlib', () => {
    // Computed with a Python hashlib transliteration of virtee/sev-snp-measure sevsnpmeasure/gctx.py
    // (GCTX._update) for these pages: after the normal page, and after all six.
    const ld = new SnpLaunchDigest();
    ld.update(PAGES[0]);
    expect(toHex(ld.digest)).toBe(
      '36b14e59333edd4e210a19644031aa5e36ac508963e6c3e00671c4a9b1357ceb94fda1477243edf43e4240e40b2f1944',
    );
    for (const p of PAGES.slice(1)) ld.update(p);
    expect(toHex(ld.digest)).toBe(
      'b7e0063060ef36194453242290184565966f717641ba21d1c20b47548c91699e4237792eb1c1e8df9d406a0a3dff4e6c',
    );
  });

  it('lays out PAGE_INFO as 0x70 bytes with the VMSA at GPA 0xFFFFFFFFF000', () => {
    const info = encodePageInfo(new Uint8Array(48), new Uint8Array(48).fill(0xaa), {
      type: 'vmsa',
      gpa: 0x5000n,
    });
    expect(info.length).toBe(0x70);
    expect(toHex(info.subarray(0x60))).toBe('7000' + '02' + '00' + '00000000' + '00f0ffffffff0000');
    const { updates } = snpLaunchDigest(PAGES);
    expect(updates.map((u) => u.type)).toEqual(['normal', 'zero', 'unmeasured', 'secrets', 'cpuid', 'vmsa']);
    expect(updates[5].gpa).toBe(SNP_VMSA_GPA);
    expect(toHex(updates[1].before)).toBe(toHex(updates[0].after));
  });

  it('continues from a given digest (e.g. a precomputed OVMF hash)', () => {
    const start = snpLaunchDigest(PAGES.slice(0, 2)).launchDigest;
    expect(toHex(snpLaunchDigest(PAGES.slice(2), start).launchDigest)).toBe(
      toHex(snpLaunchDigest(PAGES).launchDigest),
    );
  });

  it('agrees with the oracle for random launches; order and every byte matter', () => {
    const pageArb = fc.oneof(
      fc.record({
        type: fc.constant('normal' as const),
        gpa: fc.nat(0xfffff).map((n) => BigInt(n) * 4096n),
        contents: fc.uint8Array({ minLength: 4096, maxLength: 4096 }),
      }),
      fc.record({
        type: fc.constantFrom('zero' as const, 'unmeasured' as const, 'secrets' as const, 'cpuid' as const),
        gpa: fc.nat(0xfffff).map((n) => BigInt(n) * 4096n),
      }),
    );
    fc.assert(
      fc.property(fc.array(pageArb, { minLength: 2, maxLength: 6 }), (pages) => {
        const ld = toHex(snpLaunchDigest(pages).launchDigest);
        expect(ld).toBe(oracle(pages));
        const swapped = [pages[1], pages[0], ...pages.slice(2)];
        if (
          JSON.stringify(pages[0], (_, v) => (typeof v === 'bigint' ? String(v) : v)) !==
          JSON.stringify(pages[1], (_, v) => (typeof v === 'bigint' ? String(v) : v))
        ) {
          expect(toHex(snpLaunchDigest(swapped).launchDigest)).not.toBe(ld);
        }
      }),
      { seed: 42, numRuns: 50 },
    );
    const flipped = Uint8Array.from(page);
    flipped[100] ^= 0x80;
    expect(toHex(snpLaunchDigest([{ type: 'normal', gpa: 0n, contents: flipped }]).launchDigest)).not.toBe(
      toHex(snpLaunchDigest([{ type: 'normal', gpa: 0n, contents: page }]).launchDigest),
    );
  });

  it('refuses pages that cannot be launched', () => {
    const ld = new SnpLaunchDigest();
    expect(() => ld.update({ type: 'normal', gpa: 0n })).toThrow(/need contents/);
    expect(() => ld.update({ type: 'zero', gpa: 0n, contents: page })).toThrow(/take no contents/);
    expect(() => ld.update({ type: 'normal', gpa: 0x10n, contents: page })).toThrow(/page-aligned/);
    expect(() => ld.update({ type: 'normal', gpa: 0n, contents: page.subarray(1) })).toThrow(/4096 bytes/);
  });
});
