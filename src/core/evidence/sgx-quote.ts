/**
 * Intel SGX ECDSA quote, version 3 (DCAP), as the Quoting Enclave (QE) produces it from an enclave's
 * EREPORT: a 48-byte header, the enclave's 384-byte report body, then the signature data — the
 * attestation key's ECDSA P-256 signature over header ‖ body, the attestation key itself, the QE's own
 * report (which vouches for that key in its REPORTDATA) signed by the platform's PCK key, the QE
 * authentication data, and certification data type 5: the PEM chain PCK → Platform CA → Intel SGX Root
 * CA. All integers little-endian; signatures and keys raw big-endian r‖s and X‖Y.
 *
 * What the threat simulation needs from it: what is bound (MRENCLAVE, MRSIGNER, ATTRIBUTES.DEBUG,
 * REPORTDATA), who signs (attestation key ← QE report ← PCK ← Intel root) and how freshness travels
 * (the verifier's nonce inside REPORTDATA). Offsets from Intel's "SGX ECDSA Quote Library API" quote
 * format tables (sgx_quote_3_t, sgx_report_body_t), as DOMAIN.md §d restates them. Judging the values
 * is for core/verify/sgx.ts.
 */
import { Reader } from '../binary';
import { assertBytes, concatBytes, utf8 } from '../crypto/bytes';
import { seededDrbg, type Seed } from '../crypto/drbg';
import { generateKeyPair, sign, type KeyPair } from '../crypto/ecdsa';
import { digest } from '../crypto/hash';
import { MrEnclaveBuilder, mrSigner, secinfo, SECINFO_FLAGS, SGX_PAGE_SIZE } from '../measure/sgx';
import { demoIntelChain, type DemoIntelChain } from './intel-chain';
import { INTEL_QE_VENDOR_ID } from './tdx-quote';
import { derToPem } from './x509';

const FORMAT = 'sgx-quote';

export type ByteRange = readonly [number, number];

export const SGX_QUOTE_VERSION = 3;
/** Attestation key type 2 = ECDSA-256-with-P-256 (3, P-384, is defined but no Intel QE uses it). */
export const SGX_ECDSA_P256 = 2;
/** Certification data type 5: the PCK certificate chain as concatenated PEM. */
export const SGX_PCK_CHAIN_PEM = 5;
export const SGX_HEADER_SIZE = 48;
export const SGX_REPORT_BODY_SIZE = 384;

/** sgx_report_body_t, offsets relative to the body; gaps are reserved and must be zero. */
export const SGX_REPORT_BODY_LAYOUT = {
  cpuSvn: [0, 16],
  miscSelect: [16, 20],
  reserved1: [20, 32],
  isvExtProdId: [32, 48],
  attributes: [48, 64],
  mrEnclave: [64, 96],
  reserved2: [96, 128],
  mrSigner: [128, 160],
  reserved3: [160, 192],
  configId: [192, 256],
  isvProdId: [256, 258],
  isvSvn: [258, 260],
  configSvn: [260, 262],
  reserved4: [262, 304],
  isvFamilyId: [304, 320],
  reportData: [320, 384],
} as const satisfies Record<string, ByteRange>;

/** Fixed-position fields of the quote, in bytes from its start. */
export const SGX_QUOTE_LAYOUT = {
  version: [0, 2],
  attestationKeyType: [2, 4],
  reserved: [4, 8],
  qeSvn: [8, 10],
  pceSvn: [10, 12],
  qeVendorId: [12, 28],
  userData: [28, 48],
  header: [0, 48],
  body: [48, 432],
  cpuSvn: [48, 64],
  attributes: [96, 112],
  mrEnclave: [112, 144],
  mrSigner: [176, 208],
  isvProdId: [304, 306],
  isvSvn: [306, 308],
  reportData: [368, 432],
  /** What the attestation key signs: header ‖ report body. */
  signed: [0, 432],
  signatureDataLength: [432, 436],
  signature: [436, 500],
  attestationKey: [500, 564],
  qeReport: [564, 948],
  qeReportSignature: [948, 1012],
} as const satisfies Record<string, ByteRange>;

/** ATTRIBUTES.FLAGS bits (SDM Vol. 3D, SECS.ATTRIBUTES). */
export const SGX_ATTRIBUTE_BITS = {
  init: 0,
  /** The enclave was created debuggable: EDBGRD/EDBGWR can read and write its memory. */
  debug: 1,
  mode64bit: 2,
  provisionKey: 4,
  einitTokenKey: 5,
  kss: 7,
} as const;

