/**
 * AMD SEV-SNP ATTESTATION_REPORT (SEV-SNP Firmware ABI 56860, "ATTESTATION_REPORT Structure"):
 * encode and decode, byte-exact to the 0x4A0-byte layout, report versions 2–5.
 *
 * The decoder follows go-sev-guest `abi/abi.go` (ReportToProto) and virtee/sev (report variants):
 * it refuses a wrong length, an unknown version and non-zero reserved bytes, naming the offset, and
 * decodes every bit field by name. It does not judge: whether DEBUG, a migration agent or an old TCB
 * is acceptable is for `core/verify/snp.ts`. Reserved *bits* inside defined fields (POLICY bit 17
 * must be 1, bits 26–63 zero; SIGNER_INFO bits 5–31) are reported as `anomalies`, not thrown, so a
 * verifier can explain them in its parse check.
 */
import { assertBytes, reversed, viewOf } from '../crypto/bytes';
import { derToRaw, rawToDer, signDigest, verifyDigest } from '../crypto/ecdsa';
import { digest } from '../crypto/hash';
import { Reader } from '../binary';
import { FormatError } from '../errors';

const FORMAT = 'snp-report';

/** Total size of an ATTESTATION_REPORT. */
export const SNP_REPORT_SIZE = 0x4a0;
/** The signature covers bytes [0, SNP_SIGNED_END). */
export const SNP_SIGNED_END = 0x2a0;
/** SIGNATURE_ALGO value for ECDSA P-384 with SHA-384, the only algorithm the ABI defines. */
export const SNP_SIGNATURE_ALGO_ECDSA_P384_SHA384 = 1;
/** Report versions whose layout this module knows. */
export const SNP_REPORT_VERSIONS = [2, 3, 4, 5] as const;

/**
 * [start, end) of every field, copied from the ABI's ATTESTATION_REPORT table (and go-sev-guest
 * `abi.go`). The hex view reads the same table to highlight fields; `snpFieldAt` looks offsets up.
 */
export const SNP_REPORT_LAYOUT = {
  version: [0x000, 0x004],
  guestSvn: [0x004, 0x008],
  policy: [0x008, 0x010],
  familyId: [0x010, 0x020],
  imageId: [0x020, 0x030],
  vmpl: [0x030, 0x034],
  signatureAlgo: [0x034, 0x038],
  currentTcb: [0x038, 0x040],
  platformInfo: [0x040, 0x048],
  signerInfo: [0x048, 0x04c],
  reserved0: [0x04c, 0x050],
  reportData: [0x050, 0x090],
  measurement: [0x090, 0x0c0],
  hostData: [0x0c0, 0x0e0],
  idKeyDigest: [0x0e0, 0x110],
  authorKeyDigest: [0x110, 0x140],
  reportId: [0x140, 0x160],
  reportIdMa: [0x160, 0x180],
  reportedTcb: [0x180, 0x188],
  cpuidFamId: [0x188, 0x189], // version 3+
  cpuidModId: [0x189, 0x18a], // version 3+
  cpuidStep: [0x18a, 0x18b], // version 3+
  reserved1: [0x18b, 0x1a0],
  chipId: [0x1a0, 0x1e0],
  committedTcb: [0x1e0, 0x1e8],
  currentBuild: [0x1e8, 0x1e9],
  currentMinor: [0x1e9, 0x1ea],
  currentMajor: [0x1ea, 0x1eb],
  reserved2: [0x1eb, 0x1ec],
  committedBuild: [0x1ec, 0x1ed],
  committedMinor: [0x1ed, 0x1ee],
  committedMajor: [0x1ee, 0x1ef],
  reserved3: [0x1ef, 0x1f0],
  launchTcb: [0x1f0, 0x1f8],
  launchMitVector: [0x1f8, 0x200], // version 5+
  currentMitVector: [0x200, 0x208], // version 5+
  reserved4: [0x208, 0x2a0],
  signature: [0x2a0, 0x4a0],
  signatureR: [0x2a0, 0x2e8],
  signatureS: [0x2e8, 0x330],
  signatureReserved: [0x330, 0x4a0],
} as const satisfies Record<string, readonly [number, number]>;

export type SnpFieldKey = keyof typeof SNP_REPORT_LAYOUT;

