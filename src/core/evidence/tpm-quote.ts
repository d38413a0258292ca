/**
 * TPM 2.0 quotes (TCG TPM 2.0 Library, Part 2: Structures), big-endian: TPMS_ATTEST of type
 * TPM_ST_ATTEST_QUOTE, the TPMT_SIGNATURE over it, and the TPM2_Quote response that carries both; plus
 * a simulated TPM that holds an attestation key (AK) and quotes PCR values the way a real one does —
 * including the rule that stops a restricted AK from signing a forged TPMS_ATTEST.
 *
 * Decoding names the field and offset of every error and refuses trailing bytes; judging the quote
 * (signature, nonce, PCR digest, reference values) is core/verify/tpm.ts.
 */
import { assertBytes, bigIntToBytes, bytesToBigInt, concatBytes } from '../crypto/bytes';
import { seededDrbg, type Seed } from '../crypto/drbg';
import { generateKeyPair, sign, type KeyPair } from '../crypto/ecdsa';
import { digest, type HashAlg } from '../crypto/hash';
import { Reader } from '../binary';
import { FormatError } from '../errors';
import { issueCertificate, parseCertificate, type Certificate } from './x509';

const ATTEST = 'tpms-attest';
const SIGNATURE = 'tpmt-signature';
const RESPONSE = 'tpm2-quote';

/** TPM_GENERATED_VALUE: every structure the TPM itself produces starts with it. */
export const TPM_GENERATED_VALUE = 0xff544347;
export const TPM_ST_ATTEST_QUOTE = 0x8018;

/** TPM_ALG_ID values (TCG Algorithm Registry). */
export const TPM_ALG = {
  sha1: 0x0004,
  sha256: 0x000b,
  sha384: 0x000c,
  sha512: 0x000d,
  null: 0x0010,
  rsassa: 0x0014,
  rsapss: 0x0016,
  ecdsa: 0x0018,
  ecc: 0x0023,
} as const;

const HASH_BY_ID = new Map<number, HashAlg>([
  [TPM_ALG.sha1, 'sha1'],
  [TPM_ALG.sha256, 'sha256'],
  [TPM_ALG.sha384, 'sha384'],
  [TPM_ALG.sha512, 'sha512'],
]);

/** The hash a TPM_ALG_ID names, or undefined for an algorithm we do not know. */
export function tpmHashAlg(id: number): HashAlg | undefined {
  return HASH_BY_ID.get(id);
}

export function tpmAlgId(alg: HashAlg): number {
  return TPM_ALG[alg];
}

// Buffer limits from Part 2 for an implementation with SHA-512 and P-521 / RSA-4096: a larger size
// field cannot come from a TPM, so it is refused before anything is read.
const MAX = {
  name: 2 + 64, // TPMU_NAME: TPMT_HA
  data: 2 + 64, // TPM2B_DATA: sizeof(TPMT_HA)
  digest: 64, // TPM2B_DIGEST: sizeof(TPMU_HA)
  selections: 16, // TPML_PCR_SELECTION.count ≤ HASH_COUNT; 16 is far above any real TPM
  sizeofSelect: 8, // PCR_SELECT_MAX; real TPMs use 3 (24 PCRs)
  eccParameter: 66, // P-521
  rsaSignature: 512, // RSA-4096
} as const;

export interface TpmsClockInfo {
  clock: bigint;
  resetCount: number;
  restartCount: number;
  safe: boolean;
}

export interface PcrSelection {
  /** TPM_ALG_ID of the bank. */
  hash: number;
  /** Bytes of the bitmap (byte i bit j = PCR 8i + j); 3 on PC-client TPMs. */
  sizeofSelect: number;
  /** Selected PCR indices, ascending. */
  pcrs: number[];
}

