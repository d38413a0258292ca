/**
 * Intel TDX quote, version 4 (ECDSA-256 with P-256), as the TD Quoting Enclave emits it and DCAP
 * verifiers read it: a 48-byte header, the 584-byte TD report body, then the quote signature data
 * (ECDSA signature by the attestation key, the key itself, and certification data type 6 = QE report,
 * its PCK signature, QE authentication data and certification data type 5 = the PEM PCK chain).
 *
 * This module decodes and encodes byte for byte; what a value must be to be trusted (debug, TCB,
 * measurements) is for core/verify/tdx.ts. Offsets follow Intel's "TDX DCAP Quote Generation Library
 * and Quote Verification Library" quote v4 tables, cross-checked with google/go-tdx-guest abi/abi.go.
 */
import { assertBytes } from '../crypto/bytes';
import { Reader } from '../binary';
import { FormatError } from '../errors';
import { parseCertificate, type Certificate } from './x509';

const FORMAT = 'tdx-quote';

export const TDX_QUOTE_VERSION = 4;
/** Attestation key type 2 = ECDSA-256-with-P-256 (3 would be P-384, which no Intel QE uses). */
export const ECDSA_P256_KEY_TYPE = 2;
/** TEE type 0x81 = TDX; 0x00 is an SGX quote, which has a different body. */
export const TEE_TYPE_TDX = 0x81;
/** Certification data types from the DCAP quote format. */
export const QE_REPORT_CERTIFICATION_DATA = 6;
export const PCK_CHAIN_CERTIFICATION_DATA = 5;
/** Intel's QE vendor ID 939A7233-F79C-4CA9-940A-0DB3957F0607, as the header carries it. */
export const INTEL_QE_VENDOR_ID = Uint8Array.of(
  0x93,
  0x9a,
  0x72,
  0x33,
  0xf7,
  0x9c,
  0x4c,
  0xa9,
  0x94,
  0x0a,
  0x0d,
  0xb3,
  0x95,
  0x7f,
  0x06,
  0x07,
);

/**
 * [start, end) of every fixed-position field, in bytes from the start of the quote. The hex view reads
 * it to highlight fields, and the verifier cites it in its reasons. Fields after the QE authentication
 * data move with its length: see `tdxQuoteRanges`.
 */
export const TDX_QUOTE_LAYOUT = {
  // header (48 bytes)
  version: [0x000, 0x002],
  attestationKeyType: [0x002, 0x004],
  teeType: [0x004, 0x008],
  // Intel's v4 table marks bytes 8–11 reserved; the SGX v3 header had QE SVN and PCE SVN there, and
  // some parsers still read them so (go-tdx-guest in the opposite order). We keep both words as they are.
  qeSvn: [0x008, 0x00a],
  pceSvn: [0x00a, 0x00c],
  qeVendorId: [0x00c, 0x01c],
  userData: [0x01c, 0x030],
  header: [0x000, 0x030],
  // TD report body (584 bytes), what the TDX module put in TDREPORT
  teeTcbSvn: [0x030, 0x040],
  mrSeam: [0x040, 0x070],
  mrSignerSeam: [0x070, 0x0a0],
  seamAttributes: [0x0a0, 0x0a8],
  tdAttributes: [0x0a8, 0x0b0],
  xfam: [0x0b0, 0x0b8],
  mrTd: [0x0b8, 0x0e8],
  mrConfigId: [0x0e8, 0x118],
  mrOwner: [0x118, 0x148],
  mrOwnerConfig: [0x148, 0x178],
  rtmr0: [0x178, 0x1a8],
  rtmr1: [0x1a8, 0x1d8],
  rtmr2: [0x1d8, 0x208],
  rtmr3: [0x208, 0x238],
  reportData: [0x238, 0x278],
  body: [0x030, 0x278],
  /** What the attestation key signs: header ‖ TD report body. */
  signed: [0x000, 0x278],
  signatureDataLength: [0x278, 0x27c],
  // quote signature data
  signature: [0x27c, 0x2bc],
  attestationKey: [0x2bc, 0x2fc],
  certificationDataType: [0x2fc, 0x2fe],
  certificationDataSize: [0x2fe, 0x302],
  qeReport: [0x302, 0x482],
  qeReportSignature: [0x482, 0x4c2],
  qeAuthDataSize: [0x4c2, 0x4c4],
} as const satisfies Record<string, readonly [number, number]>;

