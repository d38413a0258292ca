/**
 * A SIMULATED Intel platform for demos and tests — DEMO keys, NOT Intel's. It stands in for three
 * things a real TDX host has: Intel's PKI (a demo "SGX Root CA" → "PCK Platform CA" → PCK
 * certificate, ECDSA P-256, keys from the seeded DRBG), the Quoting Enclave that signs quotes, and a
 * TD whose measurements go into them. Everything it signs chains only to the demo root, never to the
 * real Intel SGX Root CA pinned in intel-roots.ts, so a verifier pinning the real root refuses it.
 */
import { concatBytes, utf8 } from '../crypto/bytes';
import { seededDrbg, type HmacDrbg, type Seed } from '../crypto/drbg';
import { generateKeyPair, sign, type KeyPair } from '../crypto/ecdsa';
import { digest } from '../crypto/hash';
import {
  encodeQeReport,
  encodeTdxQuote,
  encodeTdxSignedPart,
  ECDSA_P256_KEY_TYPE,
  INTEL_QE_VENDOR_ID,
  TD_ATTRIBUTE_BITS,
  TDX_QUOTE_VERSION,
  TEE_TYPE_TDX,
  type TdxQuote,
} from './tdx-quote';
import { derToPem, issueCertificate, parseCertificate, type Certificate } from './x509';

/** Every demo name says DEMO, so no one mistakes a simulated certificate for Intel's. */
const DEMO_ORG = {
  O: 'DEMO simulation - not Intel Corporation',
  L: 'Santa Clara',
  ST: 'CA',
  C: 'US',
} as const;

export const DEMO_INTEL_NAMES = {
  root: { CN: 'DEMO Intel SGX Root CA', ...DEMO_ORG },
  platformCa: { CN: 'DEMO Intel SGX PCK Platform CA', ...DEMO_ORG },
  pck: { CN: 'DEMO Intel SGX PCK Certificate', ...DEMO_ORG },
} as const;

export interface DemoCertificate {
  key: KeyPair;
  der: Uint8Array;
  certificate: Certificate;
}

export interface DemoIntelChain {
  root: DemoCertificate;
  platformCa: DemoCertificate;
  pck: DemoCertificate;
  /** PCK → Platform CA → Root as concatenated PEM, the form certification data type 5 carries. */
  chainPem: string;
}

// Fixed dates (like Intel's real ones, long-lived), so the same seed gives the same DER forever.
const VALIDITY = {
  root: { notBefore: new Date('2018-05-21T10:45:10Z'), notAfter: new Date('2049-12-31T23:59:59Z') },
  platformCa: { notBefore: new Date('2018-05-21T10:50:10Z'), notAfter: new Date('2033-05-21T10:50:10Z') },
  pck: { notBefore: new Date('2025-01-01T00:00:00Z'), notAfter: new Date('2032-01-01T00:00:00Z') },
} as const;

function serial(drbg: HmacDrbg): Uint8Array {
  const s = drbg.generate(16);
  s[0] &= 0x7f; // a positive INTEGER without a leading zero byte
  s[0] |= 0x01;
  return s;
}

function issue(
  subject: Record<string, string>,
  issuer: Record<string, string>,
  key: KeyPair,
  signer: KeyPair,
  validity: { notBefore: Date; notAfter: Date },
  isCA: boolean,
  drbg: HmacDrbg,
): DemoCertificate {
  const der = issueCertificate(
    {
      serialNumber: serial(drbg),
      subject,
      issuer,
      ...validity,
      publicKey: { kind: 'ec', curve: 'p256', point: key.publicKey },
      isCA,
    },
    { kind: 'ecdsa', curve: 'p256', privateKey: signer.privateKey, hash: 'sha256' },
  );
  return { key, der, certificate: parseCertificate(der) };
}