/** A decoded TPMS_ATTEST of type TPM_ST_ATTEST_QUOTE (magic and type are implied). */
export interface TpmsAttestQuote {
  /** TPM2B_NAME contents: the qualified name of the signing key. */
  qualifiedSigner: Uint8Array;
  /** TPM2B_DATA contents: the caller's qualifying data, i.e. the verifier's nonce. */
  extraData: Uint8Array;
  clockInfo: TpmsClockInfo;
  firmwareVersion: bigint;
  pcrSelect: PcrSelection[];
  /** H(selected PCR values in selection order), H = the signing scheme's hash. */
  pcrDigest: Uint8Array;
}

export type TpmtSignature =
  | { sigAlg: typeof TPM_ALG.ecdsa; hash: number; r: Uint8Array; s: Uint8Array }
  | { sigAlg: typeof TPM_ALG.rsassa | typeof TPM_ALG.rsapss; hash: number; sig: Uint8Array };

export type ByteRange = readonly [number, number];

// ---- TPMS_ATTEST ----

function tpm2b(r: Reader, field: string, max: number): Uint8Array {
  const at = r.offset;
  const size = r.u16(`${field}.size`);
  if (size > max) throw r.error(`${field}.size`, `${size} bytes exceeds the ${max}-byte buffer`, at);
  return r.take(field, size);
}

function decodePcrSelection(r: Reader): PcrSelection[] {
  const countAt = r.offset;
  const count = r.u32('pcrSelect.count');
  if (count > MAX.selections) {
    throw r.error('pcrSelect.count', `${count} selections exceeds ${MAX.selections}`, countAt);
  }
  const out: PcrSelection[] = [];
  for (let i = 0; i < count; i++) {
    const hash = r.u16(`pcrSelect[${i}].hash`);
    const sizeAt = r.offset;
    const sizeofSelect = r.u8(`pcrSelect[${i}].sizeofSelect`);
    if (sizeofSelect > MAX.sizeofSelect) {
      throw r.error(`pcrSelect[${i}].sizeofSelect`, `${sizeofSelect} exceeds ${MAX.sizeofSelect}`, sizeAt);
    }
    const bitmap = r.take(`pcrSelect[${i}].pcrSelect`, sizeofSelect);
    const pcrs: number[] = [];
    bitmap.forEach((byte, b) => {
      for (let bit = 0; bit < 8; bit++) if (byte & (1 << bit)) pcrs.push(8 * b + bit);
    });
    out.push({ hash, sizeofSelect, pcrs });
  }
  return out;
}

/** Decodes a TPMS_ATTEST that must be a quote made by a TPM (magic 0xFF544347, type 0x8018). */
export function decodeTpmsAttest(bytes: Uint8Array): TpmsAttestQuote {
  assertBytes(bytes, 'attest');
  const r = new Reader(bytes, ATTEST, 'be');
  const magic = r.u32('magic');
  if (magic !== TPM_GENERATED_VALUE) {
    throw r.error('magic', `expected 0xff544347 (TPM_GENERATED_VALUE), found 0x${magic.toString(16)}`, 0);
  }
  const type = r.u16('type');
  if (type !== TPM_ST_ATTEST_QUOTE) {
    throw r.error('type', `expected 0x8018 (TPM_ST_ATTEST_QUOTE), found 0x${type.toString(16)}`, 4);
  }
  const qualifiedSigner = tpm2b(r, 'qualifiedSigner', MAX.name);
  const extraData = tpm2b(r, 'extraData', MAX.data);
  const clock = r.u64('clockInfo.clock');
  const resetCount = r.u32('clockInfo.resetCount');
  const restartCount = r.u32('clockInfo.restartCount');
  const safeAt = r.offset;
  const safe = r.u8('clockInfo.safe');
  if (safe > 1) throw r.error('clockInfo.safe', `TPMI_YES_NO must be 0 or 1, found ${safe}`, safeAt);
  const firmwareVersion = r.u64('firmwareVersion');
  const pcrSelect = decodePcrSelection(r);
  const pcrDigest = tpm2b(r, 'pcrDigest', MAX.digest);
  r.finish();
  return {
    qualifiedSigner,
    extraData,
    clockInfo: { clock, resetCount, restartCount, safe: safe === 1 },
    firmwareVersion,
    pcrSelect,
    pcrDigest,
  };
}