export interface SgxReportBody {
  cpuSvn: Uint8Array;
  miscSelect: number;
  isvExtProdId: Uint8Array;
  /** ATTRIBUTES.FLAGS (u64) and XFRM (u64). */
  flags: bigint;
  xfrm: bigint;
  mrEnclave: Uint8Array;
  mrSigner: Uint8Array;
  configId: Uint8Array;
  isvProdId: number;
  isvSvn: number;
  configSvn: number;
  isvFamilyId: Uint8Array;
  reportData: Uint8Array;
}

export interface SgxQuoteHeader {
  version: number;
  attestationKeyType: number;
  /** Reserved (att_key_data_0); kept as read. */
  reserved: number;
  qeSvn: number;
  pceSvn: number;
  qeVendorId: Uint8Array;
  userData: Uint8Array;
}

export interface SgxQuote {
  header: SgxQuoteHeader;
  body: SgxReportBody;
  /** ECDSA P-256 r‖s by the attestation key over header ‖ body. */
  signature: Uint8Array;
  /** The attestation key X‖Y (64 bytes, no 0x04 prefix). */
  attestationKey: Uint8Array;
  /** The QE's report; its REPORTDATA[0:32] = SHA-256(attestation key ‖ QE auth data). */
  qeReport: SgxReportBody;
  /** ECDSA P-256 r‖s by the PCK key over the 384 QE report bytes. */
  qeReportSignature: Uint8Array;
  qeAuthData: Uint8Array;
  certificationDataType: number;
  /** For type 5: PEM text of PCK → Platform CA → Root. */
  certificationData: Uint8Array;
}

export function isDebug(body: SgxReportBody): boolean {
  return ((body.flags >> BigInt(SGX_ATTRIBUTE_BITS.debug)) & 1n) === 1n;
}

function readBody(r: Reader, prefix: string): SgxReportBody {
  const f = (name: string) => `${prefix}${name}`;
  const cpuSvn = r.take(f('CPUSVN'), 16);
  const miscSelect = r.u32(f('MISCSELECT'));
  r.zeros(f('reserved1'), 12);
  const isvExtProdId = r.take(f('ISVEXTPRODID'), 16);
  const flags = r.u64(f('ATTRIBUTES.FLAGS'));
  const xfrm = r.u64(f('ATTRIBUTES.XFRM'));
  const mrEnclave = r.take(f('MRENCLAVE'), 32);
  r.zeros(f('reserved2'), 32);
  const mrSignerValue = r.take(f('MRSIGNER'), 32);
  r.zeros(f('reserved3'), 32);
  const configId = r.take(f('CONFIGID'), 64);
  const isvProdId = r.u16(f('ISVPRODID'));
  const isvSvn = r.u16(f('ISVSVN'));
  const configSvn = r.u16(f('CONFIGSVN'));
  r.zeros(f('reserved4'), 42);
  const isvFamilyId = r.take(f('ISVFAMILYID'), 16);
  const reportData = r.take(f('REPORTDATA'), 64);
  return {
    cpuSvn,
    miscSelect,
    isvExtProdId,
    flags,
    xfrm,
    mrEnclave,
    mrSigner: mrSignerValue,
    configId,
    isvProdId,
    isvSvn,
    configSvn,
    isvFamilyId,
    reportData,
  };
}

function u16(v: number, name: string): number {
  if (!Number.isInteger(v) || v < 0 || v > 0xffff) throw new RangeError(`${name}: ${v} is not a u16`);
  return v;
}

/**
 * Fixed layouts are written into a preallocated buffer at their table offsets: core/binary.ts's
 * Writer, as it stands, writes into its old buffer when it grows past 256 bytes and loses the data.
 */
function put(out: Uint8Array, at: number, value: Uint8Array, length: number, name: string): void {
  assertBytes(value, name, length);
  out.set(value, at);
}