/** The ABI's own names for the fields, for messages and the hex view. */
export const SNP_FIELD_NAMES: Record<SnpFieldKey, string> = {
  version: 'VERSION',
  guestSvn: 'GUEST_SVN',
  policy: 'POLICY',
  familyId: 'FAMILY_ID',
  imageId: 'IMAGE_ID',
  vmpl: 'VMPL',
  signatureAlgo: 'SIGNATURE_ALGO',
  currentTcb: 'CURRENT_TCB',
  platformInfo: 'PLATFORM_INFO',
  signerInfo: 'SIGNER_INFO',
  reserved0: 'reserved',
  reportData: 'REPORT_DATA',
  measurement: 'MEASUREMENT',
  hostData: 'HOST_DATA',
  idKeyDigest: 'ID_KEY_DIGEST',
  authorKeyDigest: 'AUTHOR_KEY_DIGEST',
  reportId: 'REPORT_ID',
  reportIdMa: 'REPORT_ID_MA',
  reportedTcb: 'REPORTED_TCB',
  cpuidFamId: 'CPUID_FAM_ID',
  cpuidModId: 'CPUID_MOD_ID',
  cpuidStep: 'CPUID_STEP',
  reserved1: 'reserved',
  chipId: 'CHIP_ID',
  committedTcb: 'COMMITTED_TCB',
  currentBuild: 'CURRENT_BUILD',
  currentMinor: 'CURRENT_MINOR',
  currentMajor: 'CURRENT_MAJOR',
  reserved2: 'reserved',
  committedBuild: 'COMMITTED_BUILD',
  committedMinor: 'COMMITTED_MINOR',
  committedMajor: 'COMMITTED_MAJOR',
  reserved3: 'reserved',
  launchTcb: 'LAUNCH_TCB',
  launchMitVector: 'LAUNCH_MIT_VECTOR',
  currentMitVector: 'CURRENT_MIT_VECTOR',
  reserved4: 'reserved',
  signature: 'SIGNATURE',
  signatureR: 'SIGNATURE.R',
  signatureS: 'SIGNATURE.S',
  signatureReserved: 'SIGNATURE reserved',
};

/** Fields that only exist from a report version on; in older versions their bytes are reserved. */
const SINCE: Partial<Record<SnpFieldKey, number>> = {
  cpuidFamId: 3,
  cpuidModId: 3,
  cpuidStep: 3,
  launchMitVector: 5,
  currentMitVector: 5,
};

/** The leaf fields in offset order (no `signature`, which spans R, S and its reserved tail). */
const LEAVES = (Object.keys(SNP_REPORT_LAYOUT) as SnpFieldKey[]).filter((k) => k !== 'signature');

export interface SnpFieldSpan {
  key: SnpFieldKey;
  name: string;
  start: number;
  end: number;
  /** True for bytes the ABI reserves (must be zero) in this report version. */
  reserved: boolean;
}

/** The field holding byte `offset` of a report of `version` (for hex-view highlighting and messages). */
export function snpFieldAt(offset: number, version = 2): SnpFieldSpan | undefined {
  for (const key of LEAVES) {
    const [start, end] = SNP_REPORT_LAYOUT[key];
    if (offset >= start && offset < end) {
      const reserved = SNP_FIELD_NAMES[key].includes('reserved') || (SINCE[key] ?? 0) > version;
      return { key, name: reserved ? 'reserved' : SNP_FIELD_NAMES[key], start, end, reserved };
    }
  }
  return undefined;
}

const hex3 = (n: number) => `0x${n.toString(16).padStart(3, '0')}`;

// ---------------------------------------------------------------------------------------------
// TCB_VERSION
// ---------------------------------------------------------------------------------------------

export type SnpProduct = 'Milan' | 'Genoa' | 'Turin';
/** Milan and Genoa share one TCB_VERSION layout; Turin moved the fields and added FMC. */
export type TcbLayout = 'milan-genoa' | 'turin';

export interface TcbParts {
  bootloader: number;
  tee: number;
  snp: number;
  microcode: number;
  /** Turin only: the firmware's FMC security patch level. */
  fmc?: number;
}

export interface SnpTcb extends TcbParts {
  /** The u64 as it is in the report (little-endian on the wire). */
  raw: bigint;
  layout: TcbLayout;
}

/** Byte index of each component inside the 8-byte TCB_VERSION, per layout (ABI; virtee/sev TcbVersion). */
export const TCB_BYTE: Record<TcbLayout, Record<keyof TcbParts, number | undefined>> = {
  'milan-genoa': { bootloader: 0, tee: 1, snp: 6, microcode: 7, fmc: undefined },
  turin: { fmc: 0, bootloader: 1, tee: 2, snp: 3, microcode: 7 },
};
const TCB_RESERVED: Record<TcbLayout, readonly number[]> = {
  'milan-genoa': [2, 3, 4, 5],
  turin: [4, 5, 6],
};
export const TCB_COMPONENTS = ['fmc', 'bootloader', 'tee', 'snp', 'microcode'] as const;

export function tcbLayoutOf(product: SnpProduct): TcbLayout {
  return product === 'Turin' ? 'turin' : 'milan-genoa';
}

const byteOf = (raw: bigint, i: number) => Number((raw >> BigInt(8 * i)) & 0xffn);