/** The demo Intel PKI for a seed: the same seed gives the same keys and the same DER, everywhere. */
export function demoIntelChain(seed: Seed): DemoIntelChain {
  const drbg = seededDrbg(seed).fork('demo-intel-pki');
  const rootKey = generateKeyPair('p256', drbg.fork('root'));
  const caKey = generateKeyPair('p256', drbg.fork('platform-ca'));
  const pckKey = generateKeyPair('p256', drbg.fork('pck'));
  const serials = drbg.fork('serials');
  const N = DEMO_INTEL_NAMES;
  const root = issue(N.root, N.root, rootKey, rootKey, VALIDITY.root, true, serials);
  const platformCa = issue(N.platformCa, N.root, caKey, rootKey, VALIDITY.platformCa, true, serials);
  const pck = issue(N.pck, N.platformCa, pckKey, caKey, VALIDITY.pck, false, serials);
  const chainPem = [pck, platformCa, root].map((c) => derToPem(c.der)).join('');
  return { root, platformCa, pck, chainPem };
}

/** Signs with the two keys a Quoting Enclave uses; ECDSA P-256/SHA-256, raw r‖s. */
export interface TdxQuoteSigner {
  /** Uncompressed SEC1 point (0x04 ‖ X ‖ Y) of the attestation key. */
  attestationPublicKey: Uint8Array;
  signWithAttestationKey(message: Uint8Array): Uint8Array;
  signWithPck(message: Uint8Array): Uint8Array;
}

export function keyPairSigner(attestationKey: KeyPair, pck: KeyPair): TdxQuoteSigner {
  return {
    attestationPublicKey: attestationKey.publicKey,
    signWithAttestationKey: (m) => sign('p256', attestationKey.privateKey, m),
    signWithPck: (m) => sign('p256', pck.privateKey, m),
  };
}

/**
 * What the Quoting Enclave does with a TD report: vouches for its attestation key by putting
 * SHA-256(attestation key ‖ QE auth data) in its own report's REPORTDATA, which the PCK key signs,
 * then signs header ‖ TD report body with the attestation key.
 */
export function signTdxQuote(q: TdxQuote, signer: TdxQuoteSigner): TdxQuote {
  const attestationKey = signer.attestationPublicKey.slice(1);
  if (signer.attestationPublicKey.length !== 65 || signer.attestationPublicKey[0] !== 0x04) {
    throw new RangeError('attestationPublicKey: expected an uncompressed P-256 point (65 bytes)');
  }
  const binding = digest('sha256', concatBytes(attestationKey, q.qeAuthData));
  const qeReport = { ...q.qeReport, reportData: concatBytes(binding, new Uint8Array(32)) };
  return {
    ...q,
    attestationKey,
    qeReport,
    qeReportSignature: signer.signWithPck(encodeQeReport(qeReport)),
    signature: signer.signWithAttestationKey(encodeTdxSignedPart(q.header, q.body)),
  };
}

export interface DemoTdxOptions {
  /** REPORTDATA, at most 64 bytes, zero-padded: the verifier's nonce, or a hash binding one. */
  reportData?: Uint8Array;
  mrTd?: Uint8Array;
  /** RTMR0–3; missing entries come from the seed. */
  rtmrs?: readonly Uint8Array[];
  /** Sets TD_ATTRIBUTES.DEBUG (bit 0): the host may then read the TD's memory. */
  debug?: boolean;
  /** All TD_ATTRIBUTES at once (overrides `debug`); default SEPT_VE_DISABLE only. */
  tdAttributes?: bigint;
  xfam?: bigint;
  teeTcbSvn?: Uint8Array;
  mrConfigId?: Uint8Array;
  mrOwner?: Uint8Array;
  mrOwnerConfig?: Uint8Array;
}

export interface DemoTdxEvidence {
  /** The encoded quote v4, ready to write to quote.bin. */
  quote: Uint8Array;
  decoded: TdxQuote;
  chain: DemoIntelChain;
  /** DER of PCK, Platform CA and Root, leaf first. */
  chainDer: Uint8Array[];
  chainPem: string;
  rootPem: string;
}

/** XFAM of the real Sapphire Rapids quote: x87, SSE, AVX, AVX-512, PKRU, AMX state. */
const DEFAULT_XFAM = 0x61ae7n;
const DEFAULT_TD_ATTRIBUTES = 1n << BigInt(TD_ATTRIBUTE_BITS.septVeDisable);

function fixed(value: Uint8Array | undefined, length: number, name: string, fallback: () => Uint8Array) {
  if (value === undefined) return fallback();
  if (!(value instanceof Uint8Array) || value.length > length) {
    throw new RangeError(`${name}: expected at most ${length} bytes`);
  }
  const out = new Uint8Array(length);
  out.set(value);
  return out;
}

