import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fromBase64, fromHex, toBase64, toHex } from '../../../src/core/crypto/bytes';
import {
  SevLaunchDigest,
  sevLaunchMeasurement,
  sevMeasuredBytes,
  splitLaunchMeasure,
} from '../../../src/core/measure/sev-measurement';

describe('SEV LAUNCH_MEASURE', () => {
  it('reproduces the published sevctl known answer', () => {
    // virtee/sevctl tests/measurementbuild.rs, "manually passed in --launch-digest": API 0x01.40, build 40,
    // policy 0x03, nonce and launch digest in base64, TIK = tests/data/measurement/tik1.bin (16 bytes).
    const mac = sevLaunchMeasurement(fromHex('3569cf61a32a602b87185ac6e0f55913'), {
      apiMajor: 0x01,
      apiMinor: 40,
      build: 40,
      policy: 0x03,
      launchDigest: fromBase64('xkvRAfyaSizgonxAjZIAkR8TmolUabBKQKb6KJCDDSM='),
      mnonce: fromBase64('wxP6tRHCFrFQWxsuqZA8QA=='),
    });
    expect(toBase64(mac)).toBe('lswbxWxI9gckya16JQvdFtpYmNO4b+3inAPpqsgoBI4=');
  });

  it('lays out 0x04 ‖ API ‖ BUILD ‖ POLICY LE ‖ LD ‖ MNONCE and HMACs it with the TIK', () => {
    const input = {
      apiMajor: 1,
      apiMinor: 55,
      build: 21,
      policy: 0x01020305,
      launchDigest: new Uint8Array(32).fill(7),
      mnonce: new Uint8Array(16).fill(9),
    };
    const bytes = sevMeasuredBytes(input);
    expect(toHex(bytes.subarray(0, 8))).toBe('0401371505030201');
    expect(bytes.length).toBe(56);
    const tik = new Uint8Array(16).fill(0x42);
    expect(toHex(sevLaunchMeasurement(tik, input))).toBe(
      createHmac('sha256', tik).update(bytes).digest('hex'),
    );
    expect(() => sevLaunchMeasurement(new Uint8Array(32), input)).toThrow(/16 bytes/);
    expect(() => sevMeasuredBytes({ ...input, apiMinor: 256 })).toThrow(/not a byte/);
  });

  it('hashes LAUNCH_UPDATE_DATA and VMSAs into one SHA-256 stream, in order', () => {
    const firmware = new Uint8Array(8192).fill(1);
    const hashes = new Uint8Array(4096).fill(2);
    const vmsa = new Uint8Array(4096).fill(3);
    const ld = new SevLaunchDigest()
      .updateData(firmware, 'OVMF')
      .updateData(hashes, 'kernel hashes')
      .updateVmsa(vmsa, 'vCPU 0');
    const expected = createHash('sha256').update(firmware).update(hashes).update(vmsa).digest('hex');
    expect(toHex(ld.finish())).toBe(expected);
    expect(ld.updates.map((u) => [u.kind, u.offset, u.length, u.label])).toEqual([
      ['data', 0, 8192, 'OVMF'],
      ['data', 8192, 4096, 'kernel hashes'],
      ['vmsa', 12288, 4096, 'vCPU 0'],
    ]);
    expect(() => ld.updateData(firmware)).toThrow(/final/);
    expect(() => new SevLaunchDigest().updateVmsa(new Uint8Array(100))).toThrow(/4 KiB/);
  });

  it('splits the 48-byte LAUNCH_MEASURE blob', () => {
    const blob = Uint8Array.from({ length: 48 }, (_, i) => i);
    const { measurement, mnonce } = splitLaunchMeasure(blob);
    expect(measurement.length).toBe(32);
    expect(mnonce[0]).toBe(32);
  });
});