export type TdxFixedField = keyof typeof TDX_QUOTE_LAYOUT;
export type TdxField =
  TdxFixedField | 'qeAuthData' | 'pckChainType' | 'pckChainSize' | 'pckChain' | 'extraBytes';
export type ByteRange = readonly [number, number];

/** The QE report is an SGX REPORT_BODY (384 bytes); offsets relative to its start. */
export const QE_REPORT_LAYOUT = {
  cpuSvn: [0x000, 0x010],
  miscSelect: [0x010, 0x014],
  reserved1: [0x014, 0x030],
  attributes: [0x030, 0x040],
  mrEnclave: [0x040, 0x060],
  reserved2: [0x060, 0x080],
  mrSigner: [0x080, 0x0a0],
  reserved3: [0x0a0, 0x100],
  isvProdId: [0x100, 0x102],
  isvSvn: [0x102, 0x104],
  reserved4: [0x104, 0x140],
  reportData: [0x140, 0x180],
} as const satisfies Record<string, readonly [number, number]>;

export const QE_REPORT_SIZE = 0x180;
export const TDX_SIGNED_END = TDX_QUOTE_LAYOUT.signed[1];

/** TD_ATTRIBUTES bits (TDX module ABI): TUD bits 0–7, SEC bits 8–31, OTHER bits 32–63. */
export const TD_ATTRIBUTE_BITS = {
  /** The host can read and write TD private memory and state through debug SEAMCALLs. */
  debug: 0,
  /** EPT violations on pending pages are not turned into #VE (guest asked for it). */
  septVeDisable: 28,
  pks: 30,
  kl: 31,
  perfmon: 63,
} as const;
export type TdAttributeName = keyof typeof TD_ATTRIBUTE_BITS;

export function tdAttributeFlags(tdAttributes: bigint): Record<TdAttributeName, boolean> {
  const out = {} as Record<TdAttributeName, boolean>;
  for (const [name, bit] of Object.entries(TD_ATTRIBUTE_BITS) as [TdAttributeName, number][]) {
    out[name] = ((tdAttributes >> BigInt(bit)) & 1n) === 1n;
  }
  return out;
}

export interface TdxQuoteHeader {
  version: number;
  attestationKeyType: number;
  teeType: number;
  qeSvn: number;
  pceSvn: number;
  qeVendorId: Uint8Array;
  userData: Uint8Array;
}

export interface TdReportBody {
  teeTcbSvn: Uint8Array;
  mrSeam: Uint8Array;
  mrSignerSeam: Uint8Array;
  seamAttributes: bigint;
  tdAttributes: bigint;
  xfam: bigint;
  mrTd: Uint8Array;
  mrConfigId: Uint8Array;
  mrOwner: Uint8Array;
  mrOwnerConfig: Uint8Array;
  /** RTMR0–3, 48 bytes each. */
  rtmrs: readonly Uint8Array[];
  reportData: Uint8Array;
}

/** The QE's SGX report: who the Quoting Enclave is, and (REPORTDATA) which attestation key it vouches for. */
export interface QeReport {
  cpuSvn: Uint8Array;
  miscSelect: number;
  attributes: Uint8Array;
  mrEnclave: Uint8Array;
  mrSigner: Uint8Array;
  isvProdId: number;
  isvSvn: number;
  reportData: Uint8Array;
}

