import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { toHex, utf8 } from '../../../src/core/crypto/bytes';
import { nitroPcr, nitroPcrs } from '../../../src/core/measure/nitro';

const hex = (v: Uint8Array | undefined) => (v ? toHex(v) : 'missing');
const sha384 = (...parts: Uint8Array[]) => {
  const h = createHash('sha384');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};

describe('Nitro Enclaves PCRs', () => {
  const image = {
    kernel: utf8('kernel-bytes'),
    cmdline: 'console=ttyS0',
    ramdisks: [utf8('bootstrap'), utf8('app')],
  };

  it('extends SHA-384 of the sections once from 48 zero bytes (Python hashlib values)', () => {
    const { pcrs, measurements } = nitroPcrs(image);
    expect(hex(pcrs[0])).toBe(
      '1ef3f541354de0c5d6205c892b6a6866c4953efcf60a57ac0a125ef7209a0ac60e408759006697813d164f678f5aed73',
    );
    expect(hex(pcrs[1])).toBe(
      '29c9cee12506f800f2d08795e2babf0759e19acc286892ae1540855b1b4e66f6814587c6cb6dd41c9e3339f6fe5d1f11',
    );
    expect(hex(pcrs[2])).toBe(
      'b76036a6963404c7fe1249127a5c2fc684090bd30f0386d9b643e2e11e203f2fb62d50ea1af96ad3bc6ba974c3b1c79a',
    );
    expect(pcrs[8]).toBeUndefined();
    expect(measurements.map((m) => [m.pcr, m.parts.map((p) => p.name)])).toEqual([
      [0, ['kernel', 'cmdline', 'ramdisk 0', 'ramdisk 1']],
      [1, ['kernel', 'cmdline', 'ramdisk 0']],
      [2, ['ramdisk 1']],
    ]);
  });

  it('PCR8 hashes the signing certificate; the empty measurement is the extend of SHA-384("")', () => {
    const cert = Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x01);
    const { pcrs } = nitroPcrs({ ...image, signingCertificate: cert });
    expect(hex(pcrs[8])).toBe(toHex(sha384(new Uint8Array(48), sha384(cert))));
    expect(toHex(nitroPcr([]).value)).toBe(
      '21b9efbc184807662e966d34f390821309eeac6802309798826296bf3e8bec7c10edb30948c90ba67310f7b964fc500a',
    );
  });

  it('only the application changes PCR2, the bootstrap changes PCR1 but not PCR2', () => {
    const a = nitroPcrs(image).pcrs;
    const b = nitroPcrs({ ...image, ramdisks: [image.ramdisks[0], utf8('app v2')] }).pcrs;
    const c = nitroPcrs({ ...image, ramdisks: [utf8('bootstrap v2'), image.ramdisks[1]] }).pcrs;
    expect(hex(b[1])).toBe(hex(a[1]));
    expect(hex(b[2])).not.toBe(hex(a[2]));
    expect(hex(c[1])).not.toBe(hex(a[1]));
    expect(hex(c[2])).toBe(hex(a[2]));
    expect(hex(c[0])).not.toBe(hex(a[0]));
  });
});
