import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../../src/core/crypto/bytes';
import { MrEnclaveBuilder, mrSigner, SECINFO_FLAGS, secinfo } from '../../../src/core/measure/sgx';

const page = Uint8Array.from({ length: 4096 }, (_, i) => (i * 7 + 3) & 0xff);
const { R, W, PT_REG, PT_TCS } = SECINFO_FLAGS;

function tinyEnclave(code = page): MrEnclaveBuilder {
  return new MrEnclaveBuilder(1, 0x2000n)
    .addPage(0n, code, secinfo(R | W | PT_REG))
    .addPage(0x1000n, new Uint8Array(4096), secinfo(PT_TCS));
}

describe('MRENCLAVE', () => {
  it('matches an independent Python hashlib computation of the same ECREATE/EADD/EEXTEND records', () => {
    // python3: sha256 over ECREATE(ssa=1, size=0x2000), EADD(0, flags 0x203) + 16 EEXTENDs of the page,
    // EADD(0x1000, flags 0x100) + 16 EEXTENDs of zeros; the record layout of SDM Vol. 3D / enarx sgx hasher.rs.
    expect(toHex(tinyEnclave().finish())).toBe(
      'e6058908b0eeb20c2d8f22ea9fbaff465111a79bfd06fb6c61727bf0562144a8',
    );
  });

  it('records the 64-byte records in order', () => {
    const b = tinyEnclave();
    const ops = b.records.map((r) => r.operation);
    expect(ops.length).toBe(1 + 2 * 17);
    expect(ops.slice(0, 3)).toEqual(['ECREATE', 'EADD', 'EEXTEND']);
    const ecreate = b.records[0].record;
    expect(new TextDecoder().decode(ecreate.subarray(0, 8))).toBe('ECREATE\0');
    expect(toHex(ecreate.subarray(8, 20))).toBe('01000000' + '0020000000000000');
    expect(toHex(b.records[1].record.subarray(16, 24))).toBe('0302000000000000');
  });

  it('laws: contents, permissions, offsets and order all change MRENCLAVE; unmeasured contents do not', () => {
    const base = toHex(tinyEnclave().finish());
    const flipped = Uint8Array.from(page);
    flipped[0] ^= 1;
    expect(toHex(tinyEnclave(flipped).finish())).not.toBe(base);
    const rwx = new MrEnclaveBuilder(1, 0x2000n)
      .addPage(0n, page, secinfo(R | W | SECINFO_FLAGS.X | PT_REG))
      .addPage(0x1000n, new Uint8Array(4096), secinfo(PT_TCS));
    expect(toHex(rwx.finish())).not.toBe(base);
    const swapped = new MrEnclaveBuilder(1, 0x2000n)
      .addPage(0x1000n, new Uint8Array(4096), secinfo(PT_TCS))
      .addPage(0n, page, secinfo(R | W | PT_REG));
    expect(toHex(swapped.finish())).not.toBe(base);
    const unmeasured = (p: Uint8Array) =>
      toHex(new MrEnclaveBuilder(1, 0x1000n).addPage(0n, p, secinfo(R | PT_REG), false).finish());
    expect(unmeasured(page)).toBe(unmeasured(flipped));
    expect(() => new MrEnclaveBuilder(1, 0x1000n).eadd(0x10n, secinfo(R))).toThrow(/page aligned/);
  });
});

describe('MRSIGNER', () => {
  it('is SHA-256 of the 384-byte little-endian modulus', () => {
    const modulus = Uint8Array.from({ length: 384 }, (_, i) => i & 0xff);
    expect(toHex(mrSigner(modulus))).toBe(createHash('sha256').update(modulus).digest('hex'));
    expect(() => mrSigner(new Uint8Array(256))).toThrow(/384-byte/);
  });
});
