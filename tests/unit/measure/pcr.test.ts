import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../../src/core/crypto/bytes';
import { PcrBank, pcrResetValue } from '../../../src/core/measure/pcr';

describe('PCR banks', () => {
  it('reset values follow the PC Client profile: zeros, 0xFF for PCR 17–22, locality in PCR 0', () => {
    for (let i = 0; i < 24; i++) {
      const v = pcrResetValue('sha256', i);
      expect(v.length).toBe(32);
      expect(v.every((b) => b === (i >= 17 && i <= 22 ? 0xff : 0))).toBe(true);
    }
    expect(toHex(pcrResetValue('sha384', 0, 4))).toBe(`${'00'.repeat(47)}04`);
    expect(toHex(pcrResetValue('sha1', 0, 3))).toBe(`${'00'.repeat(19)}03`);
    expect(() => pcrResetValue('sha256', 24)).toThrow(RangeError);
    expect(() => pcrResetValue('sha256', 0, 5)).toThrow(/locality/);
  });

  it('extend is H(PCR ‖ digest), checked against node:crypto', () => {
    const bank = new PcrBank('sha256');
    const d = createHash('sha256').update('measured').digest();
    const expected = createHash('sha256').update(Buffer.alloc(32)).update(d).digest('hex');
    expect(toHex(bank.extend(10, d))).toBe(expected);
    expect(toHex(bank.read(10))).toBe(expected);
  });

  it('records every extend in order with before and after, so the chain can be drawn', () => {
    const bank = new PcrBank('sha384');
    const a = new Uint8Array(48).fill(1);
    const b = new Uint8Array(48).fill(2);
    bank.extend(4, a, { label: 'shim' });
    bank.extend(4, b, { event: 7, label: 'grub' });
    bank.extend(9, a);
    expect(bank.history.map((h) => [h.index, h.source?.label])).toEqual([
      [4, 'shim'],
      [4, 'grub'],
      [9, undefined],
    ]);
    expect(toHex(bank.history[1].before)).toBe(toHex(bank.history[0].after));
    expect(toHex(bank.history[1].after)).toBe(toHex(bank.read(4)));
    expect(bank.extendedIndices()).toEqual([4, 9]);
  });

  it('StartupLocality sets PCR 0, only before PCR 0 is extended', () => {
    const bank = new PcrBank('sha256');
    bank.setStartupLocality(3);
    expect(bank.read(0)[31]).toBe(3);
    bank.extend(0, new Uint8Array(32));
    expect(() => bank.setStartupLocality(0)).toThrow(/already extended/);
  });

  it('refuses digests of the wrong size and PCRs that do not exist', () => {
    const bank = new PcrBank('sha256');
    expect(() => bank.extend(0, new Uint8Array(20))).toThrow(/32-byte digests, got 20/);
    expect(() => bank.extend(24, new Uint8Array(32))).toThrow(/PCR 24 does not exist/);
  });

  it('laws: order matters, and one changed bit changes the value', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.nat(255),
        (a, b, bit) => {
          fc.pre(toHex(a) !== toHex(b));
          const ab = new PcrBank('sha256');
          ab.extend(1, a);
          ab.extend(1, b);
          const ba = new PcrBank('sha256');
          ba.extend(1, b);
          ba.extend(1, a);
          expect(toHex(ab.read(1))).not.toBe(toHex(ba.read(1)));
          const flipped = Uint8Array.from(a);
          flipped[bit >> 3] ^= 1 << (bit & 7);
          const one = new PcrBank('sha256');
          one.extend(1, a);
          const other = new PcrBank('sha256');
          other.extend(1, flipped);
          expect(toHex(one.read(1))).not.toBe(toHex(other.read(1)));
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });
});