/** The 384 bytes of an SGX report body (the QE report is one too); reserved bytes zero. */
export function encodeSgxReportBody(b: SgxReportBody, prefix = ''): Uint8Array {
  const out = new Uint8Array(SGX_REPORT_BODY_SIZE);
  const v = new DataView(out.buffer);
  const B = SGX_REPORT_BODY_LAYOUT;
  put(out, B.cpuSvn[0], b.cpuSvn, 16, `${prefix}cpuSvn`);
  v.setUint32(B.miscSelect[0], b.miscSelect >>> 0, true);
  put(out, B.isvExtProdId[0], b.isvExtProdId, 16, `${prefix}isvExtProdId`);
  v.setBigUint64(B.attributes[0], BigInt.asUintN(64, b.flags), true);
  v.setBigUint64(B.attributes[0] + 8, BigInt.asUintN(64, b.xfrm), true);
  put(out, B.mrEnclave[0], b.mrEnclave, 32, `${prefix}mrEnclave`);
  put(out, B.mrSigner[0], b.mrSigner, 32, `${prefix}mrSigner`);
  put(out, B.configId[0], b.configId, 64, `${prefix}configId`);
  v.setUint16(B.isvProdId[0], u16(b.isvProdId, `${prefix}isvProdId`), true);
  v.setUint16(B.isvSvn[0], u16(b.isvSvn, `${prefix}isvSvn`), true);
  v.setUint16(B.configSvn[0], u16(b.configSvn, `${prefix}configSvn`), true);
  put(out, B.isvFamilyId[0], b.isvFamilyId, 16, `${prefix}isvFamilyId`);
  put(out, B.reportData[0], b.reportData, 64, `${prefix}reportData`);
  return out;
}

/** Header ‖ report body: the 432 bytes the attestation key signs. */
export function encodeSgxSignedPart(h: SgxQuoteHeader, b: SgxReportBody): Uint8Array {
  const header = new Uint8Array(SGX_HEADER_SIZE);
  const v = new DataView(header.buffer);
  v.setUint16(0, u16(h.version, 'version'), true);
  v.setUint16(2, u16(h.attestationKeyType, 'attestationKeyType'), true);
  v.setUint32(4, h.reserved >>> 0, true);
  v.setUint16(8, u16(h.qeSvn, 'qeSvn'), true);
  v.setUint16(10, u16(h.pceSvn, 'pceSvn'), true);
  put(header, 12, h.qeVendorId, 16, 'qeVendorId');
  put(header, 28, h.userData, 20, 'userData');
  return concatBytes(header, encodeSgxReportBody(b));
}

function le(bytes: number, value: number): Uint8Array {
  const out = new Uint8Array(bytes);
  const v = new DataView(out.buffer);
  if (bytes === 2) v.setUint16(0, value, true);
  else v.setUint32(0, value, true);
  return out;
}

export function encodeSgxQuote(q: SgxQuote): Uint8Array {
  if (q.qeAuthData.length > 0xffff) throw new RangeError('qeAuthData: at most 65535 bytes');
  assertBytes(q.signature, 'signature', 64);
  assertBytes(q.attestationKey, 'attestationKey', 64);
  assertBytes(q.qeReportSignature, 'qeReportSignature', 64);
  const signatureData = concatBytes(
    q.signature,
    q.attestationKey,
    encodeSgxReportBody(q.qeReport, 'qeReport.'),
    q.qeReportSignature,
    le(2, q.qeAuthData.length),
    q.qeAuthData,
    le(2, u16(q.certificationDataType, 'certificationDataType')),
    le(4, q.certificationData.length),
    q.certificationData,
  );
  return concatBytes(encodeSgxSignedPart(q.header, q.body), le(4, signatureData.length), signatureData);
}

/** Decodes a v3 ECDSA quote byte for byte; FormatError with field and offset for anything malformed. */
export function decodeSgxQuote(bytes: Uint8Array): SgxQuote {
  assertBytes(bytes, 'bytes');
  const r = new Reader(bytes, FORMAT, 'le');
  const version = r.u16('version');
  if (version !== SGX_QUOTE_VERSION) throw r.error('version', `quote version ${version}, expected 3`, 0);
  const attestationKeyType = r.u16('attestationKeyType');
  if (attestationKeyType !== SGX_ECDSA_P256) {
    throw r.error('attestationKeyType', `${attestationKeyType} is not ECDSA-256-with-P-256 (2)`, 2);
  }
  const header: SgxQuoteHeader = {
    version,
    attestationKeyType,
    reserved: r.u32('reserved'),
    qeSvn: r.u16('qeSvn'),
    pceSvn: r.u16('pceSvn'),
    qeVendorId: r.take('qeVendorId', 16),
    userData: r.take('userData', 20),
  };
  const body = readBody(r, '');
  const declared = r.u32('signatureDataLength');
  if (declared !== r.remaining) {
    throw r.error(
      'signatureDataLength',
      `declares ${declared} bytes of signature data, ${r.remaining} follow`,
      r.offset - 4,
    );
  }
  const signature = r.take('signature', 64);
  const attestationKey = r.take('attestationKey', 64);
  const qeReport = readBody(r, 'qeReport.');
  const qeReportSignature = r.take('qeReportSignature', 64);
  const qeAuthData = r.take('qeAuthData', r.u16('qeAuthDataLength'));
  const certificationDataType = r.u16('certificationDataType');
  if (certificationDataType < 1 || certificationDataType > 7) {
    throw r.error('certificationDataType', `${certificationDataType} is not a DCAP type (1–7)`, r.offset - 2);
  }
  const certificationData = r.take('certificationData', r.u32('certificationDataLength'));
  r.finish();
  return {
    header,
    body,
    signature,
    attestationKey,
    qeReport,
    qeReportSignature,
    qeAuthData,
    certificationDataType,
    certificationData,
  };
}

