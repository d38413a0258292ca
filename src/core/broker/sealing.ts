/**
 * Sealing: data encrypted so that only the same (or an approved later) software on the same platform
 * can open it again — DOMAIN.md §f "Sealing and migration". Three mechanisms, one promise: a changed
 * measurement really cannot unseal.
 *
 * - SEV-SNP MSG_KEY_REQ: the guest asks the AMD-SP for a key derived from a root (the chip's VCEK
 *   secret, or the VM root key a migration agent supplies) mixed with the guest fields it selects.
 * - SGX EGETKEY(SEAL_KEY): a key derived from the CPU's seal fuses and MRENCLAVE or MRSIGNER.
 * - TPM 2.0 PolicyPCR: not a derived key but access control inside the TPM: the sealed object's
 *   authPolicy is a digest of the PCR values, and TPM2_Unseal refuses (TPM_RC_POLICY_FAIL) when the
 *   policy session, computed from the *current* PCRs, does not reach it.
 *
 * The SNP and SGX derivations are faithful models of WHAT each key is bound to (which fields, which
 * checks, which refusals), not of AMD's or Intel's bytes: the real KDFs run inside the AMD-SP and the
 * CPU with secrets that never leave them, so nobody outside can reproduce their output. We use
 * HKDF over a fixed encoding of exactly the selected fields. PolicyPCR, in contrast, is public and is
 * implemented byte for byte (TPM 2.0 Part 3, TPM2_PolicyPCR), with a known answer from tpm2-tools in
 * the tests.
 *
 * Sealed blobs keep their key request (or policy) in the clear, as real sealing formats do
 * (sgx_sealed_data_t, a TPM object's public area), and authenticate it as AES-GCM AAD: editing the
 * request to drop a binding changes the key and breaks the tag.
 */
import { AuthenticationError, aesGcmDecrypt, aesGcmEncrypt } from '../crypto/aes-gcm';
import { concatBytes, constantTimeEqual, utf8 } from '../crypto/bytes';
import type { HmacDrbg } from '../crypto/drbg';
import { digest, digestSize, type HashAlg } from '../crypto/hash';
import { hkdf } from '../crypto/hkdf';
import { Writer } from '../binary';

export type Refusal = { ok: false; code: string; reason: string };
export type KeyDerivation = { ok: true; key: Uint8Array } | Refusal;
export type SealOutcome<B> = { ok: true; blob: B } | Refusal;
export type UnsealOutcome = { ok: true; secret: Uint8Array } | Refusal;

const IV_BYTES = 12;

function refusal(code: string, reason: string): Refusal {
  return { ok: false, code, reason };
}

function checkBytes(b: Uint8Array, length: number, name: string): void {
  if (!(b instanceof Uint8Array) || b.length !== length) {
    throw new RangeError(
      `${name}: expected ${length} bytes, got ${b instanceof Uint8Array ? b.length : typeof b}`,
    );
  }
}

function encryptUnder(
  key: Uint8Array,
  aad: Uint8Array,
  secret: Uint8Array,
  drbg: HmacDrbg,
): { iv: Uint8Array; ciphertext: Uint8Array } {
  const iv = drbg.generate(IV_BYTES);
  return { iv, ciphertext: aesGcmEncrypt(key, iv, secret, aad) };
}

function decryptUnder(
  key: Uint8Array,
  aad: Uint8Array,
  iv: Uint8Array,
  ciphertext: Uint8Array,
): Uint8Array | undefined {
  try {
    return aesGcmDecrypt(key, iv, ciphertext, aad);
  } catch (e) {
    if (e instanceof AuthenticationError || e instanceof RangeError) return undefined;
    throw e;
  }
}

// ============================== SEV-SNP MSG_KEY_REQ ==============================

/** GUEST_FIELD_SELECT bits (SEV-SNP ABI, MSG_KEY_REQ); bit 6 LAUNCH_MIT_VECTOR is not modelled. */
export const GUEST_FIELD = {
  policy: 1 << 0,
  imageId: 1 << 1,
  familyId: 1 << 2,
  measurement: 1 << 3,
  guestSvn: 1 << 4,
  tcbVersion: 1 << 5,
} as const;
export type GuestField = keyof typeof GUEST_FIELD;
const ALL_GUEST_FIELDS = 0x3f;

