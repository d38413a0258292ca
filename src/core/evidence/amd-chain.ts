/**
 * The SEV-SNP endorsement chain ARK → ASK → VCEK (AMD VCEK/KDS specification 57230): reading AMD's
 * VCEK extensions (TCB security patch levels, hwID = CHIP_ID, product name) from real certificates,
 * putting a user's certificates in chain order, and issuing the explorer's simulated chain.
 *
 * Simulated chain: the demo ARK and ASK are the committed RSA-4096 demo keys (demo-amd-keys.ts),
 * signing RSASSA-PSS/SHA-384 as AMD does. The VCEK is an ECDSA P-384 key derived, as in the AMD-SP,
 * from a chip secret and the TCB it is issued for: a different TCB gives a different key, and the
 * same seed gives the same bytes everywhere (PSS salts come from the seeded DRBG).
 */
import { concatBytes, utf8 } from '../crypto/bytes';
import { HmacDrbg, seededDrbg, type Seed } from '../crypto/drbg';
import { generateKeyPair, type KeyPair } from '../crypto/ecdsa';
import { digest } from '../crypto/hash';
import { FormatError } from '../errors';
import { DEMO_AMD_KEYS } from './demo-amd-keys';
import {
  encodeSnpReport,
  makeGuestPolicy,
  makePlatformInfo,
  makeSignerInfo,
  makeTcb,
  signSnpReport,
  tcbLayoutOf,
  type FirmwareVersion,
  type GuestPolicyFlags,
  type SnpCpuid,
  type SnpGuestPolicy,
  type SnpPlatformInfo,
  type SnpProduct,
  type SnpReport,
  type SnpTcb,
  type TcbParts,
} from './snp-report';
import { issueCertificate, parseCertificate, type CertExtension, type Certificate } from './x509';

/** AMD's arc under its enterprise number 3704: 1.3.6.1.4.1.3704.1.* (57230 Table "VCEK extensions"). */
export const AMD_VCEK_OID = {
  structVersion: '1.3.6.1.4.1.3704.1.1',
  productName: '1.3.6.1.4.1.3704.1.2',
  blSPL: '1.3.6.1.4.1.3704.1.3.1',
  teeSPL: '1.3.6.1.4.1.3704.1.3.2',
  snpSPL: '1.3.6.1.4.1.3704.1.3.3',
  ucodeSPL: '1.3.6.1.4.1.3704.1.3.8',
  fmcSPL: '1.3.6.1.4.1.3704.1.3.9',
  hwID: '1.3.6.1.4.1.3704.1.4',
  cspID: '1.3.6.1.4.1.3704.1.5',
} as const;

const SPL_OID: Record<keyof TcbParts, string> = {
  bootloader: AMD_VCEK_OID.blSPL,
  tee: AMD_VCEK_OID.teeSPL,
  snp: AMD_VCEK_OID.snpSPL,
  microcode: AMD_VCEK_OID.ucodeSPL,
  fmc: AMD_VCEK_OID.fmcSPL,
};

// ---- minimal DER for the extension values (INTEGER, IA5String) ----

function derLength(n: number): Uint8Array {
  if (n < 0x80) return Uint8Array.of(n);
  const bytes: number[] = [];
  for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

/** DER INTEGER of a non-negative integer (a leading zero keeps values ≥ 0x80 positive). */
export function derInteger(n: number): Uint8Array {
  if (!Number.isSafeInteger(n) || n < 0)
    throw new RangeError(`derInteger: expected a non-negative integer, got ${n}`);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  if (bytes.length === 0 || bytes[0] & 0x80) bytes.unshift(0);
  return Uint8Array.of(0x02, bytes.length, ...bytes);
}

function derIa5String(text: string): Uint8Array {
  const body = utf8(text);
  return concatBytes(Uint8Array.of(0x16), derLength(body.length), body);
}

/** Reads a whole extension value as one DER INTEGER (non-negative, at most 4 content bytes). */
function readDerInteger(value: Uint8Array, oid: string): number {
  if (value.length < 3 || value[0] !== 0x02) {
    throw new FormatError('vcek-extension', oid, 0, 'expected a DER INTEGER');
  }
  const len = value[1];
  if (len < 1 || len > 5 || 2 + len !== value.length) {
    throw new FormatError(
      'vcek-extension',
      oid,
      1,
      `INTEGER length ${len} does not match ${value.length - 2} content bytes`,
    );
  }
  if (value[2] & 0x80) throw new FormatError('vcek-extension', oid, 2, 'negative INTEGER');
  let n = 0;
  for (let i = 2; i < value.length; i++) n = n * 256 + value[i];
  if (n > 0xffffffff) throw new FormatError('vcek-extension', oid, 2, `INTEGER ${n} is out of range`);
  return n;
}

function readDerString(value: Uint8Array, oid: string): string {
  if (value.length < 2 || (value[0] !== 0x16 && value[0] !== 0x0c && value[0] !== 0x13)) {
    throw new FormatError('vcek-extension', oid, 0, 'expected an IA5String');
  }
  let len = value[1];
  let start = 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n < 1 || n > 2 || value.length < 2 + n)
      throw new FormatError('vcek-extension', oid, 1, 'bad DER length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + value[2 + i];
    start += n;
  }
  if (start + len !== value.length) {
    throw new FormatError('vcek-extension', oid, 1, `string length ${len} does not match the extension`);
  }
  return new TextDecoder().decode(value.subarray(start));
}