export interface TdxQuote {
  header: TdxQuoteHeader;
  body: TdReportBody;
  /** ECDSA r‖s (32 + 32 bytes, big-endian) by the attestation key over header ‖ body. */
  signature: Uint8Array;
  /** The attestation key's public point X‖Y (64 bytes, no 0x04 prefix). */
  attestationKey: Uint8Array;
  qeReport: QeReport;
  /** ECDSA r‖s by the PCK key over the 384 QE report bytes. */
  qeReportSignature: Uint8Array;
  /** Bound into QE REPORTDATA together with the attestation key. */
  qeAuthData: Uint8Array;
  /** The PEM text of PCK certificate → PCK Platform/Processor CA → Intel SGX Root CA, as bytes. */
  pckChainPem: Uint8Array;
  /**
   * Bytes after the declared signature data. Nothing signs them; only kept when the caller asks
   * (`extraBytes: 'keep'`), e.g. for quotes delivered in a larger, padded buffer.
   */
  extraBytes: Uint8Array;
}

export interface DecodeTdxOptions {
  /** 'refuse' (default): bytes after the signature data are a FormatError. 'keep': returned as extraBytes. */
  extraBytes?: 'refuse' | 'keep';
}

const SIZES = {
  qeVendorId: 16,
  userData: 20,
  teeTcbSvn: 16,
  measurement: 48,
  reportData: 64,
  signature: 64,
  attestationKey: 64,
  cpuSvn: 16,
  attributes: 16,
  enclaveHash: 32,
} as const;

function decodeQeReport(r: Reader): QeReport {
  const cpuSvn = r.take('qeReport.cpuSvn', SIZES.cpuSvn);
  const miscSelect = r.u32('qeReport.miscSelect');
  r.zeros('qeReport.reserved1', 28);
  const attributes = r.take('qeReport.attributes', SIZES.attributes);
  const mrEnclave = r.take('qeReport.mrEnclave', SIZES.enclaveHash);
  r.zeros('qeReport.reserved2', 32);
  const mrSigner = r.take('qeReport.mrSigner', SIZES.enclaveHash);
  r.zeros('qeReport.reserved3', 96);
  const isvProdId = r.u16('qeReport.isvProdId');
  const isvSvn = r.u16('qeReport.isvSvn');
  r.zeros('qeReport.reserved4', 60);
  const reportData = r.take('qeReport.reportData', SIZES.reportData);
  return { cpuSvn, miscSelect, attributes, mrEnclave, mrSigner, isvProdId, isvSvn, reportData };
}

/**
 * Decodes a TDX quote v4. Every error is a FormatError naming the field and its byte offset; lengths
 * must agree exactly (signature data = 128 + certification data; type 6 data = QE report … PCK chain),
 * and bytes after the signature data are refused unless `extraBytes: 'keep'`.
 */