/** The platform side: what the AMD-SP holds. */
export interface SnpChip {
  /** Stands in for the chip-unique secret the AMD-SP derives VCEKs from; never leaves the chip. */
  chipSecret: Uint8Array;
  /** COMMITTED_TCB: the TCB the firmware has committed to (anti-rollback floor for keys). */
  committedTcb: bigint;
}

/** The guest side: what the AMD-SP knows about the requesting guest from its launch. */
export interface SnpGuest {
  policy: bigint;
  imageId: Uint8Array; // 16
  familyId: Uint8Array; // 16
  measurement: Uint8Array; // 48
  /** GUEST_SVN from the ID block at launch. */
  guestSvn: number;
  /** VMPL the request comes from (0 most privileged … 3). */
  vmpl: number;
  /** VM root key, present only when a migration agent supplied one (POLICY.MIGRATE_MA). */
  vmrk?: Uint8Array;
}

/** MSG_KEY_REQ (0x20 bytes). */
export interface SnpKeyRequest {
  rootKey: 'vcek' | 'vmrk';
  /** GUEST_FIELD_SELECT bitmask, see GUEST_FIELD. */
  guestFieldSelect: number;
  /** VMPL whose key is derived; must be ≥ the requester's VMPL. */
  vmpl: number;
  /** SVN to mix in; must be ≤ the launch GUEST_SVN. */
  guestSvn: number;
  /** TCB_VERSION to mix in; every component must be ≤ COMMITTED_TCB's. */
  tcbVersion: bigint;
}

/**
 * The MSG_KEY_REQ layout (little-endian): ROOT_KEY_SELECT u32 @0x00 (bit 0: 0 VCEK, 1 VMRK),
 * reserved u32 @0x04, GUEST_FIELD_SELECT u64 @0x08, VMPL u32 @0x10, GUEST_SVN u32 @0x14,
 * TCB_VERSION u64 @0x18.
 */
export function encodeSnpKeyRequest(req: SnpKeyRequest): Uint8Array {
  return new Writer('le')
    .u32(req.rootKey === 'vmrk' ? 1 : 0)
    .u32(0)
    .u64(BigInt(req.guestFieldSelect))
    .u32(req.vmpl)
    .u32(req.guestSvn)
    .u64(req.tcbVersion)
    .finish();
}

/** Names of the fields a GUEST_FIELD_SELECT binds, for messages and views. */
export function boundGuestFields(guestFieldSelect: number): GuestField[] {
  return (Object.keys(GUEST_FIELD) as GuestField[]).filter((f) => guestFieldSelect & GUEST_FIELD[f]);
}

/** TCB_VERSION is a vector of SPLs, one per byte: rollback means any component above the floor. */
function tcbExceeds(requested: bigint, floor: bigint): number | undefined {
  for (let i = 0; i < 8; i++) {
    if (((requested >> BigInt(8 * i)) & 0xffn) > ((floor >> BigInt(8 * i)) & 0xffn)) return i;
  }
  return undefined;
}

function u32(n: number): Uint8Array {
  return new Writer('le').u32(n).finish();
}

function u64(n: bigint): Uint8Array {
  return new Writer('le').u64(n).finish();
}

/**
 * The AMD-SP's answer to MSG_KEY_REQ: the checks the firmware makes, then a 32-byte key from HKDF-SHA-384
 * over the root key, the request's own select mask and VMPL, and each selected field in bit order. The
 * real derivation is internal to the AMD-SP; this models which inputs it binds, not its bytes.
 */