/** What a VCEK (or VLEK) certificate says about the chip and firmware it was issued for. */
export interface VcekExtensions {
  structVersion?: number;
  /** e.g. `Milan-B0`, `Genoa-B1`, `Turin`. */
  productName?: string;
  /** The product family from `productName`, when it is one this explorer knows. */
  product?: SnpProduct;
  /** The SPLs present in the certificate (fmc on Turin only). */
  tcb: Partial<TcbParts>;
  /** CHIP_ID (64 bytes on Milan/Genoa; Turin's is 8 bytes, the first 8 of the report's CHIP_ID). */
  hwId?: Uint8Array;
  /** VLEK only: the cloud service provider the key was issued to. */
  cspId?: string;
}

export function productFromName(name: string): SnpProduct | undefined {
  const family = name.split('-')[0];
  return family === 'Milan' || family === 'Genoa' || family === 'Turin' ? family : undefined;
}

/** Reads AMD's extensions from a VCEK/VLEK; FormatError('vcek-extension', oid, offset) if malformed. */
export function readVcekExtensions(cert: Certificate): VcekExtensions {
  const ext = (oid: string) => cert.extensions.find((x) => x.oid === oid)?.value;
  const out: VcekExtensions = { tcb: {} };
  const sv = ext(AMD_VCEK_OID.structVersion);
  if (sv) out.structVersion = readDerInteger(sv, AMD_VCEK_OID.structVersion);
  const pn = ext(AMD_VCEK_OID.productName);
  if (pn) {
    out.productName = readDerString(pn, AMD_VCEK_OID.productName);
    const p = productFromName(out.productName);
    if (p) out.product = p;
  }
  for (const [name, oid] of Object.entries(SPL_OID) as [keyof TcbParts, string][]) {
    const v = ext(oid);
    if (v) out.tcb[name] = readDerInteger(v, oid);
  }
  // hwID is the raw chip id inside the extnValue OCTET STRING (no inner DER), as AMD issues it.
  const hw = ext(AMD_VCEK_OID.hwID);
  if (hw) out.hwId = Uint8Array.from(hw);
  const csp = ext(AMD_VCEK_OID.cspID);
  if (csp) out.cspId = readDerString(csp, AMD_VCEK_OID.cspID);
  return out;
}

/** The extensions AMD puts in a VCEK, for `issueCertificate`. */
export function vcekExtensions(productName: string, tcb: TcbParts, hwId: Uint8Array): CertExtension[] {
  const product = productFromName(productName);
  const spls: (keyof TcbParts)[] = ['bootloader', 'tee', 'snp', 'microcode'];
  if (product === 'Turin') spls.unshift('fmc');
  return [
    { oid: AMD_VCEK_OID.structVersion, critical: false, value: derInteger(product === 'Turin' ? 1 : 0) },
    { oid: AMD_VCEK_OID.productName, critical: false, value: derIa5String(productName) },
    ...spls.map((s) => ({ oid: SPL_OID[s], critical: false, value: derInteger(tcb[s] ?? 0) })),
    { oid: AMD_VCEK_OID.hwID, critical: false, value: Uint8Array.from(hwId) },
  ];
}

// ---- putting a user's certificates in order ----

export interface OrderedChain {
  /** VCEK (or VLEK) first, then its issuers up to a self-signed root. */
  chain: Certificate[];
  /** Set when no usable chain could be built; says what is missing. */
  problem?: string;
}