/** Where the variable-length parts lie, for a decoded quote. */
export function sgxQuoteRanges(q: SgxQuote): {
  qeAuthData: ByteRange;
  certificationData: ByteRange;
  qeReportData: ByteRange;
} {
  const authStart = SGX_QUOTE_LAYOUT.qeReportSignature[1] + 2;
  const certStart = authStart + q.qeAuthData.length + 6;
  const qeBase = SGX_QUOTE_LAYOUT.qeReport[0];
  return {
    qeAuthData: [authStart, authStart + q.qeAuthData.length],
    certificationData: [certStart, certStart + q.certificationData.length],
    qeReportData: [qeBase + 320, qeBase + 384],
  };
}

/** REPORTDATA[0:32] the QE must write to vouch for `attestationKey` (SHA-256(key ‖ auth data)). */
export function qeReportDataBinding(attestationKey: Uint8Array, qeAuthData: Uint8Array): Uint8Array {
  return concatBytes(digest('sha256', concatBytes(attestationKey, qeAuthData)), new Uint8Array(32));
}

// ---- a simulated Quoting Enclave and enclave (DEMO) -----------------------------------------------

/** The two keys a Quoting Enclave signs with (ECDSA P-256/SHA-256, raw r‖s). */
export interface SgxQuoteSigner {
  /** Uncompressed SEC1 point (0x04 ‖ X ‖ Y) of the attestation key. */
  attestationPublicKey: Uint8Array;
  signWithAttestationKey(message: Uint8Array): Uint8Array;
  signWithPck(message: Uint8Array): Uint8Array;
}

export function sgxKeyPairSigner(attestationKey: KeyPair, pck: KeyPair): SgxQuoteSigner {
  return {
    attestationPublicKey: attestationKey.publicKey,
    signWithAttestationKey: (m) => sign('p256', attestationKey.privateKey, m),
    signWithPck: (m) => sign('p256', pck.privateKey, m),
  };
}

/** What the QE does: vouch for its attestation key in its own PCK-signed report, then sign the quote. */
export function signSgxQuote(q: SgxQuote, signer: SgxQuoteSigner): SgxQuote {
  const pub = signer.attestationPublicKey;
  if (pub.length !== 65 || pub[0] !== 0x04) {
    throw new RangeError('attestationPublicKey: expected an uncompressed P-256 point (65 bytes)');
  }
  const attestationKey = pub.slice(1);
  const qeReport = { ...q.qeReport, reportData: qeReportDataBinding(attestationKey, q.qeAuthData) };
  return {
    ...q,
    attestationKey,
    qeReport,
    qeReportSignature: signer.signWithPck(encodeSgxReportBody(qeReport)),
    signature: signer.signWithAttestationKey(encodeSgxSignedPart(q.header, q.body)),
  };
}

/** The DEMO enclave: two pages (code, data) and a TCS, measured the way EADD/EEXTEND do. */
export function demoSgxMrEnclave(code: Uint8Array = utf8('ccte demo enclave code')): Uint8Array {
  const page = (content: Uint8Array) => {
    const p = new Uint8Array(SGX_PAGE_SIZE);
    p.set(content.subarray(0, SGX_PAGE_SIZE));
    return p;
  };
  const { R, W, X, PT_REG, PT_TCS } = SECINFO_FLAGS;
  return new MrEnclaveBuilder(1, 0x10000n)
    .addPage(0x0000n, page(code), secinfo(R | X | PT_REG))
    .addPage(0x1000n, page(utf8('ccte demo enclave data')), secinfo(R | W | PT_REG))
    .addPage(0x2000n, page(new Uint8Array(0)), secinfo(PT_TCS))
    .finish();
}

export interface DemoSgxOptions {
  /** REPORTDATA (≤ 64 bytes, zero-padded): the verifier's nonce, or a hash binding nonce and key. */
  reportData?: Uint8Array;
  mrEnclave?: Uint8Array;
  mrSigner?: Uint8Array;
  /** Sets ATTRIBUTES.DEBUG. */
  debug?: boolean;
  isvProdId?: number;
  isvSvn?: number;
  cpuSvn?: Uint8Array;
  /** Sign with these keys instead of the demo QE's (a forger, or an OpenSSL key in tests). */
  signer?: SgxQuoteSigner;
}