export function snpDerivedKey(chip: SnpChip, guest: SnpGuest, req: SnpKeyRequest): KeyDerivation {
  if (
    !Number.isInteger(req.guestFieldSelect) ||
    req.guestFieldSelect < 0 ||
    req.guestFieldSelect & ~ALL_GUEST_FIELDS
  ) {
    return refusal(
      'INVALID_PARAM',
      `GUEST_FIELD_SELECT 0x${req.guestFieldSelect.toString(16)} sets bits this model does not define (0–5)`,
    );
  }
  if (!Number.isInteger(req.vmpl) || req.vmpl < 0 || req.vmpl > 3) {
    return refusal('INVALID_PARAM', `VMPL ${req.vmpl} is not 0–3`);
  }
  if (req.vmpl < guest.vmpl) {
    return refusal(
      'INVALID_PARAM',
      `key for VMPL ${req.vmpl} requested from VMPL ${guest.vmpl}: a less privileged layer cannot derive a more privileged layer's keys`,
    );
  }
  if (req.guestSvn > guest.guestSvn) {
    return refusal(
      'INVALID_PARAM',
      `GUEST_SVN ${req.guestSvn} is above the launch SVN ${guest.guestSvn}: an older guest cannot derive a newer version's keys`,
    );
  }
  const over = tcbExceeds(req.tcbVersion, chip.committedTcb);
  if (over !== undefined) {
    return refusal(
      'INVALID_PARAM',
      `TCB_VERSION 0x${req.tcbVersion.toString(16)} exceeds COMMITTED_TCB 0x${chip.committedTcb.toString(16)} in byte ${over}: firmware cannot derive keys of a TCB it has not committed to`,
    );
  }
  let root: Uint8Array;
  if (req.rootKey === 'vmrk') {
    if (!guest.vmrk) {
      return refusal(
        'INVALID_PARAM',
        'ROOT_KEY_SELECT = VMRK, but this guest has no VM root key (launched without a migration agent)',
      );
    }
    root = guest.vmrk;
  } else {
    root = chip.chipSecret;
  }
  checkBytes(guest.imageId, 16, 'imageId');
  checkBytes(guest.familyId, 16, 'familyId');
  checkBytes(guest.measurement, 48, 'measurement');
  const s = req.guestFieldSelect;
  const info = concatBytes(
    utf8(req.rootKey),
    u64(BigInt(s)),
    u32(req.vmpl), // always mixed: each VMPL has its own keys
    s & GUEST_FIELD.policy ? u64(guest.policy) : new Uint8Array(0),
    s & GUEST_FIELD.imageId ? guest.imageId : new Uint8Array(0),
    s & GUEST_FIELD.familyId ? guest.familyId : new Uint8Array(0),
    s & GUEST_FIELD.measurement ? guest.measurement : new Uint8Array(0),
    s & GUEST_FIELD.guestSvn ? u32(req.guestSvn) : new Uint8Array(0), // the requested SVN, not the launch one
    s & GUEST_FIELD.tcbVersion ? u64(req.tcbVersion) : new Uint8Array(0),
  );
  return { ok: true, key: hkdf('sha384', root, utf8('ccte/snp/msg-key-req/v1'), info, 32) };
}

export interface SnpSealedBlob {
  platform: 'snp';
  request: SnpKeyRequest;
  iv: Uint8Array;
  /** ciphertext ‖ tag */
  ciphertext: Uint8Array;
}

export function snpSeal(
  chip: SnpChip,
  guest: SnpGuest,
  request: SnpKeyRequest,
  secret: Uint8Array,
  drbg: HmacDrbg,
): SealOutcome<SnpSealedBlob> {
  const k = snpDerivedKey(chip, guest, request);
  if (!k.ok) return k;
  const { iv, ciphertext } = encryptUnder(k.key, encodeSnpKeyRequest(request), secret, drbg);
  return { ok: true, blob: { platform: 'snp', request: { ...request }, iv, ciphertext } };
}

export function snpUnseal(chip: SnpChip, guest: SnpGuest, blob: SnpSealedBlob): UnsealOutcome {
  const k = snpDerivedKey(chip, guest, blob.request);
  if (!k.ok) return k;
  const secret = decryptUnder(k.key, encodeSnpKeyRequest(blob.request), blob.iv, blob.ciphertext);
  if (!secret) {
    const bound = ['vmpl', ...boundGuestFields(blob.request.guestFieldSelect)].join(', ');
    return refusal(
      'KEY_MISMATCH',
      `the key this guest derives does not open the blob: one of the bound inputs (${blob.request.rootKey.toUpperCase()} root, ${bound}) differs from when it was sealed, or the blob was altered`,
    );
  }
  return { ok: true, secret };
}

// ============================== SGX EGETKEY ==============================