/**
 * Orders certificates given in any order (separate files, or AMD's cert_chain PEM with ASK and ARK)
 * into leaf → root. The leaf is the one certificate with an EC key. A missing ASK or ARK is taken
 * from `known` (AMD's public ASKs, the pinned roots) by subject name; pinning is still checked by the
 * chain verification, byte for byte.
 */
export function orderSnpChain(certs: Certificate[], known: Certificate[] = []): OrderedChain {
  const leaves = certs.filter((c) => c.publicKey.kind === 'ec');
  if (leaves.length === 0) {
    return {
      chain: [],
      problem: `no VCEK (an EC P-384 certificate) among the ${certs.length} certificates given`,
    };
  }
  if (leaves.length > 1) {
    return { chain: [], problem: `${leaves.length} EC certificates given; expected exactly one VCEK` };
  }
  const chain = [leaves[0]];
  const pool = [...certs.filter((c) => c !== leaves[0]), ...known];
  while (chain.length < 4) {
    const last = chain[chain.length - 1];
    if (last.issuer === last.subject) break;
    const next = pool.find((c) => c.subject === last.issuer && !chain.includes(c));
    if (!next) {
      return { chain, problem: `no certificate for '${last.issuer}', the issuer of '${last.subject}'` };
    }
    chain.push(next);
  }
  return { chain };
}

// ---- the simulated chain ----

const DEMO_ORG = {
  OU: 'Engineering (DEMO - not AMD)',
  C: 'US',
  L: 'Santa Clara',
  ST: 'CA',
  O: 'Advanced Micro Devices (DEMO)',
};
/** Subject names of the simulated chain, AMD's attribute order, labelled DEMO. */
export const DEMO_AMD_NAMES = {
  ark: { ...DEMO_ORG, CN: 'ARK-Demo' },
  ask: { ...DEMO_ORG, CN: 'SEV-Demo' },
  vcek: { ...DEMO_ORG, CN: 'SEV-VCEK' },
} as const;
const DEMO_VALIDITY = {
  notBefore: new Date('2025-01-01T00:00:00Z'),
  notAfter: new Date('2050-01-01T00:00:00Z'),
};
const VCEK_VALIDITY = {
  notBefore: new Date('2025-01-01T00:00:00Z'),
  notAfter: new Date('2045-01-01T00:00:00Z'),
};
const DEMO_PRODUCT_NAME: Record<SnpProduct, string> = {
  Milan: 'Milan-B0',
  Genoa: 'Genoa-B1',
  Turin: 'Turin',
};

let demoArk: Uint8Array | undefined;
let demoAsk: Uint8Array | undefined;

/**
 * The demo ARK certificate (self-signed with the demo ARK key). Fixed bytes, independent of any
 * scenario seed, so that it can be pinned (amd-roots.ts DEMO_ARK_PEM holds the same bytes).
 */
export function issueDemoArk(): Uint8Array {
  demoArk ??= issueCertificate(
    {
      ...DEMO_VALIDITY,
      serialNumber: Uint8Array.of(0x01, 0x00, 0x00),
      subject: DEMO_AMD_NAMES.ark,
      issuer: DEMO_AMD_NAMES.ark,
      publicKey: { kind: 'rsa', key: DEMO_AMD_KEYS.ark },
      isCA: true,
    },
    {
      kind: 'rsa-pss',
      privateKey: DEMO_AMD_KEYS.ark,
      hash: 'sha384',
      salt: seededDrbg('demo-amd-ark').generate(48),
    },
  );
  return Uint8Array.from(demoArk);
}

/** The demo ASK certificate, signed by the demo ARK; fixed bytes like the ARK. */
export function issueDemoAsk(): Uint8Array {
  demoAsk ??= issueCertificate(
    {
      ...DEMO_VALIDITY,
      serialNumber: Uint8Array.of(0x01, 0x00, 0x01),
      subject: DEMO_AMD_NAMES.ask,
      issuer: DEMO_AMD_NAMES.ark,
      publicKey: { kind: 'rsa', key: DEMO_AMD_KEYS.ask },
      isCA: true,
    },
    {
      kind: 'rsa-pss',
      privateKey: DEMO_AMD_KEYS.ark,
      hash: 'sha384',
      salt: seededDrbg('demo-amd-ask').generate(48),
    },
  );
  return Uint8Array.from(demoAsk);
}