export function decodeTdxQuote(bytes: Uint8Array, opts: DecodeTdxOptions = {}): TdxQuote {
  assertBytes(bytes, 'quote');
  const L = TDX_QUOTE_LAYOUT;
  const r = new Reader(bytes, FORMAT, 'le');
  const version = r.u16('version');
  if (version !== TDX_QUOTE_VERSION) {
    throw new FormatError(FORMAT, 'version', L.version[0], `expected 4 (quote v4), found ${version}`);
  }
  const attestationKeyType = r.u16('attestationKeyType');
  if (attestationKeyType !== ECDSA_P256_KEY_TYPE) {
    throw new FormatError(
      FORMAT,
      'attestationKeyType',
      L.attestationKeyType[0],
      `expected 2 (ECDSA-256-with-P-256), found ${attestationKeyType}`,
    );
  }
  const teeType = r.u32('teeType');
  if (teeType !== TEE_TYPE_TDX) {
    throw new FormatError(
      FORMAT,
      'teeType',
      L.teeType[0],
      `expected 0x81 (TDX), found 0x${teeType.toString(16)}${teeType === 0 ? ' (an SGX quote)' : ''}`,
    );
  }
  const header: TdxQuoteHeader = {
    version,
    attestationKeyType,
    teeType,
    qeSvn: r.u16('qeSvn'),
    pceSvn: r.u16('pceSvn'),
    qeVendorId: r.take('qeVendorId', SIZES.qeVendorId),
    userData: r.take('userData', SIZES.userData),
  };
  const body: TdReportBody = {
    teeTcbSvn: r.take('teeTcbSvn', SIZES.teeTcbSvn),
    mrSeam: r.take('mrSeam', SIZES.measurement),
    mrSignerSeam: r.take('mrSignerSeam', SIZES.measurement),
    seamAttributes: r.u64('seamAttributes'),
    tdAttributes: r.u64('tdAttributes'),
    xfam: r.u64('xfam'),
    mrTd: r.take('mrTd', SIZES.measurement),
    mrConfigId: r.take('mrConfigId', SIZES.measurement),
    mrOwner: r.take('mrOwner', SIZES.measurement),
    mrOwnerConfig: r.take('mrOwnerConfig', SIZES.measurement),
    rtmrs: [0, 1, 2, 3].map((i) => r.take(`rtmr${i}`, SIZES.measurement)),
    reportData: r.take('reportData', SIZES.reportData),
  };

  const declared = r.u32('signatureDataLength');
  if (declared > r.remaining) {
    throw new FormatError(
      FORMAT,
      'signatureDataLength',
      L.signatureDataLength[0],
      `declares ${declared} bytes of signature data, only ${r.remaining} follow (truncated)`,
    );
  }
  const signedDataEnd = r.offset + declared;
  // A reader that ends where the declared signature data ends, so no field can run past it.
  const s = new Reader(bytes.subarray(0, signedDataEnd), FORMAT, 'le', r.offset);
  const signature = s.take('signature', SIZES.signature);
  const attestationKey = s.take('attestationKey', SIZES.attestationKey);
  const certType = s.u16('certificationDataType');
  if (certType !== QE_REPORT_CERTIFICATION_DATA) {
    throw new FormatError(
      FORMAT,
      'certificationDataType',
      L.certificationDataType[0],
      `expected 6 (QE report certification data), found ${certType}`,
    );
  }
  const certSize = s.u32('certificationDataSize');
  if (certSize !== s.remaining) {
    throw new FormatError(
      FORMAT,
      'certificationDataSize',
      L.certificationDataSize[0],
      `declares ${certSize} bytes, the signature data leaves exactly ${s.remaining}`,
    );
  }
  const qeReport = decodeQeReport(s);
  const qeReportSignature = s.take('qeReportSignature', SIZES.signature);
  const authSize = s.u16('qeAuthDataSize');
  const qeAuthData = s.take('qeAuthData', authSize);
  const pckTypeAt = s.offset;
  const pckType = s.u16('pckChainType');
  if (pckType !== PCK_CHAIN_CERTIFICATION_DATA) {
    throw new FormatError(
      FORMAT,
      'pckChainType',
      pckTypeAt,
      `expected 5 (PCK certificate chain), found ${pckType}`,
    );
  }
  const pckSizeAt = s.offset;
  const pckSize = s.u32('pckChainSize');
  if (pckSize !== s.remaining) {
    throw new FormatError(
      FORMAT,
      'pckChainSize',
      pckSizeAt,
      `declares ${pckSize} bytes, the certification data leaves exactly ${s.remaining}`,
    );
  }
  const pckChainPem = s.take('pckChain', pckSize);
  s.finish();

  const extraBytes = bytes.slice(signedDataEnd);
  if (extraBytes.length > 0 && opts.extraBytes !== 'keep') {
    throw new FormatError(
      FORMAT,
      'end',
      signedDataEnd,
      `${extraBytes.length} unsigned bytes after the ${declared}-byte signature data`,
    );
  }
  return {
    header,
    body,
    signature,
    attestationKey,
    qeReport,
    qeReportSignature,
    qeAuthData,
    pckChainPem,
    extraBytes,
  };
}

function checkLength(value: Uint8Array, name: string, length: number): void {
  assertBytes(value, name, length);
}

function checkUint(value: number, name: string, bits: 16 | 32): void {
  if (!Number.isInteger(value) || value < 0 || value >= 2 ** bits) {
    throw new RangeError(`${name}: expected an unsigned ${bits}-bit integer, got ${value}`);
  }
}