// Big-endian integer encoders: the structures are small and variable, so they are built from parts.
const u8 = (v: number) => Uint8Array.of(v);
const u16 = (v: number) => bigIntToBytes(BigInt(v), 2);
const u32 = (v: number) => bigIntToBytes(BigInt(v), 4);
const u64 = (v: bigint) => bigIntToBytes(v, 8);

function uint(value: number, name: string, bits: 8 | 16 | 32): number {
  if (!Number.isInteger(value) || value < 0 || value >= 2 ** bits) {
    throw new RangeError(`${name}: expected an unsigned ${bits}-bit integer, got ${value}`);
  }
  return value;
}

function u64Checked(value: bigint, name: string): bigint {
  if (typeof value !== 'bigint' || value < 0n || value >= 1n << 64n) {
    throw new RangeError(`${name}: expected an unsigned 64-bit bigint, got ${String(value)}`);
  }
  return value;
}

function sized(value: Uint8Array, name: string, max: number): Uint8Array {
  assertBytes(value, name);
  if (value.length > max) throw new RangeError(`${name}: at most ${max} bytes, got ${value.length}`);
  return concatBytes(u16(value.length), value);
}

function encodePcrSelection(list: readonly PcrSelection[]): Uint8Array {
  if (list.length > MAX.selections) throw new RangeError(`pcrSelect: at most ${MAX.selections} banks`);
  const parts = [u32(list.length)];
  list.forEach((sel, i) => {
    uint(sel.hash, `pcrSelect[${i}].hash`, 16);
    uint(sel.sizeofSelect, `pcrSelect[${i}].sizeofSelect`, 8);
    if (sel.sizeofSelect > MAX.sizeofSelect) {
      throw new RangeError(`pcrSelect[${i}].sizeofSelect: at most ${MAX.sizeofSelect}`);
    }
    const bitmap = new Uint8Array(sel.sizeofSelect);
    for (const pcr of sel.pcrs) {
      if (!Number.isInteger(pcr) || pcr < 0 || pcr >= 8 * sel.sizeofSelect) {
        throw new RangeError(
          `pcrSelect[${i}].pcrs: PCR ${pcr} does not fit a ${sel.sizeofSelect}-byte bitmap`,
        );
      }
      bitmap[pcr >> 3] |= 1 << (pcr & 7);
    }
    parts.push(u16(sel.hash), u8(sel.sizeofSelect), bitmap);
  });
  return concatBytes(...parts);
}

export function encodeTpmsAttest(a: TpmsAttestQuote): Uint8Array {
  return concatBytes(
    u32(TPM_GENERATED_VALUE),
    u16(TPM_ST_ATTEST_QUOTE),
    sized(a.qualifiedSigner, 'qualifiedSigner', MAX.name),
    sized(a.extraData, 'extraData', MAX.data),
    u64(u64Checked(a.clockInfo.clock, 'clockInfo.clock')),
    u32(uint(a.clockInfo.resetCount, 'clockInfo.resetCount', 32)),
    u32(uint(a.clockInfo.restartCount, 'clockInfo.restartCount', 32)),
    u8(a.clockInfo.safe ? 1 : 0),
    u64(u64Checked(a.firmwareVersion, 'firmwareVersion')),
    encodePcrSelection(a.pcrSelect),
    sized(a.pcrDigest, 'pcrDigest', MAX.digest),
  );
}