/**
 * A complete simulated TDX quote for a seed: demo chain, demo QE keys, and a TD with the given (or
 * seed-derived) measurements, signed as a real QE would. Same seed and options → same bytes.
 */
export function demoTdxEvidence(seed: Seed, opts: DemoTdxOptions = {}): DemoTdxEvidence {
  const chain = demoIntelChain(seed);
  const drbg = seededDrbg(seed).fork('demo-tdx-td');
  const attestationKey = generateKeyPair('p256', seededDrbg(seed).fork('demo-tdx-qe-attestation-key'));
  const m48 = () => drbg.generate(48);
  const measured = { mrSeam: m48(), mrTd: m48(), rtmrs: [m48(), m48(), m48(), new Uint8Array(48)] };
  const platformId = drbg.generate(16);
  const qeIdentity = { mrEnclave: drbg.generate(32), mrSigner: drbg.generate(32) };
  if (opts.rtmrs && opts.rtmrs.length > 4) throw new RangeError('rtmrs: at most 4 RTMRs');
  const tdAttributes =
    opts.tdAttributes ??
    (opts.debug ? DEFAULT_TD_ATTRIBUTES | (1n << BigInt(TD_ATTRIBUTE_BITS.debug)) : DEFAULT_TD_ATTRIBUTES);
  const unsigned: TdxQuote = {
    header: {
      version: TDX_QUOTE_VERSION,
      attestationKeyType: ECDSA_P256_KEY_TYPE,
      teeType: TEE_TYPE_TDX,
      qeSvn: 0,
      pceSvn: 0,
      qeVendorId: INTEL_QE_VENDOR_ID.slice(),
      userData: concatBytes(platformId, new Uint8Array(4)),
    },
    body: {
      teeTcbSvn: fixed(opts.teeTcbSvn, 16, 'teeTcbSvn', () =>
        Uint8Array.of(5, 1, 2, 0, ...new Uint8Array(12)),
      ),
      mrSeam: measured.mrSeam,
      mrSignerSeam: new Uint8Array(48), // zero: the TDX module is Intel's own
      seamAttributes: 0n,
      tdAttributes,
      xfam: opts.xfam ?? DEFAULT_XFAM,
      mrTd: fixed(opts.mrTd, 48, 'mrTd', () => measured.mrTd),
      mrConfigId: fixed(opts.mrConfigId, 48, 'mrConfigId', () => new Uint8Array(48)),
      mrOwner: fixed(opts.mrOwner, 48, 'mrOwner', () => new Uint8Array(48)),
      mrOwnerConfig: fixed(opts.mrOwnerConfig, 48, 'mrOwnerConfig', () => new Uint8Array(48)),
      rtmrs: measured.rtmrs.map((m, i) => fixed(opts.rtmrs?.[i], 48, `rtmrs[${i}]`, () => m)),
      reportData: fixed(opts.reportData, 64, 'reportData', () => new Uint8Array(64)),
    },
    signature: new Uint8Array(64),
    attestationKey: new Uint8Array(64),
    qeReport: {
      cpuSvn: Uint8Array.of(4, 4, 13, 15, 3, 255, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0),
      miscSelect: 0,
      attributes: Uint8Array.of(0x15, 0, 0, 0, 0, 0, 0, 0, 0xe7, 0, 0, 0, 0, 0, 0, 0),
      ...qeIdentity,
      isvProdId: 2, // the TD Quoting Enclave
      isvSvn: 4,
      reportData: new Uint8Array(64),
    },
    qeReportSignature: new Uint8Array(64),
    qeAuthData: Uint8Array.from({ length: 32 }, (_, i) => i),
    pckChainPem: utf8(chain.chainPem),
    extraBytes: new Uint8Array(0),
  };
  const decoded = signTdxQuote(unsigned, keyPairSigner(attestationKey, chain.pck.key));
  return {
    quote: encodeTdxQuote(decoded),
    decoded,
    chain,
    chainDer: [chain.pck.der, chain.platformCa.der, chain.root.der],
    chainPem: chain.chainPem,
    rootPem: derToPem(chain.root.der),
  };
}