function checkU64(value: bigint, name: string): void {
  if (typeof value !== 'bigint' || value < 0n || value >= 1n << 64n) {
    throw new RangeError(`${name}: expected an unsigned 64-bit bigint, got ${String(value)}`);
  }
}

/**
 * Writes fields at the offsets of a layout table into a buffer of known size, so the same table
 * drives decoding, encoding and the hex view. (Unwritten bytes stay zero: the reserved fields.)
 */
class Placer {
  readonly out: Uint8Array;
  private readonly view: DataView;

  constructor(
    size: number,
    private readonly base = 0,
  ) {
    this.out = new Uint8Array(size);
    this.view = new DataView(this.out.buffer);
  }

  bytes(range: ByteRange, value: Uint8Array): this {
    this.out.set(value, range[0] - this.base);
    return this;
  }

  u16(range: ByteRange, value: number): this {
    this.view.setUint16(range[0] - this.base, value, true);
    return this;
  }

  u32(range: ByteRange, value: number): this {
    this.view.setUint32(range[0] - this.base, value, true);
    return this;
  }

  u64(range: ByteRange, value: bigint): this {
    this.view.setBigUint64(range[0] - this.base, value, true);
    return this;
  }
}

/** The 384 bytes of a QE report, as the PCK key signs them. */
export function encodeQeReport(q: QeReport): Uint8Array {
  checkLength(q.cpuSvn, 'qeReport.cpuSvn', SIZES.cpuSvn);
  checkUint(q.miscSelect, 'qeReport.miscSelect', 32);
  checkLength(q.attributes, 'qeReport.attributes', SIZES.attributes);
  checkLength(q.mrEnclave, 'qeReport.mrEnclave', SIZES.enclaveHash);
  checkLength(q.mrSigner, 'qeReport.mrSigner', SIZES.enclaveHash);
  checkUint(q.isvProdId, 'qeReport.isvProdId', 16);
  checkUint(q.isvSvn, 'qeReport.isvSvn', 16);
  checkLength(q.reportData, 'qeReport.reportData', SIZES.reportData);
  const L = QE_REPORT_LAYOUT;
  return new Placer(QE_REPORT_SIZE)
    .bytes(L.cpuSvn, q.cpuSvn)
    .u32(L.miscSelect, q.miscSelect)
    .bytes(L.attributes, q.attributes)
    .bytes(L.mrEnclave, q.mrEnclave)
    .bytes(L.mrSigner, q.mrSigner)
    .u16(L.isvProdId, q.isvProdId)
    .u16(L.isvSvn, q.isvSvn)
    .bytes(L.reportData, q.reportData).out;
}