export function decodeTcb(raw: bigint, layout: TcbLayout): SnpTcb {
  const at = TCB_BYTE[layout];
  const tcb: SnpTcb = {
    raw,
    layout,
    bootloader: byteOf(raw, at.bootloader ?? 0),
    tee: byteOf(raw, at.tee ?? 0),
    snp: byteOf(raw, at.snp ?? 0),
    microcode: byteOf(raw, at.microcode ?? 0),
  };
  if (at.fmc !== undefined) tcb.fmc = byteOf(raw, at.fmc);
  return tcb;
}

/** Builds a TCB_VERSION for `layout` from its components (each 0–255). */
export function makeTcb(layout: TcbLayout, parts: TcbParts): SnpTcb {
  let raw = 0n;
  for (const name of TCB_COMPONENTS) {
    const value = parts[name];
    const i = TCB_BYTE[layout][name];
    if (value === undefined || i === undefined) continue;
    if (!Number.isInteger(value) || value < 0 || value > 255) {
      throw new RangeError(`tcb.${name}: expected an integer 0–255, got ${value}`);
    }
    raw |= BigInt(value) << BigInt(8 * i);
  }
  return decodeTcb(raw, layout);
}

/** `bl=3 tee=0 snp=8 ucode=115` (with `fmc=` first on Turin). */
export function formatTcb(t: TcbParts): string {
  const fmc = t.fmc !== undefined ? `fmc=${t.fmc} ` : '';
  return `${fmc}bl=${t.bootloader} tee=${t.tee} snp=${t.snp} ucode=${t.microcode}`;
}

/**
 * Product from the report's CPUID fields (version 3+): family 0x19 is Zen 3/4 (Milan: models
 * 0x00–0x0F, Genoa: 0x10–0x1F and 0xA0–0xAF), family 0x1A is Zen 5 (Turin).
 */