export interface DemoSgxEvidence {
  /** The encoded quote v3, ready to write to quote.bin. */
  quote: Uint8Array;
  decoded: SgxQuote;
  chain: DemoIntelChain;
  /** DER of the DEMO Intel SGX Root CA the PCK chain ends in. */
  root: Uint8Array;
  rootPem: string;
}

/** A plausible CPUSVN (its bytes are per-component SVNs whose meaning only Intel's TCB Info gives). */
export const DEMO_CPUSVN = Uint8Array.of(12, 12, 3, 3, 255, 255, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0);

function padded(value: Uint8Array | undefined, length: number, name: string): Uint8Array {
  const out = new Uint8Array(length);
  if (value === undefined) return out;
  assertBytes(value, name);
  if (value.length > length) throw new RangeError(`${name}: at most ${length} bytes`);
  out.set(value);
  return out;
}

/**
 * A complete simulated SGX quote for a seed: DEMO Intel PKI (shared with TDX, intel-chain.ts), a DEMO
 * QE, and the DEMO enclave, signed as a real QE would. Same seed and options → same bytes.
 */
export function demoSgxEvidence(seed: Seed, opts: DemoSgxOptions = {}): DemoSgxEvidence {
  const chain = demoIntelChain(seed);
  const drbg = seededDrbg(seed).fork('demo-sgx');
  const attestationKey = generateKeyPair('p256', drbg.fork('qe-attestation-key'));
  // MRSIGNER is SHA-256 of the signer's RSA-3072 modulus; the demo "modulus" is DRBG bytes (no key).
  const signerModulus = drbg.fork('enclave-signer').generate(384);
  const flags = (1n << BigInt(SGX_ATTRIBUTE_BITS.init)) | (1n << BigInt(SGX_ATTRIBUTE_BITS.mode64bit));
  const unsigned: SgxQuote = {
    header: {
      version: SGX_QUOTE_VERSION,
      attestationKeyType: SGX_ECDSA_P256,
      reserved: 0,
      qeSvn: 8,
      pceSvn: 13,
      qeVendorId: INTEL_QE_VENDOR_ID.slice(),
      userData: concatBytes(drbg.generate(16), new Uint8Array(4)),
    },
    body: {
      cpuSvn: opts.cpuSvn ? padded(opts.cpuSvn, 16, 'cpuSvn') : DEMO_CPUSVN.slice(),
      miscSelect: 0,
      isvExtProdId: new Uint8Array(16),
      flags: opts.debug ? flags | (1n << BigInt(SGX_ATTRIBUTE_BITS.debug)) : flags,
      xfrm: 0xe7n,
      mrEnclave: opts.mrEnclave ?? demoSgxMrEnclave(),
      mrSigner: opts.mrSigner ?? mrSigner(signerModulus),
      configId: new Uint8Array(64),
      isvProdId: opts.isvProdId ?? 1,
      isvSvn: opts.isvSvn ?? 1,
      configSvn: 0,
      isvFamilyId: new Uint8Array(16),
      reportData: padded(opts.reportData, 64, 'reportData'),
    },
    signature: new Uint8Array(64),
    attestationKey: new Uint8Array(64),
    qeReport: {
      cpuSvn: DEMO_CPUSVN.slice(),
      miscSelect: 0,
      isvExtProdId: new Uint8Array(16),
      flags: 0x15n, // INIT | MODE64BIT | PROVISIONKEY
      xfrm: 0xe7n,
      mrEnclave: digest('sha256', utf8('DEMO Intel Quoting Enclave')),
      mrSigner: digest('sha256', utf8('DEMO Intel QE signer')),
      configId: new Uint8Array(64),
      isvProdId: 1,
      isvSvn: 8,
      configSvn: 0,
      isvFamilyId: new Uint8Array(16),
      reportData: new Uint8Array(64),
    },
    qeReportSignature: new Uint8Array(64),
    qeAuthData: Uint8Array.from({ length: 32 }, (_, i) => i),
    certificationDataType: SGX_PCK_CHAIN_PEM,
    certificationData: utf8(chain.chainPem),
  };
  const decoded = signSgxQuote(unsigned, opts.signer ?? sgxKeyPairSigner(attestationKey, chain.pck.key));
  return {
    quote: encodeSgxQuote(decoded),
    decoded,
    chain,
    root: chain.root.der.slice(),
    rootPem: derToPem(chain.root.der),
  };
}