/** [start, end) of each TPMS_ATTEST field of `a` as encoded, for the hex view and the verifier's reasons. */
export function tpmsAttestRanges(a: TpmsAttestQuote): Record<string, ByteRange> {
  const out: Record<string, ByteRange> = {};
  let at = 0;
  const field = (name: string, size: number) => {
    out[name] = [at, at + size];
    at += size;
  };
  field('magic', 4);
  field('type', 2);
  field('qualifiedSigner', 2 + a.qualifiedSigner.length);
  field('extraData', 2 + a.extraData.length);
  field('clockInfo', 17);
  field('firmwareVersion', 8);
  field('pcrSelect', 4 + a.pcrSelect.reduce((n, s) => n + 3 + s.sizeofSelect, 0));
  field('pcrDigest', 2 + a.pcrDigest.length);
  return out;
}

// ---- TPMT_SIGNATURE ----

function decodeSignatureFrom(r: Reader): TpmtSignature {
  const sigAlg = r.u16('sigAlg');
  if (sigAlg === TPM_ALG.ecdsa) {
    const hash = r.u16('hash');
    const sr = tpm2b(r, 'signatureR', MAX.eccParameter);
    const ss = tpm2b(r, 'signatureS', MAX.eccParameter);
    return { sigAlg, hash, r: sr, s: ss };
  }
  if (sigAlg === TPM_ALG.rsassa || sigAlg === TPM_ALG.rsapss) {
    const hash = r.u16('hash');
    return { sigAlg, hash, sig: tpm2b(r, 'sig', MAX.rsaSignature) };
  }
  throw r.error(
    'sigAlg',
    `0x${sigAlg.toString(16).padStart(4, '0')} is not a supported scheme (ECDSA 0x0018, RSASSA 0x0014, RSAPSS 0x0016)`,
    r.offset - 2,
  );
}

export function decodeTpmtSignature(bytes: Uint8Array): TpmtSignature {
  assertBytes(bytes, 'signature');
  const r = new Reader(bytes, SIGNATURE, 'be');
  const sig = decodeSignatureFrom(r);
  r.finish();
  return sig;
}

export function encodeTpmtSignature(sig: TpmtSignature): Uint8Array {
  const head = concatBytes(u16(uint(sig.sigAlg, 'sigAlg', 16)), u16(uint(sig.hash, 'hash', 16)));
  if (sig.sigAlg === TPM_ALG.ecdsa) {
    return concatBytes(head, sized(sig.r, 'r', MAX.eccParameter), sized(sig.s, 's', MAX.eccParameter));
  }
  return concatBytes(head, sized(sig.sig, 'sig', MAX.rsaSignature));
}

// ---- TPM2_Quote response parameters: TPM2B_ATTEST quoted ‖ TPMT_SIGNATURE signature ----

export interface TpmQuote {
  /** The TPMS_ATTEST bytes exactly as signed. */
  attest: Uint8Array;
  /** The TPMT_SIGNATURE bytes. */
  signature: Uint8Array;
}

/** Splits a TPM2_Quote response (TPM2B_ATTEST ‖ TPMT_SIGNATURE) and checks both parts decode. */
export function decodeTpmQuote(bytes: Uint8Array): TpmQuote {
  assertBytes(bytes, 'quote');
  const r = new Reader(bytes, RESPONSE, 'be');
  const size = r.u16('quoted.size');
  const attest = r.take('quoted', size);
  const sigStart = r.offset;
  try {
    decodeTpmsAttest(attest);
  } catch (e) {
    // Re-anchor the inner offset to the response, so the error points at the byte in this file.
    if (e instanceof FormatError)
      throw new FormatError(RESPONSE, `quoted.${e.field}`, 2 + e.offset, e.detail);
    throw e;
  }
  const sr = new Reader(bytes, RESPONSE, 'be', sigStart);
  decodeSignatureFrom(sr);
  sr.finish();
  return { attest, signature: bytes.slice(sigStart) };
}

export function encodeTpmQuote(q: TpmQuote): Uint8Array {
  assertBytes(q.attest, 'attest');
  assertBytes(q.signature, 'signature');
  if (q.attest.length > 0xffff) throw new RangeError('attest: longer than a TPM2B can carry');
  return concatBytes(u16(q.attest.length), q.attest, q.signature);
}