export function snpProductFromCpuid(family: number, model: number): SnpProduct | undefined {
  if (family === 0x1a) return 'Turin';
  if (family !== 0x19) return undefined;
  if (model <= 0x0f) return 'Milan';
  if ((model >= 0x10 && model <= 0x1f) || (model >= 0xa0 && model <= 0xaf)) return 'Genoa';
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Bit fields
// ---------------------------------------------------------------------------------------------

/** POLICY (ABI "Guest Policy"): named bits; bit 17 is reserved and must be 1, bits 26–63 are MBZ. */
export interface SnpGuestPolicy {
  raw: bigint;
  abiMinor: number;
  abiMajor: number;
  /** Bit 16: SMT is allowed. */
  smt: boolean;
  /** Bit 17: reserved, must be 1. */
  reservedMustBeOne: boolean;
  /** Bit 18: a migration agent may be associated with the guest. */
  migrateMa: boolean;
  /** Bit 19: the host may debug (decrypt) the guest. */
  debug: boolean;
  /** Bit 20: the guest may run on one socket only. */
  singleSocket: boolean;
  /** Bit 21: CXL may be populated with guest memory. */
  cxlAllow: boolean;
  /** Bit 22: AES-256-XTS memory encryption is required. */
  memAes256Xts: boolean;
  /** Bit 23: Running Average Power Limit must be disabled. */
  raplDis: boolean;
  /** Bit 24: ciphertext hiding must be enabled. */
  ciphertextHiding: boolean;
  /** Bit 25: guest page swapping (SNP_PAGE_MOVE/SWAP) is disabled. */
  pageSwapDisable: boolean;
  /** Bits 26–63, which must be zero. */
  mustBeZero: bigint;
}

export const POLICY_BITS = {
  smt: 16,
  reservedMustBeOne: 17,
  migrateMa: 18,
  debug: 19,
  singleSocket: 20,
  cxlAllow: 21,
  memAes256Xts: 22,
  raplDis: 23,
  ciphertextHiding: 24,
  pageSwapDisable: 25,
} as const;
type PolicyFlag = keyof typeof POLICY_BITS;
const POLICY_MBZ_SHIFT = 26n;

const bit = (raw: bigint, n: number) => ((raw >> BigInt(n)) & 1n) === 1n;

export function decodeGuestPolicy(raw: bigint): SnpGuestPolicy {
  const flags = Object.fromEntries(
    (Object.keys(POLICY_BITS) as PolicyFlag[]).map((k) => [k, bit(raw, POLICY_BITS[k])]),
  ) as Record<PolicyFlag, boolean>;
  return {
    raw,
    abiMinor: Number(raw & 0xffn),
    abiMajor: Number((raw >> 8n) & 0xffn),
    ...flags,
    mustBeZero: raw >> POLICY_MBZ_SHIFT,
  };
}

export type GuestPolicyFlags = Partial<Omit<SnpGuestPolicy, 'raw' | 'mustBeZero' | 'reservedMustBeOne'>>;

/** Builds a well-formed POLICY (bit 17 set) from named flags; everything not given is 0/false. */
export function makeGuestPolicy(flags: GuestPolicyFlags = {}): SnpGuestPolicy {
  let raw = BigInt(flags.abiMinor ?? 0) | (BigInt(flags.abiMajor ?? 0) << 8n) | (1n << 17n);
  for (const k of Object.keys(POLICY_BITS) as PolicyFlag[]) {
    if (k !== 'reservedMustBeOne' && flags[k]) raw |= 1n << BigInt(POLICY_BITS[k]);
  }
  return decodeGuestPolicy(raw);
}

/** PLATFORM_INFO: what the host platform has enabled. Unknown bits are kept, not judged. */
export interface SnpPlatformInfo {
  raw: bigint;
  smtEnabled: boolean;
  tsmeEnabled: boolean;
  eccEnabled: boolean;
  raplDisabled: boolean;
  ciphertextHidingEnabled: boolean;
  aliasCheckComplete: boolean;
  tioEnabled: boolean;
  /** Bits this module has no name for (6, 8–63), e.g. from newer firmware. */
  unknownBits: bigint;
}

export const PLATFORM_INFO_BITS = {
  smtEnabled: 0,
  tsmeEnabled: 1,
  eccEnabled: 2,
  raplDisabled: 3,
  ciphertextHidingEnabled: 4,
  aliasCheckComplete: 5,
  tioEnabled: 7,
} as const;
type PlatformFlag = keyof typeof PLATFORM_INFO_BITS;
const PLATFORM_KNOWN_MASK = Object.values(PLATFORM_INFO_BITS).reduce((m, b) => m | (1n << BigInt(b)), 0n);

export function decodePlatformInfo(raw: bigint): SnpPlatformInfo {
  const flags = Object.fromEntries(
    (Object.keys(PLATFORM_INFO_BITS) as PlatformFlag[]).map((k) => [k, bit(raw, PLATFORM_INFO_BITS[k])]),
  ) as Record<PlatformFlag, boolean>;
  return { raw, ...flags, unknownBits: raw & ~PLATFORM_KNOWN_MASK };
}

export function makePlatformInfo(flags: Partial<Record<PlatformFlag, boolean>> = {}): SnpPlatformInfo {
  let raw = 0n;
  for (const k of Object.keys(PLATFORM_INFO_BITS) as PlatformFlag[]) {
    if (flags[k]) raw |= 1n << BigInt(PLATFORM_INFO_BITS[k]);
  }
  return decodePlatformInfo(raw);
}

/** SIGNING_KEY values (bits 2–4 of SIGNER_INFO); 2–6 are reserved. */
export type SnpSigningKey = 'vcek' | 'vlek' | 'none' | 'reserved';
const SIGNING_KEY_NAMES: Record<number, SnpSigningKey> = { 0: 'vcek', 1: 'vlek', 7: 'none' };

/** SIGNER_INFO at 0x48: AUTHOR_KEY_EN, MASK_CHIP_KEY, SIGNING_KEY; bits 5–31 must be zero. */
export interface SnpSignerInfo {
  raw: number;
  authorKeyEn: boolean;
  maskChipKey: boolean;
  signingKey: number;
  signingKeyName: SnpSigningKey;
  mustBeZero: number;
}

export function decodeSignerInfo(raw: number): SnpSignerInfo {
  const signingKey = (raw >>> 2) & 7;
  return {
    raw,
    authorKeyEn: (raw & 1) === 1,
    maskChipKey: (raw & 2) === 2,
    signingKey,
    signingKeyName: SIGNING_KEY_NAMES[signingKey] ?? 'reserved',
    mustBeZero: raw >>> 5,
  };
}

export function makeSignerInfo(
  info: { authorKeyEn?: boolean; maskChipKey?: boolean; signingKey?: 'vcek' | 'vlek' | 'none' } = {},
): SnpSignerInfo {
  const key = { vcek: 0, vlek: 1, none: 7 }[info.signingKey ?? 'vcek'];
  return decodeSignerInfo((info.authorKeyEn ? 1 : 0) | (info.maskChipKey ? 2 : 0) | (key << 2));
}

export interface FirmwareVersion {
  major: number;
  minor: number;
  build: number;
}

export interface SnpCpuid {
  family: number;
  model: number;
  stepping: number;
}

// ---------------------------------------------------------------------------------------------
// The report
// ---------------------------------------------------------------------------------------------

/** Every field of an ATTESTATION_REPORT; what `encodeSnpReport` writes and `decodeSnpReport` reads. */
export interface SnpReport {
  version: number;
  guestSvn: number;
  policy: SnpGuestPolicy;
  familyId: Uint8Array;
  imageId: Uint8Array;
  vmpl: number;
  signatureAlgo: number;
  currentTcb: SnpTcb;
  platformInfo: SnpPlatformInfo;
  signerInfo: SnpSignerInfo;
  reportData: Uint8Array;
  measurement: Uint8Array;
  hostData: Uint8Array;
  idKeyDigest: Uint8Array;
  authorKeyDigest: Uint8Array;
  reportId: Uint8Array;
  reportIdMa: Uint8Array;
  reportedTcb: SnpTcb;
  /** Version 3+. */
  cpuid?: SnpCpuid;
  chipId: Uint8Array;
  committedTcb: SnpTcb;
  currentVersion: FirmwareVersion;
  committedVersion: FirmwareVersion;
  launchTcb: SnpTcb;
  /** Version 5+. */
  launchMitVector?: bigint;
  /** Version 5+. */
  currentMitVector?: bigint;
  /** The whole 512-byte SIGNATURE field: R[72] ‖ S[72] little-endian, zero-padded, then reserved. */
  signature: Uint8Array;
}

/** Where the decoder took the TCB layout from: the caller, CPUID (v3+), the CHIP_ID shape, or a default. */
export type TcbLayoutSource = 'caller' | 'cpuid' | 'chip-id' | 'default';

/** A reserved bit inside a defined field that is not as the ABI requires; the verifier judges it. */
export interface SnpAnomaly {
  field: string;
  offset: number;
  detail: string;
}

export interface DecodedSnpReport extends SnpReport {
  tcbLayout: TcbLayout;
  tcbLayoutSource: TcbLayoutSource;
  /** The product named by CPUID (v3+) or by the caller, when known. */
  product?: SnpProduct;
  anomalies: SnpAnomaly[];
}

export interface DecodeOptions {
  /** The product (e.g. from the VCEK's productName); decides the TCB layout of version 2 reports (v3+ carry CPUID). */
  product?: SnpProduct;
}

const FIXED_LENGTH: Partial<Record<keyof SnpReport, number>> = {
  familyId: 16,
  imageId: 16,
  reportData: 64,
  measurement: 48,
  hostData: 32,
  idKeyDigest: 48,
  authorKeyDigest: 48,
  reportId: 32,
  reportIdMa: 32,
  chipId: 64,
  signature: 512,
};

function lengthError(length: number): FormatError {
  if (length > SNP_REPORT_SIZE) {
    return new FormatError(
      FORMAT,
      'end',
      SNP_REPORT_SIZE,
      `${length - SNP_REPORT_SIZE} unexpected trailing bytes (an ATTESTATION_REPORT is 0x4a0 = 1184 bytes)`,
    );
  }
  const cut = snpFieldAt(length);
  return new FormatError(
    FORMAT,
    'length',
    length,
    `truncated: ${length} bytes, cut inside ${cut?.name ?? 'the report'}` +
      (cut ? ` (${hex3(cut.start)}–${hex3(cut.end - 1)})` : '') +
      '; an ATTESTATION_REPORT is 0x4a0 = 1184 bytes',
  );
}

/**
 * Which TCB layout to decode with. Version 3+ reports say their CPU family (signed, so it wins over
 * what a caller believes); for version 2 a caller may know the product (from the VCEK), and
 * otherwise Turin is recognised the way virtee/sev does: its CHIP_ID uses only the first 8 bytes.
 */
function chooseLayout(
  version: number,
  cpuid: SnpCpuid | undefined,
  chipId: Uint8Array,
  product: SnpProduct | undefined,
): { layout: TcbLayout; source: TcbLayoutSource; product?: SnpProduct } {
  if (version >= 3 && cpuid) {
    const p = snpProductFromCpuid(cpuid.family, cpuid.model);
    const layout = cpuid.family >= 0x1a ? 'turin' : 'milan-genoa';
    return { layout, source: 'cpuid', ...(p ? { product: p } : {}) };
  }
  if (product) return { layout: tcbLayoutOf(product), source: 'caller', product };
  const masked = chipId.every((x) => x === 0);
  if (!masked && chipId.subarray(8).every((x) => x === 0)) return { layout: 'turin', source: 'chip-id' };
  return { layout: 'milan-genoa', source: 'default' };
}

function anomaliesOf(r: SnpReport): SnpAnomaly[] {
  const out: SnpAnomaly[] = [];
  const [policyAt] = SNP_REPORT_LAYOUT.policy;
  if (!r.policy.reservedMustBeOne) {
    out.push({ field: 'POLICY', offset: policyAt + 2, detail: 'bit 17 is reserved and must be 1, found 0' });
  }
  if (r.policy.mustBeZero !== 0n) {
    const first = (r.policy.mustBeZero & -r.policy.mustBeZero).toString(2).length - 1 + 26;
    out.push({
      field: 'POLICY',
      offset: policyAt + (first >> 3),
      detail: `bits 26–63 must be zero, found 0x${(r.policy.mustBeZero << POLICY_MBZ_SHIFT).toString(16)} (first set: bit ${first})`,
    });
  }
  const [signerAt] = SNP_REPORT_LAYOUT.signerInfo;
  if (r.signerInfo.mustBeZero !== 0) {
    out.push({
      field: 'SIGNER_INFO',
      offset: signerAt,
      detail: `bits 5–31 must be zero, found 0x${(r.signerInfo.mustBeZero << 5).toString(16)}`,
    });
  }
  if (r.signerInfo.signingKeyName === 'reserved') {
    out.push({
      field: 'SIGNER_INFO',
      offset: signerAt,
      detail: `SIGNING_KEY ${r.signerInfo.signingKey} is reserved (0 VCEK, 1 VLEK, 7 none)`,
    });
  }
  const tcbs = ['currentTcb', 'reportedTcb', 'committedTcb', 'launchTcb'] as const;
  for (const name of tcbs) {
    const t = r[name];
    for (const i of TCB_RESERVED[t.layout]) {
      const v = byteOf(t.raw, i);
      if (v !== 0) {
        out.push({
          field: SNP_FIELD_NAMES[name],
          offset: SNP_REPORT_LAYOUT[name][0] + i,
          detail: `TCB byte ${i} is reserved in the ${t.layout} layout, found 0x${v.toString(16)} (wrong product layout?)`,
        });
        break;
      }
    }
  }
  return out;
}

/** BUILD, MINOR, MAJOR: one byte each, least significant first on the wire. */
function firmwareVersion(r: Reader, which: 'CURRENT' | 'COMMITTED'): FirmwareVersion {
  const build = r.u8(`${which}_BUILD`);
  const minor = r.u8(`${which}_MINOR`);
  const major = r.u8(`${which}_MAJOR`);
  return { major, minor, build };
}

/**
 * Decodes an ATTESTATION_REPORT. Throws FormatError (with the byte offset) for a wrong length, a
 * version other than 2–5 and any non-zero reserved byte; never judges policy or TCB.
 */
export function decodeSnpReport(bytes: Uint8Array, opts: DecodeOptions = {}): DecodedSnpReport {
  assertBytes(bytes, 'report');
  if (bytes.length !== SNP_REPORT_SIZE) throw lengthError(bytes.length);
  const r = new Reader(bytes, FORMAT, 'le');
  const version = r.u32('VERSION');
  if (!(SNP_REPORT_VERSIONS as readonly number[]).includes(version)) {
    throw new FormatError(
      FORMAT,
      'VERSION',
      0,
      `version ${version}: this decoder knows the layouts of report versions 2–5`,
    );
  }
  const guestSvn = r.u32('GUEST_SVN');
  const policy = decodeGuestPolicy(r.u64('POLICY'));
  const familyId = r.take('FAMILY_ID', 16);
  const imageId = r.take('IMAGE_ID', 16);
  const vmpl = r.u32('VMPL');
  const signatureAlgo = r.u32('SIGNATURE_ALGO');
  const currentTcbRaw = r.u64('CURRENT_TCB');
  const platformInfo = decodePlatformInfo(r.u64('PLATFORM_INFO'));
  const signerInfo = decodeSignerInfo(r.u32('SIGNER_INFO'));
  r.zeros('reserved', 4);
  const reportData = r.take('REPORT_DATA', 64);
  const measurement = r.take('MEASUREMENT', 48);
  const hostData = r.take('HOST_DATA', 32);
  const idKeyDigest = r.take('ID_KEY_DIGEST', 48);
  const authorKeyDigest = r.take('AUTHOR_KEY_DIGEST', 48);
  const reportId = r.take('REPORT_ID', 32);
  const reportIdMa = r.take('REPORT_ID_MA', 32);
  const reportedTcbRaw = r.u64('REPORTED_TCB');
  let cpuid: SnpCpuid | undefined;
  if (version >= 3) {
    cpuid = { family: r.u8('CPUID_FAM_ID'), model: r.u8('CPUID_MOD_ID'), stepping: r.u8('CPUID_STEP') };
    r.zeros('reserved', 0x1a0 - 0x18b);
  } else {
    r.zeros('reserved (CPUID fields exist from version 3)', 0x1a0 - 0x188);
  }
  const chipId = r.take('CHIP_ID', 64);
  const committedTcbRaw = r.u64('COMMITTED_TCB');
  const currentVersion = firmwareVersion(r, 'CURRENT');
  r.zeros('reserved', 1);
  const committedVersion = firmwareVersion(r, 'COMMITTED');
  r.zeros('reserved', 1);
  const launchTcbRaw = r.u64('LAUNCH_TCB');
  let launchMitVector: bigint | undefined;
  let currentMitVector: bigint | undefined;
  if (version >= 5) {
    launchMitVector = r.u64('LAUNCH_MIT_VECTOR');
    currentMitVector = r.u64('CURRENT_MIT_VECTOR');
    r.zeros('reserved', SNP_SIGNED_END - 0x208);
  } else {
    r.zeros('reserved', SNP_SIGNED_END - 0x1f8);
  }
  // The signature's inner layout is defined only for ECDSA P-384; otherwise it is kept opaque.
  const signatureStart = r.offset;
  if (signatureAlgo === SNP_SIGNATURE_ALGO_ECDSA_P384_SHA384) {
    r.skip('SIGNATURE.R', 48);
    r.zeros('SIGNATURE.R zero padding', 24);
    r.skip('SIGNATURE.S', 48);
    r.zeros('SIGNATURE.S zero padding', 24);
    r.zeros('SIGNATURE reserved', SNP_REPORT_SIZE - 0x330);
  } else {
    r.skip('SIGNATURE', 512);
  }
  r.finish();
  const signature = bytes.slice(signatureStart, SNP_REPORT_SIZE);

  const choice = chooseLayout(version, cpuid, chipId, opts.product);
  const report: SnpReport = {
    version,
    guestSvn,
    policy,
    familyId,
    imageId,
    vmpl,
    signatureAlgo,
    currentTcb: decodeTcb(currentTcbRaw, choice.layout),
    platformInfo,
    signerInfo,
    reportData,
    measurement,
    hostData,
    idKeyDigest,
    authorKeyDigest,
    reportId,
    reportIdMa,
    reportedTcb: decodeTcb(reportedTcbRaw, choice.layout),
    ...(cpuid ? { cpuid } : {}),
    chipId,
    committedTcb: decodeTcb(committedTcbRaw, choice.layout),
    currentVersion,
    committedVersion,
    launchTcb: decodeTcb(launchTcbRaw, choice.layout),
    ...(launchMitVector !== undefined ? { launchMitVector } : {}),
    ...(currentMitVector !== undefined ? { currentMitVector } : {}),
    signature,
  };
  return {
    ...report,
    tcbLayout: choice.layout,
    tcbLayoutSource: choice.source,
    ...(choice.product ? { product: choice.product } : {}),
    anomalies: anomaliesOf(report),
  };
}

function assertByte(value: number, name: string): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xff) {
    throw new RangeError(`${name}: expected an integer 0–255, got ${value}`);
  }
}

