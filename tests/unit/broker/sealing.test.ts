/**
 * Sealing: identical fields unseal; changing exactly one bound field (each in turn) does not; fields
 * that are not bound do not matter; SVN/TCB rollback is refused; TPM PolicyPCR matches a published
 * known answer.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { concatBytes, fromHex, toHex, utf8 } from '../../../src/core/crypto/bytes';
import { seededDrbg } from '../../../src/core/crypto/drbg';
import { digestSize, type HashAlg } from '../../../src/core/crypto/hash';
import {
  boundGuestFields,
  encodeSnpKeyRequest,
  GUEST_FIELD,
  marshalPcrSelection,
  pcrPolicyDigest,
  policyPcr,
  sgxSeal,
  sgxSealKey,
  sgxUnseal,
  snpDerivedKey,
  snpSeal,
  snpUnseal,
  TPM_RC_POLICY_FAIL,
  tpmSeal,
  tpmUnseal,
  type GuestField,
  type PcrSelection,
  type SgxCpu,
  type SgxEnclave,
  type SnpChip,
  type SnpGuest,
  type SnpKeyRequest,
  type UnsealOutcome,
} from '../../../src/core/broker/sealing';

const SECRET = utf8('disk encryption key for /var/lib/db');
const fill = (n: number, v: number) => new Uint8Array(n).fill(v);

function opened(o: UnsealOutcome): Uint8Array {
  if (!o.ok) throw new Error(`${o.code}: ${o.reason}`);
  return o.secret;
}

describe('TPM 2.0 PolicyPCR', () => {
  // tpm2-software/tpm2-tools, test/integration/tests/createpolicy.sh: PCR 0 = 0…03 in the SHA-1 or the
  // SHA-256 bank, `tpm2 createpolicy --policy-pcr -l <bank>:0` with a SHA-256 policy session.
  const KAT = {
    sha1: 'f28230c080bbe417141199e36d18978228d8948fc10a6a24921b9eba6bb1d988',
    sha256: '33e36e786c878632494217c3f490e74ca0a3a122a8a4f3c5302500df3b32b3b8',
  } as const;

  for (const bank of ['sha1', 'sha256'] as const) {
    it(`matches tpm2-tools' known answer for ${bank}:0 = 0…03`, () => {
      const pcr0 = new Uint8Array(digestSize(bank));
      pcr0[pcr0.length - 1] = 0x03;
      const selection: PcrSelection[] = [{ hash: bank, pcrs: [0] }];
      expect(toHex(pcrPolicyDigest(selection, () => pcr0))).toBe(KAT[bank]);
      expect(toHex(policyPcr(selection, [pcr0]))).toBe(KAT[bank]);
    });
  }

  it('marshals TPML_PCR_SELECTION as the TPM does and chains from a previous digest', () => {
    expect(toHex(marshalPcrSelection([{ hash: 'sha256', pcrs: [0, 7, 8, 23] }]))).toBe(
      '00000001000b03810180',
    );
    expect(
      toHex(
        marshalPcrSelection([
          { hash: 'sha1', pcrs: [] },
          { hash: 'sha384', pcrs: [4] },
        ]),
      ),
    ).toBe('00000002' + '000403000000' + '000c03100000');
    expect(() => marshalPcrSelection([{ hash: 'sha256', pcrs: [24] }])).toThrow(RangeError);
    // An independent computation of the documented formula, for two banks and a non-zero start.
    const sel: PcrSelection[] = [
      { hash: 'sha256', pcrs: [7, 0] },
      { hash: 'sha384', pcrs: [2] },
    ];
    const values: Record<string, Uint8Array> = {
      'sha256:0': fill(32, 1),
      'sha256:7': fill(32, 7),
      'sha384:2': fill(48, 2),
    };
    const read = (h: HashAlg, i: number) => values[`${h}:${i}`];
    const prev = fill(32, 0xaa);
    const pcrDigest = createHash('sha256')
      .update(concatBytes(fill(32, 1), fill(32, 7), fill(48, 2)))
      .digest();
    const expected = createHash('sha256')
      .update(concatBytes(prev, fromHex('0000017f'), fromHex('00000002000b03810000000c03040000'), pcrDigest))
      .digest('hex');
    expect(toHex(marshalPcrSelection(sel))).toBe('00000002000b03810000000c03040000');
    expect(toHex(policyPcr(sel, [fill(32, 1), fill(32, 7), fill(48, 2)], 'sha256', prev))).toBe(expected);
    expect(toHex(pcrPolicyDigest(sel, read))).toBe(
      toHex(policyPcr(sel, [fill(32, 1), fill(32, 7), fill(48, 2)])),
    );
  });

  it('unseals with the same PCRs; a changed selected PCR → TPM_RC_POLICY_FAIL; unselected PCRs do not matter', () => {
    const pcrs = new Map<number, Uint8Array>(Array.from({ length: 24 }, (_, i) => [i, fill(32, i)]));
    const tpm = {
      storageSeed: fill(32, 0x11),
      readPcr: (_: HashAlg, i: number) => pcrs.get(i) ?? fill(32, 0),
    };
    const sel: PcrSelection[] = [{ hash: 'sha256', pcrs: [0, 4, 7] }];
    const blob = tpmSeal(tpm, SECRET, sel, pcrPolicyDigest(sel, tpm.readPcr), seededDrbg('tpm'));
    expect(opened(tpmUnseal(tpm, blob))).toEqual(SECRET);

    pcrs.set(9, fill(32, 0x99)); // not selected
    expect(opened(tpmUnseal(tpm, blob))).toEqual(SECRET);

    for (const i of [0, 4, 7]) {
      const saved = pcrs.get(i) ?? fill(32, 0);
      pcrs.set(
        i,
        createHash('sha256')
          .update(concatBytes(saved, fill(32, 0xee)))
          .digest(),
      ); // one extend
      expect(tpmUnseal(tpm, blob)).toMatchObject({
        ok: false,
        code: 'TPM_RC_POLICY_FAIL',
        rc: TPM_RC_POLICY_FAIL,
      });
      pcrs.set(i, saved);
    }
    expect(TPM_RC_POLICY_FAIL).toBe(0x99d);

    const otherTpm = { ...tpm, storageSeed: fill(32, 0x22) };
    expect(tpmUnseal(otherTpm, blob)).toMatchObject({ ok: false, code: 'TPM_RC_INTEGRITY' });
    const widened = { ...blob, pcrSelection: [{ hash: 'sha256' as const, pcrs: [0] }] };
    expect(tpmUnseal(tpm, widened)).toMatchObject({ ok: false, code: 'TPM_RC_POLICY_FAIL' });
  });
});

describe('SEV-SNP MSG_KEY_REQ', () => {
  const chip: SnpChip = { chipSecret: fill(64, 0xc1), committedTcb: 0x1b_00_00_00_00_00_08_04n };
  const guest: SnpGuest = {
    policy: 0x30000n,
    imageId: fill(16, 1),
    familyId: fill(16, 2),
    measurement: fill(48, 3),
    guestSvn: 2,
    vmpl: 0,
  };
  const all: SnpKeyRequest = {
    rootKey: 'vcek',
    guestFieldSelect: 0x3f,
    vmpl: 0,
    guestSvn: 2,
    tcbVersion: chip.committedTcb,
  };
  const drbg = () => seededDrbg('snp-seal');
  const seal = (req: SnpKeyRequest, g = guest, c = chip) => {
    const s = snpSeal(c, g, req, SECRET, drbg());
    if (!s.ok) throw new Error(s.reason);
    return s.blob;
  };
  const CHANGED: Record<'policy' | 'imageId' | 'familyId' | 'measurement', Partial<SnpGuest>> = {
    policy: { policy: 0x30000n | (1n << 19n) }, // DEBUG
    imageId: { imageId: fill(16, 9) },
    familyId: { familyId: fill(16, 9) },
    measurement: { measurement: Uint8Array.from(guest.measurement, (b, i) => (i === 47 ? b ^ 1 : b)) },
  };

  it('lays out MSG_KEY_REQ as the ABI does (0x20 bytes, little-endian)', () => {
    const b = encodeSnpKeyRequest({ ...all, rootKey: 'vmrk', vmpl: 1, guestSvn: 0x0a0b });
    expect(b).toHaveLength(0x20);
    expect(toHex(b)).toBe(
      '01000000' + '00000000' + '3f00000000000000' + '01000000' + '0b0a0000' + '040800000000001b',
    );
    expect(boundGuestFields(0b101001)).toEqual(['policy', 'measurement', 'tcbVersion']);
  });

  it('unseals with identical fields and fails after changing exactly one bound field, each in turn', () => {
    const blob = seal(all);
    expect(opened(snpUnseal(chip, guest, blob))).toEqual(SECRET);
    for (const [field, change] of Object.entries(CHANGED)) {
      const r = snpUnseal(chip, { ...guest, ...change }, blob);
      expect(r, field).toMatchObject({ ok: false, code: 'KEY_MISMATCH' });
    }
    expect(snpUnseal({ ...chip, chipSecret: fill(64, 0xc2) }, guest, blob)).toMatchObject({
      ok: false,
      code: 'KEY_MISMATCH',
    });
    // Lowering the SVN or the committed TCB is a rollback: the firmware refuses before deriving.
    expect(snpUnseal(chip, { ...guest, guestSvn: 1 }, blob)).toMatchObject({
      ok: false,
      code: 'INVALID_PARAM',
      reason: expect.stringMatching(/GUEST_SVN 2 is above the launch SVN 1/),
    });
    expect(snpUnseal({ ...chip, committedTcb: 0x1b_00_00_00_00_00_07_04n }, guest, blob)).toMatchObject({
      ok: false,
      code: 'INVALID_PARAM',
      reason: expect.stringMatching(/COMMITTED_TCB/),
    });
    // A newer guest (higher launch SVN, newer committed TCB) still derives the old key: upgrades keep data.
    expect(
      opened(
        snpUnseal({ ...chip, committedTcb: 0x1c_00_00_00_00_00_09_04n }, { ...guest, guestSvn: 5 }, blob),
      ),
    ).toEqual(SECRET);
  });

  it('fields that are not selected do not matter', () => {
    for (const [field, bit] of Object.entries(GUEST_FIELD) as [GuestField, number][]) {
      const blob = seal({ ...all, guestFieldSelect: 0x3f & ~bit });
      const change: Partial<SnpGuest> = field in CHANGED ? CHANGED[field as keyof typeof CHANGED] : {};
      const c = field === 'tcbVersion' ? { ...chip, committedTcb: 0x1c_00_00_00_00_00_09_04n } : chip;
      const g = field === 'guestSvn' ? { ...guest, guestSvn: 7 } : { ...guest, ...change };
      expect(opened(snpUnseal(c, g, blob)), field).toEqual(SECRET);
    }
    const onlyMeasurement = seal({ ...all, guestFieldSelect: GUEST_FIELD.measurement });
    expect(
      opened(
        snpUnseal(
          chip,
          { ...guest, ...CHANGED.policy, ...CHANGED.imageId, ...CHANGED.familyId },
          onlyMeasurement,
        ),
      ),
    ).toEqual(SECRET);
    expect(snpUnseal(chip, { ...guest, ...CHANGED.measurement }, onlyMeasurement).ok).toBe(false);
  });

  it('VMPL: a less privileged layer cannot derive a more privileged one; each VMPL has its own key', () => {
    const blob = seal(all);
    expect(snpUnseal(chip, { ...guest, vmpl: 2 }, blob)).toMatchObject({
      ok: false,
      code: 'INVALID_PARAM',
      reason: expect.stringMatching(/VMPL 0 requested from VMPL 2/),
    });
    const k0 = snpDerivedKey(chip, guest, all);
    const k1 = snpDerivedKey(chip, guest, { ...all, vmpl: 1 });
    expect(k0.ok && k1.ok && toHex(k0.key) !== toHex(k1.key)).toBe(true);
    expect(snpDerivedKey(chip, guest, { ...all, guestFieldSelect: 1 << 6 })).toMatchObject({
      ok: false,
      code: 'INVALID_PARAM',
    });
  });

  it('editing the stored request to drop a binding does not help: the key and the AAD change', () => {
    const blob = seal(all);
    const stripped = { ...blob, request: { ...blob.request, guestFieldSelect: GUEST_FIELD.policy } };
    expect(snpUnseal(chip, { ...guest, ...CHANGED.measurement }, stripped)).toMatchObject({
      ok: false,
      code: 'KEY_MISMATCH',
    });
    expect(snpUnseal(chip, guest, stripped).ok).toBe(false);
  });

  it('VMRK: without a migration agent there is no VM root key; with one, data follows the VM to another chip', () => {
    expect(snpSeal(chip, guest, { ...all, rootKey: 'vmrk' }, SECRET, drbg())).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/migration agent/),
    });
    const migratable = { ...guest, vmrk: fill(32, 0x77) };
    const blob = seal({ ...all, rootKey: 'vmrk' }, migratable);
    const otherChip = { ...chip, chipSecret: fill(64, 0xc2) };
    expect(opened(snpUnseal(otherChip, migratable, blob))).toEqual(SECRET);
    expect(snpUnseal(otherChip, { ...migratable, vmrk: fill(32, 0x78) }, blob).ok).toBe(false);
  });
});

describe('SGX EGETKEY seal keys', () => {
  const cpu: SgxCpu = { sealFuseKey: fill(32, 0x5e), cpuSvn: 7 };
  const enclave: SgxEnclave = {
    mrenclave: fill(32, 0xe1),
    mrsigner: fill(32, 0x51),
    isvProdId: 3,
    isvSvn: 4,
    debug: false,
  };
  const seal = (policy: 'mrenclave' | 'mrsigner', e = enclave, c = cpu) => {
    const s = sgxSeal(c, e, policy, SECRET, seededDrbg('sgx-seal'));
    if (!s.ok) throw new Error(s.reason);
    return s.blob;
  };

  it('MRENCLAVE policy: only this exact enclave (and not a debug build of it) unseals', () => {
    const blob = seal('mrenclave');
    expect(blob.request.keyId).toHaveLength(32);
    expect(opened(sgxUnseal(cpu, enclave, blob))).toEqual(SECRET);
    for (const [what, e] of [
      ['mrenclave', { ...enclave, mrenclave: fill(32, 0xe2) }],
      ['isvProdId', { ...enclave, isvProdId: 4 }],
      ['debug', { ...enclave, debug: true }],
    ] as const) {
      expect(sgxUnseal(cpu, e, blob), what).toMatchObject({ ok: false, code: 'SGX_ERROR_MAC_MISMATCH' });
    }
    expect(opened(sgxUnseal(cpu, { ...enclave, mrsigner: fill(32, 0x52) }, blob))).toEqual(SECRET); // not bound
    expect(sgxUnseal({ ...cpu, sealFuseKey: fill(32, 0x5f) }, enclave, blob).ok).toBe(false); // another CPU
  });

  it('MRSIGNER policy: a newer build of the same signer and product unseals; another signer does not', () => {
    const blob = seal('mrsigner');
    const upgraded = { ...enclave, mrenclave: fill(32, 0xe9), isvSvn: 5 };
    expect(opened(sgxUnseal(cpu, upgraded, blob))).toEqual(SECRET);
    expect(sgxUnseal(cpu, { ...enclave, mrsigner: fill(32, 0x52) }, blob)).toMatchObject({
      ok: false,
      code: 'SGX_ERROR_MAC_MISMATCH',
    });
    expect(sgxUnseal(cpu, { ...enclave, isvProdId: 9 }, blob).ok).toBe(false);
    expect(sgxUnseal(cpu, { ...enclave, debug: true }, blob).ok).toBe(false);
  });

  it('refuses ISVSVN and CPUSVN rollback', () => {
    const blob = seal('mrsigner');
    expect(sgxUnseal(cpu, { ...enclave, isvSvn: 3 }, blob)).toMatchObject({
      ok: false,
      code: 'SGX_INVALID_ISVSVN',
    });
    expect(sgxUnseal({ ...cpu, cpuSvn: 6 }, enclave, blob)).toMatchObject({
      ok: false,
      code: 'SGX_INVALID_CPUSVN',
    });
    expect(opened(sgxUnseal({ ...cpu, cpuSvn: 8 }, enclave, blob))).toEqual(SECRET); // microcode update keeps data
    const k = sgxSealKey(cpu, enclave, { ...blob.request });
    expect(k.ok && k.key.length).toBe(16);
  });
});