/** Header ‖ TD report body: the 632 bytes the attestation key signs. */
export function encodeTdxSignedPart(header: TdxQuoteHeader, body: TdReportBody): Uint8Array {
  checkUint(header.version, 'header.version', 16);
  checkUint(header.attestationKeyType, 'header.attestationKeyType', 16);
  checkUint(header.teeType, 'header.teeType', 32);
  checkUint(header.qeSvn, 'header.qeSvn', 16);
  checkUint(header.pceSvn, 'header.pceSvn', 16);
  checkLength(header.qeVendorId, 'header.qeVendorId', SIZES.qeVendorId);
  checkLength(header.userData, 'header.userData', SIZES.userData);
  checkLength(body.teeTcbSvn, 'body.teeTcbSvn', SIZES.teeTcbSvn);
  for (const f of ['mrSeam', 'mrSignerSeam', 'mrTd', 'mrConfigId', 'mrOwner', 'mrOwnerConfig'] as const) {
    checkLength(body[f], `body.${f}`, SIZES.measurement);
  }
  checkU64(body.seamAttributes, 'body.seamAttributes');
  checkU64(body.tdAttributes, 'body.tdAttributes');
  checkU64(body.xfam, 'body.xfam');
  if (body.rtmrs.length !== 4) throw new RangeError(`body.rtmrs: expected 4 RTMRs, got ${body.rtmrs.length}`);
  body.rtmrs.forEach((m, i) => checkLength(m, `body.rtmrs[${i}]`, SIZES.measurement));
  checkLength(body.reportData, 'body.reportData', SIZES.reportData);
  const L = TDX_QUOTE_LAYOUT;
  return new Placer(TDX_SIGNED_END)
    .u16(L.version, header.version)
    .u16(L.attestationKeyType, header.attestationKeyType)
    .u32(L.teeType, header.teeType)
    .u16(L.qeSvn, header.qeSvn)
    .u16(L.pceSvn, header.pceSvn)
    .bytes(L.qeVendorId, header.qeVendorId)
    .bytes(L.userData, header.userData)
    .bytes(L.teeTcbSvn, body.teeTcbSvn)
    .bytes(L.mrSeam, body.mrSeam)
    .bytes(L.mrSignerSeam, body.mrSignerSeam)
    .u64(L.seamAttributes, body.seamAttributes)
    .u64(L.tdAttributes, body.tdAttributes)
    .u64(L.xfam, body.xfam)
    .bytes(L.mrTd, body.mrTd)
    .bytes(L.mrConfigId, body.mrConfigId)
    .bytes(L.mrOwner, body.mrOwner)
    .bytes(L.mrOwnerConfig, body.mrOwnerConfig)
    .bytes(L.rtmr0, body.rtmrs[0])
    .bytes(L.rtmr1, body.rtmrs[1])
    .bytes(L.rtmr2, body.rtmrs[2])
    .bytes(L.rtmr3, body.rtmrs[3])
    .bytes(L.reportData, body.reportData).out;
}

/** Encodes a quote; lengths are computed from the contents, so decode(encode(q)) = q and back. */
export function encodeTdxQuote(q: TdxQuote): Uint8Array {
  checkLength(q.signature, 'signature', SIZES.signature);
  checkLength(q.attestationKey, 'attestationKey', SIZES.attestationKey);
  checkLength(q.qeReportSignature, 'qeReportSignature', SIZES.signature);
  assertBytes(q.qeAuthData, 'qeAuthData');
  if (q.qeAuthData.length > 0xffff) {
    throw new RangeError(`qeAuthData: at most 65535 bytes (u16 length), got ${q.qeAuthData.length}`);
  }
  assertBytes(q.pckChainPem, 'pckChainPem');
  assertBytes(q.extraBytes, 'extraBytes');
  const L = TDX_QUOTE_LAYOUT;
  const ranges = tdxQuoteRanges(q);
  const certSize = ranges.pckChain[1] - L.qeReport[0];
  const sigDataSize = ranges.pckChain[1] - L.signature[0];
  if (sigDataSize >= 2 ** 32) throw new RangeError('pckChainPem: quote signature data exceeds 4 GiB');
  return new Placer(ranges.extraBytes[1])
    .bytes(L.signed, encodeTdxSignedPart(q.header, q.body))
    .u32(L.signatureDataLength, sigDataSize)
    .bytes(L.signature, q.signature)
    .bytes(L.attestationKey, q.attestationKey)
    .u16(L.certificationDataType, QE_REPORT_CERTIFICATION_DATA)
    .u32(L.certificationDataSize, certSize)
    .bytes(L.qeReport, encodeQeReport(q.qeReport))
    .bytes(L.qeReportSignature, q.qeReportSignature)
    .u16(L.qeAuthDataSize, q.qeAuthData.length)
    .bytes(ranges.qeAuthData, q.qeAuthData)
    .u16(ranges.pckChainType, PCK_CHAIN_CERTIFICATION_DATA)
    .u32(ranges.pckChainSize, q.pckChainPem.length)
    .bytes(ranges.pckChain, q.pckChainPem)
    .bytes(ranges.extraBytes, q.extraBytes).out;
}

/**
 * [start, end) of every field of this quote, fixed and variable (QE auth data, PCK chain, extra
 * bytes), for the hex view and for the verifier's reasons.
 */