/** KEYPOLICY bit 0 MRENCLAVE (this exact enclave), bit 1 MRSIGNER (any enclave of this signer + product). */
export type SgxKeyPolicy = 'mrenclave' | 'mrsigner';
const KEYPOLICY_BITS: Record<SgxKeyPolicy, number> = { mrenclave: 0x0001, mrsigner: 0x0002 };
const KEYNAME_SEAL_KEY = 4;

export interface SgxCpu {
  /** Stands in for the CPU's seal fuse key and OWNEREPOCH; never leaves the CPU. */
  sealFuseKey: Uint8Array;
  /** CPUSVN of the loaded microcode/TCB, modelled as one number. */
  cpuSvn: number;
}

export interface SgxEnclave {
  mrenclave: Uint8Array; // 32
  mrsigner: Uint8Array; // 32
  isvProdId: number;
  isvSvn: number;
  /** ATTRIBUTES.DEBUG: always mixed into seal keys, so a debug build never opens production data. */
  debug: boolean;
}

/** The parts of KEYREQUEST that seal keys use. */
export interface SgxKeyRequest {
  keyName: 'SEAL_KEY';
  keyPolicy: SgxKeyPolicy;
  isvSvn: number;
  cpuSvn: number;
  /** 32 random bytes chosen at sealing time and stored with the blob. */
  keyId: Uint8Array;
}

export function encodeSgxKeyRequest(req: SgxKeyRequest): Uint8Array {
  checkBytes(req.keyId, 32, 'keyId');
  return new Writer('le')
    .u16(KEYNAME_SEAL_KEY)
    .u16(KEYPOLICY_BITS[req.keyPolicy])
    .u16(req.isvSvn)
    .u16(req.cpuSvn)
    .bytes(req.keyId)
    .finish();
}

/**
 * EGETKEY for a SEAL_KEY: refuses an ISVSVN or CPUSVN above the current one (SGX_INVALID_ISVSVN,
 * SGX_INVALID_CPUSVN), then derives a 128-bit key from the seal fuses, the identity the policy selects
 * (the other one is zeroed), ISVPRODID, the requested SVNs, DEBUG and KEYID. Like SNP, a model of what
 * is bound, not of the CPU's own derivation.
 */
export function sgxSealKey(cpu: SgxCpu, enclave: SgxEnclave, req: SgxKeyRequest): KeyDerivation {
  if (req.isvSvn > enclave.isvSvn) {
    return refusal(
      'SGX_INVALID_ISVSVN',
      `ISVSVN ${req.isvSvn} is above this enclave's ${enclave.isvSvn}: an older version cannot derive a newer version's seal key`,
    );
  }
  if (req.cpuSvn > cpu.cpuSvn) {
    return refusal(
      'SGX_INVALID_CPUSVN',
      `CPUSVN ${req.cpuSvn} is above the CPU's ${cpu.cpuSvn}: data sealed under a newer TCB cannot be opened after a rollback`,
    );
  }
  checkBytes(enclave.mrenclave, 32, 'mrenclave');
  checkBytes(enclave.mrsigner, 32, 'mrsigner');
  const info = concatBytes(
    encodeSgxKeyRequest(req),
    req.keyPolicy === 'mrenclave' ? enclave.mrenclave : new Uint8Array(32),
    req.keyPolicy === 'mrsigner' ? enclave.mrsigner : new Uint8Array(32),
    new Writer('le')
      .u16(enclave.isvProdId)
      .u8(enclave.debug ? 1 : 0)
      .finish(),
  );
  return { ok: true, key: hkdf('sha256', cpu.sealFuseKey, utf8('ccte/sgx/egetkey/v1'), info, 16) };
}

export interface SgxSealedBlob {
  platform: 'sgx';
  request: SgxKeyRequest;
  iv: Uint8Array;
  ciphertext: Uint8Array;
}