/** A simulated chip: its secret never leaves the simulated AMD-SP; CHIP_ID is derived from it. */
export interface DemoSnpChip {
  product: SnpProduct;
  /** Simulated chip-unique secret (in hardware it is fused and never readable). */
  secret: Uint8Array;
  /** CHIP_ID as the report carries it (Turin: 8 bytes, then 56 zero bytes). */
  chipId: Uint8Array;
}

export function demoSnpChip(seed: Seed, product: SnpProduct = 'Milan'): DemoSnpChip {
  const secret = seededDrbg(seed, 'ccte/sev-snp/chip').generate(48);
  const id = digest('sha512', concatBytes(utf8('CHIP_ID'), secret));
  const chipId = product === 'Turin' ? concatBytes(id.subarray(0, 8), new Uint8Array(56)) : id;
  return { product, secret, chipId };
}

function le64(n: bigint): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, n, true);
  return b;
}

/**
 * The VCEK key for (chip, TCB): like the AMD-SP, derived from the chip secret and the TCB, so a
 * firmware rollback or update gives another key, and the same inputs the same key.
 */
export function deriveDemoVcek(chip: DemoSnpChip, tcb: SnpTcb): KeyPair {
  return generateKeyPair('p384', new HmacDrbg('sha384', chip.secret, le64(tcb.raw), utf8('ccte/vcek')));
}

/** The VCEK certificate for (chip, TCB), signed by the demo ASK; `salt` seeds the PSS salt and serial. */
export function issueDemoVcek(
  chip: DemoSnpChip,
  tcb: SnpTcb,
  salt: HmacDrbg,
): { key: KeyPair; der: Uint8Array } {
  const key = deriveDemoVcek(chip, tcb);
  const hwId = chip.product === 'Turin' ? chip.chipId.subarray(0, 8) : chip.chipId;
  const der = issueCertificate(
    {
      ...VCEK_VALIDITY,
      serialNumber: Uint8Array.of(0x01, ...salt.generate(7)),
      subject: DEMO_AMD_NAMES.vcek,
      issuer: DEMO_AMD_NAMES.ask,
      publicKey: { kind: 'ec', curve: 'p384', point: key.publicKey },
      isCA: false,
      extensions: vcekExtensions(DEMO_PRODUCT_NAME[chip.product], tcb, hwId),
    },
    { kind: 'rsa-pss', privateKey: DEMO_AMD_KEYS.ask, hash: 'sha384', salt: salt.generate(48) },
  );
  return { key, der };
}

/** CPUID family/model/stepping per product, for version 3+ reports. */
export const DEMO_CPUID: Record<SnpProduct, SnpCpuid> = {
  Milan: { family: 0x19, model: 0x01, stepping: 0x01 },
  Genoa: { family: 0x19, model: 0x11, stepping: 0x01 },
  Turin: { family: 0x1a, model: 0x02, stepping: 0x01 },
};

export interface DemoSnpOptions {
  product?: SnpProduct;
  version?: 2 | 3 | 4 | 5;
  /** Launch digest (48 bytes); default: drawn from the seed. */
  measurement?: Uint8Array;
  /** Up to 64 bytes (the verifier's nonce, or a hash binding it); zero-padded. */
  reportData?: Uint8Array;
  /** Up to 32 bytes chosen by the host at launch (e.g. an init-data digest); zero-padded. */
  hostData?: Uint8Array;
  policy?: GuestPolicyFlags | SnpGuestPolicy;
  /** REPORTED = CURRENT = COMMITTED = LAUNCH TCB; default a recent Milan-like TCB. */
  tcb?: TcbParts;
  platformInfo?: Partial<Record<keyof Omit<SnpPlatformInfo, 'raw' | 'unknownBits'>, boolean>>;
  vmpl?: number;
  guestSvn?: number;
  familyId?: Uint8Array;
  imageId?: Uint8Array;
  idKeyDigest?: Uint8Array;
  authorKeyDigest?: Uint8Array;
  /** The host asked the firmware to mask CHIP_ID (it is then all zeros). */
  maskChipId?: boolean;
  firmware?: FirmwareVersion;
}

export interface DemoSnpEvidence {
  /** The signed 1184-byte ATTESTATION_REPORT. */
  report: Uint8Array;
  /** The fields it was encoded from. */
  fields: SnpReport;
  /** DER certificates: VCEK (per chip and TCB), demo ASK, demo ARK. */
  vcek: Uint8Array;
  ask: Uint8Array;
  ark: Uint8Array;
  /** The simulated VCEK key pair (the AMD-SP's; a simulation may sign further reports with it). */
  vcekKey: KeyPair;
  chip: DemoSnpChip;
}