function assertU32(value: number, name: string): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new RangeError(`${name}: expected an unsigned 32-bit integer, got ${value}`);
  }
}

/**
 * Writes every field at its ABI offset; reserved bytes are zero. Bit fields are written from their
 * `raw` value, so `encodeSnpReport(decodeSnpReport(b))` gives back `b` exactly. A report that has
 * not been signed yet carries 512 zero bytes of signature (see `signSnpReport`).
 */
export function encodeSnpReport(report: SnpReport): Uint8Array {
  const v = report.version;
  if (!(SNP_REPORT_VERSIONS as readonly number[]).includes(v)) {
    throw new RangeError(`version: expected one of 2–5, got ${v}`);
  }
  for (const [field, length] of Object.entries(FIXED_LENGTH) as [keyof SnpReport, number][]) {
    assertBytes(report[field], field, length);
  }
  if (v >= 3 && !report.cpuid) throw new RangeError('cpuid: required from report version 3');
  if (v >= 5 && (report.launchMitVector === undefined || report.currentMitVector === undefined)) {
    throw new RangeError('launchMitVector/currentMitVector: required from report version 5');
  }
  const out = new Uint8Array(SNP_REPORT_SIZE);
  const view = viewOf(out);
  const at = (k: SnpFieldKey) => SNP_REPORT_LAYOUT[k][0];
  for (const [k, value] of [
    ['version', v],
    ['guestSvn', report.guestSvn],
    ['vmpl', report.vmpl],
    ['signatureAlgo', report.signatureAlgo],
    ['signerInfo', report.signerInfo.raw],
  ] as const) {
    assertU32(value, k);
    view.setUint32(at(k), value, true);
  }
  for (const [k, value] of [
    ['policy', report.policy.raw],
    ['currentTcb', report.currentTcb.raw],
    ['platformInfo', report.platformInfo.raw],
    ['reportedTcb', report.reportedTcb.raw],
    ['committedTcb', report.committedTcb.raw],
    ['launchTcb', report.launchTcb.raw],
  ] as const) {
    view.setBigUint64(at(k), BigInt.asUintN(64, value), true);
  }
  for (const k of [
    'familyId',
    'imageId',
    'reportData',
    'measurement',
    'hostData',
    'idKeyDigest',
    'authorKeyDigest',
    'reportId',
    'reportIdMa',
    'chipId',
    'signature',
  ] as const) {
    out.set(report[k], at(k));
  }
  if (v >= 3 && report.cpuid) {
    const { family, model, stepping } = report.cpuid;
    [family, model, stepping].forEach((x, i) =>
      assertByte(x, ['cpuid.family', 'cpuid.model', 'cpuid.stepping'][i]),
    );
    out[at('cpuidFamId')] = family;
    out[at('cpuidModId')] = model;
    out[at('cpuidStep')] = stepping;
  }
  const versions = [
    ['current', report.currentVersion, at('currentBuild')],
    ['committed', report.committedVersion, at('committedBuild')],
  ] as const;
  for (const [name, fw, o] of versions) {
    [fw.build, fw.minor, fw.major].forEach((x, i) =>
      assertByte(x, `${name}Version.${['build', 'minor', 'major'][i]}`),
    );
    out[o] = fw.build;
    out[o + 1] = fw.minor;
    out[o + 2] = fw.major;
  }
  if (v >= 5) {
    view.setBigUint64(at('launchMitVector'), BigInt.asUintN(64, report.launchMitVector ?? 0n), true);
    view.setBigUint64(at('currentMitVector'), BigInt.asUintN(64, report.currentMitVector ?? 0n), true);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Signature
// ---------------------------------------------------------------------------------------------

const P384_BYTES = 48;
const AMD_COMPONENT = 72;

/** The bytes the AMD-SP signs: [0, 0x2A0). */
export function snpSignedBytes(report: Uint8Array): Uint8Array {
  return report.subarray(0, SNP_SIGNED_END);
}

/**
 * The SIGNATURE field (512 bytes, or just its 144-byte R ‖ S) → big-endian r ‖ s (96 bytes).
 * RangeError if a component does not fit in 48 bytes, i.e. its zero padding is not zero.
 */
export function snpSignatureToRaw(signature: Uint8Array): Uint8Array {
  assertBytes(signature, 'signature');
  if (signature.length !== 512 && signature.length !== 2 * AMD_COMPONENT) {
    throw new RangeError(`signature: expected 512 or 144 bytes, got ${signature.length}`);
  }
  const out = new Uint8Array(2 * P384_BYTES);
  for (const [i, name] of [
    [0, 'R'],
    [1, 'S'],
  ] as const) {
    const le = signature.subarray(i * AMD_COMPONENT, (i + 1) * AMD_COMPONENT);
    const pad = le.subarray(P384_BYTES).findIndex((x) => x !== 0);
    if (pad >= 0) {
      throw new RangeError(
        `signature: ${name} does not fit in 48 bytes (non-zero padding byte at SIGNATURE+0x${(i * AMD_COMPONENT + P384_BYTES + pad).toString(16)})`,
      );
    }
    out.set(reversed(le.subarray(0, P384_BYTES)), i * P384_BYTES);
  }
  return out;
}

/** SIGNATURE → ASN.1 DER `SEQUENCE { r, s }`, as OpenSSL and X.509 tools expect. */
export function snpSignatureToDer(signature: Uint8Array): Uint8Array {
  return rawToDer('p384', snpSignatureToRaw(signature));
}

/** Big-endian r ‖ s (96 bytes) or DER → the 512-byte SIGNATURE field (R, S little-endian, zero-padded). */
export function snpSignatureFrom(signature: Uint8Array, format: 'raw' | 'der' = 'raw'): Uint8Array {
  const raw = format === 'der' ? derToRaw('p384', signature) : signature;
  assertBytes(raw, 'signature', 2 * P384_BYTES);
  const out = new Uint8Array(512);
  out.set(reversed(raw.subarray(0, P384_BYTES)), 0);
  out.set(reversed(raw.subarray(P384_BYTES)), AMD_COMPONENT);
  return out;
}

/** SHA-384 of the signed range, what the ECDSA signature is over. */
export function snpReportDigest(report: Uint8Array): Uint8Array {
  assertBytes(report, 'report', SNP_REPORT_SIZE);
  return digest('sha384', snpSignedBytes(report));
}

/** A copy of `report` with SIGNATURE set: ECDSA P-384/SHA-384 (RFC 6979) over bytes 0..0x29F. */
export function signSnpReport(report: Uint8Array, vcekPrivateKey: Uint8Array): Uint8Array {
  assertBytes(report, 'report', SNP_REPORT_SIZE);
  const raw = signDigest('p384', vcekPrivateKey, snpReportDigest(report), 'sha384');
  const out = Uint8Array.from(report);
  out.set(snpSignatureFrom(raw), SNP_SIGNED_END);
  return out;
}

/**
 * Does `vcekPublicKey` (SEC1 point) verify the report's signature? False, never an exception, for
 * a wrong length, another SIGNATURE_ALGO or a malformed signature.
 */
export function verifySnpReportSignature(report: Uint8Array, vcekPublicKey: Uint8Array): boolean {
  if (!(report instanceof Uint8Array) || report.length !== SNP_REPORT_SIZE) return false;
  if (viewOf(report).getUint32(SNP_REPORT_LAYOUT.signatureAlgo[0], true) !== 1) return false;
  let raw: Uint8Array;
  try {
    raw = snpSignatureToRaw(report.subarray(SNP_SIGNED_END));
  } catch {
    return false;
  }
  return verifyDigest('p384', raw, snpReportDigest(report), vcekPublicKey, 'sha384');
}