/** Seals under the enclave's current ISVSVN and the CPU's current CPUSVN, as the SGX SDK does. */
export function sgxSeal(
  cpu: SgxCpu,
  enclave: SgxEnclave,
  keyPolicy: SgxKeyPolicy,
  secret: Uint8Array,
  drbg: HmacDrbg,
): SealOutcome<SgxSealedBlob> {
  const request: SgxKeyRequest = {
    keyName: 'SEAL_KEY',
    keyPolicy,
    isvSvn: enclave.isvSvn,
    cpuSvn: cpu.cpuSvn,
    keyId: drbg.generate(32),
  };
  const k = sgxSealKey(cpu, enclave, request);
  if (!k.ok) return k;
  const { iv, ciphertext } = encryptUnder(k.key, encodeSgxKeyRequest(request), secret, drbg);
  return { ok: true, blob: { platform: 'sgx', request, iv, ciphertext } };
}

export function sgxUnseal(cpu: SgxCpu, enclave: SgxEnclave, blob: SgxSealedBlob): UnsealOutcome {
  const k = sgxSealKey(cpu, enclave, blob.request);
  if (!k.ok) return k;
  const secret = decryptUnder(k.key, encodeSgxKeyRequest(blob.request), blob.iv, blob.ciphertext);
  if (!secret) {
    const who = blob.request.keyPolicy === 'mrenclave' ? 'MRENCLAVE' : 'MRSIGNER, ISVPRODID';
    return refusal(
      'SGX_ERROR_MAC_MISMATCH',
      `the seal key this enclave derives does not open the blob: ${who}, DEBUG or the CPU differ from the sealing enclave's, or the blob was altered`,
    );
  }
  return { ok: true, secret };
}

// ============================== TPM 2.0 PolicyPCR ==============================

export const TPM_CC_POLICY_PCR = 0x0000017f;
/** TPM_RC_POLICY_FAIL (0x09D) as TPM2_Unseal reports it for the policy session in slot 1. */
export const TPM_RC_POLICY_FAIL = 0x99d;
/** TPM_RC_INTEGRITY (0x09F): the sealed object was not created by this TPM (or was altered). */
export const TPM_RC_INTEGRITY = 0x09f;

export type PcrBankAlg = HashAlg;
const TPM_ALG_ID: Record<HashAlg, number> = { sha1: 0x0004, sha256: 0x000b, sha384: 0x000c, sha512: 0x000d };

export interface PcrSelection {
  hash: PcrBankAlg;
  pcrs: readonly number[];
}

/** Reads one PCR of one bank (adapt a PcrBank or a quote's values to it). */
export type ReadPcr = (bank: PcrBankAlg, index: number) => Uint8Array;

/**
 * TPML_PCR_SELECTION: count u32 ‖ per bank {hash u16, sizeofSelect u8 = 3, pcrSelect[3]} (big-endian;
 * bit j of byte i selects PCR 8i + j).
 */
export function marshalPcrSelection(selections: readonly PcrSelection[]): Uint8Array {
  const w = new Writer('be').u32(selections.length);
  for (const s of selections) {
    const bitmap = new Uint8Array(3);
    for (const i of s.pcrs) {
      if (!Number.isInteger(i) || i < 0 || i > 23) {
        throw new RangeError(`pcrs: PCR ${i} does not exist (0–23)`);
      }
      bitmap[i >> 3] |= 1 << (i & 7);
    }
    w.u16(TPM_ALG_ID[s.hash]).u8(3).bytes(bitmap);
  }
  return w.finish();
}

/** The PCR values a selection covers, in TPM order: banks as listed, PCRs ascending within a bank. */
export function selectedPcrValues(selections: readonly PcrSelection[], read: ReadPcr): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const s of selections) {
    for (const i of [...new Set(s.pcrs)].sort((a, b) => a - b)) {
      const v = read(s.hash, i);
      checkBytes(v, digestSize(s.hash), `PCR ${s.hash}:${i}`);
      out.push(v);
    }
  }
  return out;
}

/**
 * TPM2_PolicyPCR's update of a policy digest (TPM 2.0 Library, Part 3, TPM2_PolicyPCR):
 *   policyDigest_new = H(policyDigest_old ‖ TPM_CC_PolicyPCR ‖ TPML_PCR_SELECTION ‖ H(selected PCRs))
 * where H is the policy session's hash (not the PCR bank's). Trial sessions start from zeros.
 */