export const DEMO_TCB: Record<SnpProduct, TcbParts> = {
  Milan: { bootloader: 4, tee: 0, snp: 23, microcode: 213 },
  Genoa: { bootloader: 9, tee: 0, snp: 23, microcode: 72 },
  Turin: { fmc: 1, bootloader: 1, tee: 1, snp: 1, microcode: 12 },
};

function padded(value: Uint8Array | undefined, length: number, name: string): Uint8Array {
  const out = new Uint8Array(length);
  if (value === undefined) return out;
  if (!(value instanceof Uint8Array) || value.length > length) {
    throw new RangeError(`${name}: expected at most ${length} bytes`);
  }
  out.set(value);
  return out;
}

/**
 * A complete simulated SEV-SNP evidence bundle for `seed`: a signed report and its VCEK → ASK → ARK
 * chain, all real formats (OpenSSL verifies the signature and the certificates). The same seed and
 * options give the same bytes.
 */
export function demoSnpEvidence(seed: Seed, opts: DemoSnpOptions = {}): DemoSnpEvidence {
  const product = opts.product ?? 'Milan';
  const version = opts.version ?? 3;
  const layout = tcbLayoutOf(product);
  const tcb = makeTcb(layout, opts.tcb ?? DEMO_TCB[product]);
  const chip = demoSnpChip(seed, product);
  const root = seededDrbg(seed, 'ccte/sev-snp/report');
  const ids = root.fork('report-id');
  const launch = root.fork('measurement');
  const certSalt = root.fork(`vcek-cert:${tcb.raw}`);
  const { key, der } = issueDemoVcek(chip, tcb, certSalt);
  const policy =
    opts.policy && 'raw' in opts.policy ? opts.policy : makeGuestPolicy(opts.policy ?? { smt: true });
  const firmware = opts.firmware ?? { major: 1, minor: 55, build: 21 };
  const fields: SnpReport = {
    version,
    guestSvn: opts.guestSvn ?? 0,
    policy,
    familyId: padded(opts.familyId, 16, 'familyId'),
    imageId: padded(opts.imageId, 16, 'imageId'),
    vmpl: opts.vmpl ?? 0,
    signatureAlgo: 1,
    currentTcb: tcb,
    platformInfo: makePlatformInfo(opts.platformInfo ?? { smtEnabled: true, tsmeEnabled: false }),
    signerInfo: makeSignerInfo({
      maskChipKey: opts.maskChipId ?? false,
      authorKeyEn: opts.authorKeyDigest !== undefined,
    }),
    reportData: padded(opts.reportData, 64, 'reportData'),
    measurement: opts.measurement ? padded(opts.measurement, 48, 'measurement') : launch.generate(48),
    hostData: padded(opts.hostData, 32, 'hostData'),
    idKeyDigest: padded(opts.idKeyDigest, 48, 'idKeyDigest'),
    authorKeyDigest: padded(opts.authorKeyDigest, 48, 'authorKeyDigest'),
    reportId: ids.generate(32),
    // No migration agent is bound: the firmware reports REPORT_ID_MA as all ones.
    reportIdMa: policy.migrateMa ? ids.generate(32) : new Uint8Array(32).fill(0xff),
    reportedTcb: tcb,
    ...(version >= 3 ? { cpuid: DEMO_CPUID[product] } : {}),
    chipId: opts.maskChipId ? new Uint8Array(64) : Uint8Array.from(chip.chipId),
    committedTcb: tcb,
    currentVersion: firmware,
    committedVersion: firmware,
    launchTcb: tcb,
    ...(version >= 5 ? { launchMitVector: 0n, currentMitVector: 0n } : {}),
    signature: new Uint8Array(512),
  };
  const report = signSnpReport(encodeSnpReport(fields), key.privateKey);
  return {
    report,
    fields: { ...fields, signature: report.slice(0x2a0) },
    vcek: der,
    ask: issueDemoAsk(),
    ark: issueDemoArk(),
    vcekKey: key,
    chip,
  };
}

/** Parsed forms of a demo bundle's certificates, leaf first. */
export function demoChainCertificates(e: Pick<DemoSnpEvidence, 'vcek' | 'ask' | 'ark'>): Certificate[] {
  return [e.vcek, e.ask, e.ark].map(parseCertificate);
}