// ---- PCR values and the quoted digest ----

/** PCR values per bank, e.g. replayed from an event log: bank → PCR index → value. */
export type PcrValues = Partial<Record<HashAlg, Readonly<Record<number, Uint8Array>>>>;

const BANK_ORDER: readonly HashAlg[] = ['sha1', 'sha256', 'sha384', 'sha512'];

/** A selection of every PCR present in `pcrs`, banks in TPM_ALG_ID order, 3-byte bitmaps for PCR 0–23. */
export function selectionFor(pcrs: PcrValues): PcrSelection[] {
  return BANK_ORDER.filter((b) => pcrs[b] && Object.keys(pcrs[b]).length > 0).map((bank) => {
    const indices = Object.keys(pcrs[bank] ?? {})
      .map(Number)
      .sort((a, b) => a - b);
    const top = indices[indices.length - 1];
    return { hash: TPM_ALG[bank], sizeofSelect: Math.max(3, (top >> 3) + 1), pcrs: indices };
  });
}

/** What to report when a selected PCR has no supplied value. */
export class MissingPcrError extends Error {
  constructor(
    readonly bank: string,
    readonly pcr: number,
  ) {
    super(`PCR ${pcr} of the ${bank} bank is selected but no value was supplied`);
    this.name = 'MissingPcrError';
  }
}

/** pcrDigest = H(selected PCR values, banks in selection order, PCRs ascending). */
export function pcrDigest(hash: HashAlg, selection: readonly PcrSelection[], pcrs: PcrValues): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const sel of selection) {
    const bank = tpmHashAlg(sel.hash);
    for (const pcr of sel.pcrs) {
      const value = bank ? pcrs[bank]?.[pcr] : undefined;
      if (!value) throw new MissingPcrError(bank ?? `0x${sel.hash.toString(16)}`, pcr);
      parts.push(value);
    }
  }
  return digest(hash, concatBytes(...parts));
}

// ---- A simulated TPM's attestation key ----

/** TPMA_OBJECT of a typical AK: fixedTPM, fixedParent, sensitiveDataOrigin, userWithAuth, restricted, sign. */
export const AK_OBJECT_ATTRIBUTES = 0x00050072;
const TPMA_RESTRICTED = 0x00010000;
const TPM_ECC_NIST_P256 = 0x0003;
/** TPM_RH_OWNER: the hierarchy the simulated AK lives in; its qualified name is the handle itself. */
const TPM_RH_OWNER = 0x40000001;

export interface TpmAttestationKey {
  key: KeyPair;
  /** TPMA_OBJECT; `restricted` (bit 16) decides whether it may sign data that looks like a TPM structure. */
  objectAttributes: number;
  /** TPMT_PUBLIC of the key, as TPM2_ReadPublic returns it. */
  publicArea: Uint8Array;
  /** Name = nameAlg ‖ SHA-256(TPMT_PUBLIC). */
  name: Uint8Array;
  /** Qualified name under the owner hierarchy: nameAlg ‖ SHA-256(QN(owner) ‖ name). */
  qualifiedName: Uint8Array;
}

/** TPMT_PUBLIC for an ECDSA P-256 / SHA-256 signing key. */
export function eccAkPublicArea(publicKey: Uint8Array, objectAttributes = AK_OBJECT_ATTRIBUTES): Uint8Array {
  assertBytes(publicKey, 'publicKey', 65);
  return concatBytes(
    u16(TPM_ALG.ecc),
    u16(TPM_ALG.sha256), // nameAlg
    u32(objectAttributes),
    u16(0), // authPolicy: empty
    u16(TPM_ALG.null), // symmetric: none (a signing key)
    u16(TPM_ALG.ecdsa),
    u16(TPM_ALG.sha256), // scheme ECDSA with SHA-256
    u16(TPM_ECC_NIST_P256),
    u16(TPM_ALG.null), // kdf
    sized(publicKey.subarray(1, 33), 'x', 32),
    sized(publicKey.subarray(33, 65), 'y', 32),
  );
}