export function tdxQuoteRanges(q: TdxQuote): Record<TdxField, ByteRange> {
  const authEnd = TDX_QUOTE_LAYOUT.qeAuthDataSize[1] + q.qeAuthData.length;
  const pckStart = authEnd + 6;
  const pckEnd = pckStart + q.pckChainPem.length;
  return {
    ...TDX_QUOTE_LAYOUT,
    qeAuthData: [TDX_QUOTE_LAYOUT.qeAuthDataSize[1], authEnd],
    pckChainType: [authEnd, authEnd + 2],
    pckChainSize: [authEnd + 2, pckStart],
    pckChain: [pckStart, pckEnd],
    extraBytes: [pckEnd, pckEnd + q.extraBytes.length],
  };
}

/** [start, end) of a QE report field, in bytes from the start of the quote. */
export function qeReportRange(field: keyof typeof QE_REPORT_LAYOUT): ByteRange {
  const base = TDX_QUOTE_LAYOUT.qeReport[0];
  const [s, e] = QE_REPORT_LAYOUT[field];
  return [base + s, base + e];
}

export interface PckCertificate {
  certificate: Certificate;
  /** [start, end) of its PEM block in the quote. */
  range: ByteRange;
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\r\n\t ]*)-----END CERTIFICATE-----/y;
const BETWEEN_BLOCKS = /[\r\n\t \0]*/y;

/**
 * The certificates of the type 5 PEM chain, leaf first, each with the byte range of its PEM block.
 * Only PEM CERTIFICATE blocks separated by whitespace (and NUL padding, which some quote generators
 * leave) are accepted; anything else is a FormatError at its offset in the quote.
 */
export function readPckChain(q: TdxQuote): PckCertificate[] {
  const base = tdxQuoteRanges(q).pckChain[0];
  const pem = q.pckChainPem;
  // One character per byte, so an index in the text is an offset in the quote.
  let text = '';
  for (let i = 0; i < pem.length; i += 8192) {
    text += String.fromCharCode(...pem.subarray(i, Math.min(pem.length, i + 8192)));
  }
  const out: PckCertificate[] = [];
  let at = 0;
  for (;;) {
    BETWEEN_BLOCKS.lastIndex = at;
    BETWEEN_BLOCKS.exec(text);
    at = BETWEEN_BLOCKS.lastIndex;
    if (at >= text.length) break;
    PEM_BLOCK.lastIndex = at;
    const m = PEM_BLOCK.exec(text);
    if (!m) {
      throw new FormatError(
        FORMAT,
        `pckChain certificate ${out.length + 1}`,
        base + at,
        'expected a PEM "-----BEGIN CERTIFICATE-----" block with base64 inside',
      );
    }
    let der: Uint8Array;
    let certificate: Certificate;
    try {
      der = decodeBase64Strict(m[1]);
      certificate = parseCertificate(der);
    } catch (e) {
      throw new FormatError(
        FORMAT,
        `pckChain certificate ${out.length + 1}`,
        base + at,
        `not a readable certificate (${(e as Error).message})`,
      );
    }
    out.push({ certificate, range: [base + at, base + PEM_BLOCK.lastIndex] });
    at = PEM_BLOCK.lastIndex;
  }
  if (out.length === 0) {
    throw new FormatError(FORMAT, 'pckChain', base, 'no PEM certificate in the PCK certificate chain');
  }
  return out;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * Base64 that refuses non-canonical text: padding only at the end, and unused low bits of the last
 * character must be zero. Otherwise two different PEM texts would carry the same certificate, and a
 * changed byte in the quote could go unnoticed.
 */
function decodeBase64Strict(body: string): Uint8Array {
  const clean = body.replace(/[\r\n\t ]+/g, '');
  const m = /^([A-Za-z0-9+/]*)(={0,2})$/.exec(clean);
  if (!m || clean.length % 4 !== 0) throw new RangeError('malformed base64 (length or padding)');
  const data = m[1];
  const out = new Uint8Array(Math.floor((data.length * 6) / 8));
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (const c of data) {
    acc = ((acc << 6) | B64.indexOf(c)) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  if ((acc & ((1 << bits) - 1)) !== 0) throw new RangeError('non-canonical base64 (unused bits set)');
  return out;
}