export function policyPcr(
  selections: readonly PcrSelection[],
  pcrValues: readonly Uint8Array[],
  policyHash: HashAlg = 'sha256',
  previous: Uint8Array = new Uint8Array(digestSize(policyHash)),
): Uint8Array {
  checkBytes(previous, digestSize(policyHash), 'previous policy digest');
  const pcrDigest = digest(policyHash, concatBytes(...pcrValues));
  const cc = new Writer('be').u32(TPM_CC_POLICY_PCR).finish();
  return digest(policyHash, concatBytes(previous, cc, marshalPcrSelection(selections), pcrDigest));
}

/** The authPolicy for "these PCRs, with the values `read` gives" (what tpm2_createpolicy --policy-pcr prints). */
export function pcrPolicyDigest(
  selections: readonly PcrSelection[],
  read: ReadPcr,
  policyHash: HashAlg = 'sha256',
): Uint8Array {
  return policyPcr(selections, selectedPcrValues(selections, read), policyHash);
}

export interface SimulatedTpm {
  /** Stands in for the storage hierarchy's primary seed: sealed objects are only loadable here. */
  storageSeed: Uint8Array;
  readPcr: ReadPcr;
}

export interface TpmSealedObject {
  platform: 'tpm';
  policyHash: HashAlg;
  authPolicy: Uint8Array;
  /** The selection the unsealer runs PolicyPCR with (kept beside the object, as tools do). */
  pcrSelection: PcrSelection[];
  iv: Uint8Array;
  ciphertext: Uint8Array;
}

function tpmStorageKey(tpm: SimulatedTpm): Uint8Array {
  return hkdf('sha256', tpm.storageSeed, utf8('ccte/tpm/storage/v1'), new Uint8Array(0), 32);
}

function tpmAad(policyHash: HashAlg, authPolicy: Uint8Array, selection: readonly PcrSelection[]): Uint8Array {
  return concatBytes(
    new Writer('be').u16(TPM_ALG_ID[policyHash]).finish(),
    authPolicy,
    marshalPcrSelection(selection),
  );
}

/**
 * TPM2_Create of a sealed data object whose authPolicy is `authPolicy` (computed with pcrPolicyDigest,
 * from the current PCRs or from predicted ones for a future boot).
 */
export function tpmSeal(
  tpm: SimulatedTpm,
  secret: Uint8Array,
  pcrSelection: readonly PcrSelection[],
  authPolicy: Uint8Array,
  drbg: HmacDrbg,
  policyHash: HashAlg = 'sha256',
): TpmSealedObject {
  checkBytes(authPolicy, digestSize(policyHash), 'authPolicy');
  const selection = pcrSelection.map((s) => ({ hash: s.hash, pcrs: [...s.pcrs] }));
  const { iv, ciphertext } = encryptUnder(
    tpmStorageKey(tpm),
    tpmAad(policyHash, authPolicy, selection),
    secret,
    drbg,
  );
  return {
    platform: 'tpm',
    policyHash,
    authPolicy: Uint8Array.from(authPolicy),
    pcrSelection: selection,
    iv,
    ciphertext,
  };
}

/**
 * StartAuthSession(policy) → PolicyPCR with the current PCR values → Unseal: the TPM compares the
 * session's digest with the object's authPolicy and refuses with TPM_RC_POLICY_FAIL when they differ.
 */
export function tpmUnseal(tpm: SimulatedTpm, object: TpmSealedObject): UnsealOutcome & { rc?: number } {
  const sessionDigest = pcrPolicyDigest(object.pcrSelection, tpm.readPcr, object.policyHash);
  if (!constantTimeEqual(sessionDigest, object.authPolicy)) {
    return {
      ...refusal(
        'TPM_RC_POLICY_FAIL',
        "the policy session built from the current PCR values does not match the object's authPolicy: a selected PCR changed since sealing",
      ),
      rc: TPM_RC_POLICY_FAIL,
    };
  }
  const secret = decryptUnder(
    tpmStorageKey(tpm),
    tpmAad(object.policyHash, object.authPolicy, object.pcrSelection),
    object.iv,
    object.ciphertext,
  );
  if (!secret) {
    return {
      ...refusal(
        'TPM_RC_INTEGRITY',
        'the sealed object does not load: it was created by another TPM, or altered',
      ),
      rc: TPM_RC_INTEGRITY,
    };
  }
  return { ok: true, secret };
}