export function makeAttestationKey(key: KeyPair, objectAttributes = AK_OBJECT_ATTRIBUTES): TpmAttestationKey {
  if (key.curve !== 'p256') throw new RangeError('key: the simulated AK is ECDSA P-256');
  const publicArea = eccAkPublicArea(key.publicKey, objectAttributes);
  const name = concatBytes(u16(TPM_ALG.sha256), digest('sha256', publicArea));
  const qualifiedName = concatBytes(
    u16(TPM_ALG.sha256),
    digest('sha256', concatBytes(u32(TPM_RH_OWNER), name)),
  );
  return { key, objectAttributes, publicArea, name, qualifiedName };
}

/** A refusal by the simulated TPM, with the response code a real TPM returns. */
export class TpmRefusal extends Error {
  constructor(
    readonly code: 'TPM_RC_TICKET' | 'TPM_RC_KEY',
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = 'TpmRefusal';
  }
}

function ecdsaSignature(ak: TpmAttestationKey, message: Uint8Array): TpmtSignature {
  const rs = sign('p256', ak.key.privateKey, message, { hash: 'sha256' });
  return { sigAlg: TPM_ALG.ecdsa, hash: TPM_ALG.sha256, r: rs.slice(0, 32), s: rs.slice(32) };
}

/**
 * TPM2_Hash then TPM2_Sign on caller-supplied data. A restricted key signs only digests that come with
 * a hash-check ticket, and TPM2_Hash issues no ticket for data that starts with TPM_GENERATED_VALUE —
 * otherwise anyone could have an AK sign a TPMS_ATTEST of their own making, i.e. forge a quote.
 */
export function tpm2SignExternal(ak: TpmAttestationKey, data: Uint8Array): TpmtSignature {
  assertBytes(data, 'data');
  const looksGenerated =
    data.length >= 4 &&
    ((data[0] << 24) | (data[1] << 16) | (data[2] << 8) | data[3]) >>> 0 === TPM_GENERATED_VALUE;
  if (looksGenerated && ak.objectAttributes & TPMA_RESTRICTED) {
    throw new TpmRefusal(
      'TPM_RC_TICKET',
      'a restricted key does not sign external data that starts with TPM_GENERATED_VALUE (0xFF544347): it would be a forged quote',
    );
  }
  return ecdsaSignature(ak, data);
}

export interface QuoteRequest {
  pcrs: PcrValues;
  /** qualifyingData: the verifier's nonce, at most 64 bytes. */
  nonce: Uint8Array;
  clockInfo?: TpmsClockInfo;
  firmwareVersion?: bigint;
}

/** TPM2_Quote: the TPM builds TPMS_ATTEST itself (so the restriction does not apply) and signs it. */
export function tpm2Quote(ak: TpmAttestationKey, req: QuoteRequest): TpmQuote & { decoded: TpmsAttestQuote } {
  if (!(ak.objectAttributes & 0x00040000)) throw new TpmRefusal('TPM_RC_KEY', 'the key is not a signing key');
  const pcrSelect = selectionFor(req.pcrs);
  const decoded: TpmsAttestQuote = {
    qualifiedSigner: ak.qualifiedName,
    extraData: req.nonce,
    clockInfo: req.clockInfo ?? { clock: 0n, resetCount: 0, restartCount: 0, safe: true },
    firmwareVersion: req.firmwareVersion ?? 0n,
    pcrSelect,
    pcrDigest: pcrDigest('sha256', pcrSelect, req.pcrs),
  };
  const attest = encodeTpmsAttest(decoded);
  return { attest, signature: encodeTpmtSignature(ecdsaSignature(ak, attest)), decoded };
}

// ---- Demo evidence ----

