import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../../src/core/crypto/bytes';
import { measuredRealmParams, RealmMeasurements } from '../../../src/core/measure/cca';

const granule = Uint8Array.from({ length: 4096 }, (_, i) => i & 0xff);
const sha = (alg: string, ...parts: Uint8Array[]) => {
  const h = createHash(alg);
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};

describe('Arm CCA realm measurements (simplified descriptor encoding)', () => {
  it('starts the RIM as the hash of the measured realm parameters', () => {
    const params = measuredRealmParams({ hashAlgo: 'sha256', s2sz: 40, sveVl: 2 });
    expect(params.length).toBe(4096);
    expect([params[0x08], params[0x10], params[0x30]]).toEqual([40, 2, 0]);
    const realm = new RealmMeasurements({ hashAlgo: 'sha256', s2sz: 40, sveVl: 2 });
    expect(toHex(realm.rim)).toBe(toHex(sha('sha256', params)));
    expect(realm.rim.length).toBe(32);
    expect(new RealmMeasurements({ hashAlgo: 'sha512' }).rim.length).toBe(64);
  });

  it('folds each DATA_CREATE descriptor (0x100 bytes: type, len, RIM, IPA, flags, H(granule)) into the RIM', () => {
    const realm = new RealmMeasurements({ hashAlgo: 'sha256' });
    const rim0 = realm.rim;
    realm.dataCreate(0x80000000n, granule);
    const step = realm.rimUpdates[1];
    expect(step.kind).toBe('data-create');
    if (step.kind !== 'data-create') return;
    const d = step.descriptor;
    expect(d.length).toBe(0x100);
    expect(d[0]).toBe(0);
    expect(toHex(d.subarray(0x08, 0x10))).toBe('0001000000000000');
    expect(toHex(d.subarray(0x10, 0x30))).toBe(toHex(rim0));
    expect(toHex(d.subarray(0x50, 0x58))).toBe('0000008000000000');
    expect(toHex(d.subarray(0x60, 0x80))).toBe(toHex(sha('sha256', granule)));
    expect(toHex(realm.rim)).toBe(toHex(sha('sha256', d)));
  });

  it('laws: order, contents and REC entry points change the RIM; unmeasured data only by place', () => {
    const build = (steps: (r: RealmMeasurements) => void) => {
      const r = new RealmMeasurements({ hashAlgo: 'sha256' });
      steps(r);
      return toHex(r.rim);
    };
    const other = Uint8Array.from(granule);
    other[7] ^= 1;
    const a = build((r) => (r.dataCreate(0x1000n, granule), r.recCreate(0x80000000n, [1n])));
    expect(build((r) => (r.recCreate(0x80000000n, [1n]), r.dataCreate(0x1000n, granule)))).not.toBe(a);
    expect(build((r) => (r.dataCreate(0x1000n, other), r.recCreate(0x80000000n, [1n])))).not.toBe(a);
    expect(build((r) => (r.dataCreate(0x1000n, granule), r.recCreate(0x80001000n, [1n])))).not.toBe(a);
    expect(build((r) => r.dataCreate(0x1000n))).toBe(build((r) => r.dataCreate(0x1000n)));
    expect(build((r) => r.dataCreate(0x1000n))).not.toBe(build((r) => r.dataCreate(0x2000n)));
    expect(build((r) => r.initRipas(0n, 0x40000000n))).not.toBe(build((r) => r.initRipas(0n, 0x80000000n)));
  });

  it('extends REMs at run time, and freezes the RIM once active', () => {
    const realm = new RealmMeasurements({ hashAlgo: 'sha512' });
    realm.activate();
    expect(() => realm.dataCreate(0n, granule)).toThrow(/active/);
    const data = new Uint8Array(64).fill(5);
    realm.extendRem(2, data);
    expect(toHex(realm.rem(2))).toBe(toHex(sha('sha512', new Uint8Array(64), data)));
    expect(toHex(realm.rem(0))).toBe('00'.repeat(64));
    expect(realm.remExtends.map((e) => e.index)).toEqual([2]);
    expect(() => realm.extendRem(4, data)).toThrow(/REM4/);
    expect(() => realm.extendRem(0, new Uint8Array(65))).toThrow(/at most 64/);
  });
});