const DEMO_AK_ORG = { O: 'DEMO simulation - not a TPM vendor', C: 'US' } as const;
const AK_VALIDITY = {
  notBefore: new Date('2025-01-01T00:00:00Z'),
  notAfter: new Date('2045-01-01T00:00:00Z'),
};

export interface DemoTpmAk {
  ak: TpmAttestationKey;
  /** The demo AK CA's key and self-signed certificate (DER). */
  caKey: KeyPair;
  caCertificate: Uint8Array;
  /** The AK certificate (DER), issued by the demo AK CA. */
  akCertificate: Uint8Array;
  chain: Certificate[];
}

/** A DEMO AK (ECDSA P-256 from the seed) with a certificate from a DEMO AK CA — what an EK-based enrolment yields. */
export function demoTpmAk(seed: Seed): DemoTpmAk {
  const drbg = seededDrbg(seed).fork('demo-tpm');
  const caKey = generateKeyPair('p256', drbg.fork('ak-ca'));
  const ak = makeAttestationKey(generateKeyPair('p256', drbg.fork('ak')));
  const serials = drbg.fork('serials');
  // A positive INTEGER with no leading zero byte.
  const serial = () => serials.generate(8).map((b, i) => (i === 0 ? (b & 0x7f) | 1 : b));
  const caName = { CN: 'DEMO vTPM AK CA', ...DEMO_AK_ORG };
  const signer = { kind: 'ecdsa', curve: 'p256', privateKey: caKey.privateKey, hash: 'sha256' } as const;
  const caCertificate = issueCertificate(
    {
      serialNumber: serial(),
      subject: caName,
      issuer: caName,
      ...AK_VALIDITY,
      publicKey: { kind: 'ec', curve: 'p256', point: caKey.publicKey },
      isCA: true,
    },
    signer,
  );
  const akCertificate = issueCertificate(
    {
      serialNumber: serial(),
      subject: { CN: 'DEMO vTPM attestation key', ...DEMO_AK_ORG },
      issuer: caName,
      ...AK_VALIDITY,
      publicKey: { kind: 'ec', curve: 'p256', point: ak.key.publicKey },
      isCA: false,
    },
    signer,
  );
  return {
    ak,
    caKey,
    caCertificate,
    akCertificate,
    chain: [parseCertificate(akCertificate), parseCertificate(caCertificate)],
  };
}

export interface DemoTpmEvidence {
  /** TPMS_ATTEST bytes (what `tpm2_quote -m` writes). */
  attest: Uint8Array;
  /** TPMT_SIGNATURE bytes (what `tpm2_quote -s` writes). */
  signature: Uint8Array;
  /** TPM2_Quote response parameters: TPM2B_ATTEST ‖ TPMT_SIGNATURE, one file. */
  quote: Uint8Array;
  akCertificate: Uint8Array;
  akCaCertificate: Uint8Array;
  decoded: TpmsAttestQuote;
}

/** A simulated vTPM quote of `pcrs` over `nonce`, signed by the seed's DEMO AK. Same inputs → same bytes. */
export function demoTpmEvidence(seed: Seed, opts: { pcrs: PcrValues; nonce: Uint8Array }): DemoTpmEvidence {
  const { ak, akCertificate, caCertificate } = demoTpmAk(seed);
  const clock = seededDrbg(seed).fork('demo-tpm-clock').generate(8);
  const q = tpm2Quote(ak, {
    pcrs: opts.pcrs,
    nonce: opts.nonce,
    // A plausible running TPM: clock in ms (below 2^40, about 35 years), a few resets, firmware 1.38.
    clockInfo: { clock: bytesToBigInt(clock.subarray(3)), resetCount: 3, restartCount: 0, safe: true },
    firmwareVersion: 0x0001002600000000n,
  });
  return {
    attest: q.attest,
    signature: q.signature,
    quote: encodeTpmQuote(q),
    akCertificate,
    akCaCertificate: caCertificate,
    decoded: q.decoded,
  };
}
