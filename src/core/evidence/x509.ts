/**
 * X.509 certificates for the endorsement chains (AMD ARK → ASK → VCEK, Intel root → PCK, AWS Nitro
 * root → enclave certificate): parse, verify signatures and chains, and issue simulated ones.
 * ASN.1 comes from @peculiar/asn1-x509; the signed TBS bytes are cut from the original DER, never
 * re-encoded, so a verifier checks exactly the bytes the issuer signed.
 */
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  ECParameters,
  id_ecdsaWithSHA256,
  id_ecdsaWithSHA384,
  id_ecPublicKey,
  id_secp384r1,
  id_secp256r1,
} from '@peculiar/asn1-ecc';
import {
  id_mgf1,
  id_rsaEncryption,
  id_RSASSA_PSS,
  id_sha256,
  id_sha256WithRSAEncryption,
  id_sha384,
  id_sha384WithRSAEncryption,
  id_sha512,
  RSAPublicKey,
  RsaSaPssParams,
} from '@peculiar/asn1-rsa';
import {
  AlgorithmIdentifier,
  AttributeTypeAndValue,
  AttributeValue,
  BasicConstraints,
  Certificate as AsnCertificate,
  Extension as AsnExtension,
  Extensions,
  id_ce_basicConstraints,
  Name,
  RelativeDistinguishedName,
  SubjectPublicKeyInfo,
  TBSCertificate,
  Time,
  Validity,
} from '@peculiar/asn1-x509';
import {
  bigIntToMinimalBytes,
  bytesEqual,
  bytesToBigInt,
  concatBytes,
  fromBase64,
  toBase64,
  toHex,
} from '../crypto/bytes';
import { rawToDer, signDigest, verify as ecdsaVerify, type Curve } from '../crypto/ecdsa';
import { digest, type HashAlg } from '../crypto/hash';
import {
  rsaPkcs1Verify,
  rsaPssSign,
  rsaPssVerify,
  type RsaPrivateKey,
  type RsaPublicKey,
} from '../crypto/rsa';
import { BoundedCache } from '../bounded-cache';
import { FormatError } from '../errors';

export type PublicKeyInfo =
  { kind: 'ec'; curve: Curve; point: Uint8Array } | { kind: 'rsa'; key: RsaPublicKey };

export type SignatureAlgorithm =
  | { kind: 'ecdsa'; hash: 'sha256' | 'sha384' }
  | { kind: 'rsa-pss'; hash: 'sha256' | 'sha384' | 'sha512'; saltLength: number }
  | { kind: 'rsa-pkcs1'; hash: 'sha256' | 'sha384' };

export interface CertExtension {
  oid: string;
  critical: boolean;
  /** The extnValue OCTET STRING's contents (DER of the extension's own type). */
  value: Uint8Array;
}

export interface Certificate {
  der: Uint8Array;
  /** The exact TBSCertificate bytes from `der`, i.e. what the issuer signed. */
  tbs: Uint8Array;
  serialNumber: string;
  subject: string;
  issuer: string;
  notBefore: Date;
  notAfter: Date;
  publicKey: PublicKeyInfo;
  signatureAlgorithm: SignatureAlgorithm;
  signature: Uint8Array;
  extensions: CertExtension[];
  /** From basicConstraints; undefined when the extension is absent. */
  isCA?: boolean;
}

const NAME_KEYS: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.5': 'serialNumber',
};
const NAME_OIDS = Object.fromEntries(Object.entries(NAME_KEYS).map(([k, v]) => [v, k]));
const CURVE_OID: Record<string, Curve> = { [id_secp256r1]: 'p256', [id_secp384r1]: 'p384' };
const HASH_OID: Record<string, 'sha256' | 'sha384' | 'sha512'> = {
  [id_sha256]: 'sha256',
  [id_sha384]: 'sha384',
  [id_sha512]: 'sha512',
};

/** Reads one DER TLV header at `off`: returns where its content starts and ends. */
function tlv(b: Uint8Array, off: number, what: string): { tag: number; start: number; end: number } {
  if (off + 2 > b.length) throw new FormatError('x509', what, off, 'truncated DER header');
  const tag = b[off];
  let len = b[off + 1];
  let start = off + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || start + n > b.length)
      throw new FormatError('x509', what, off + 1, 'bad DER length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[start + i];
    start += n;
  }
  if (start + len > b.length) throw new FormatError('x509', what, off, `DER length ${len} runs past the end`);
  return { tag, start, end: start + len };
}

function formatName(name: Name): string {
  return name
    .map((rdn) =>
      rdn
        .map(
          (atv) => `${NAME_KEYS[atv.type] ?? atv.type}=${atv.value.toString().replace(/([,+=\\])/g, '\\$1')}`,
        )
        .join('+'),
    )
    .join(', ');
}

function timeOf(t: Time): Date {
  return t.utcTime ?? t.generalTime ?? new Date(NaN);
}

/** A well-formed certificate whose key or signature algorithm the explorer does not handle. */
class UnsupportedAlgorithm extends Error {}

function parsePublicKey(spki: SubjectPublicKeyInfo): PublicKeyInfo {
  const oid = spki.algorithm.algorithm;
  const raw = new Uint8Array(spki.subjectPublicKey);
  if (oid === id_ecPublicKey) {
    const params = spki.algorithm.parameters
      ? AsnConvert.parse(spki.algorithm.parameters, ECParameters)
      : undefined;
    const curve = params?.namedCurve ? CURVE_OID[params.namedCurve] : undefined;
    if (!curve) throw new UnsupportedAlgorithm(`unsupported EC curve ${params?.namedCurve ?? '(none)'}`);
    return { kind: 'ec', curve, point: raw };
  }
  if (oid === id_rsaEncryption || oid === id_RSASSA_PSS) {
    const k = AsnConvert.parse(raw, RSAPublicKey);
    return {
      kind: 'rsa',
      key: {
        n: bytesToBigInt(new Uint8Array(k.modulus)),
        e: bytesToBigInt(new Uint8Array(k.publicExponent)),
      },
    };
  }
  throw new UnsupportedAlgorithm(`unsupported public key algorithm ${oid}`);
}

function parseSignatureAlgorithm(alg: AlgorithmIdentifier): SignatureAlgorithm {
  switch (alg.algorithm) {
    case id_ecdsaWithSHA256:
      return { kind: 'ecdsa', hash: 'sha256' };
    case id_ecdsaWithSHA384:
      return { kind: 'ecdsa', hash: 'sha384' };
    case id_sha256WithRSAEncryption:
      return { kind: 'rsa-pkcs1', hash: 'sha256' };
    case id_sha384WithRSAEncryption:
      return { kind: 'rsa-pkcs1', hash: 'sha384' };
    case id_RSASSA_PSS: {
      if (!alg.parameters) throw new UnsupportedAlgorithm('RSASSA-PSS without parameters');
      const p = AsnConvert.parse(alg.parameters, RsaSaPssParams);
      const hash = HASH_OID[p.hashAlgorithm.algorithm];
      if (!hash) throw new UnsupportedAlgorithm(`unsupported PSS hash ${p.hashAlgorithm.algorithm}`);
      if (p.maskGenAlgorithm.algorithm !== id_mgf1)
        throw new UnsupportedAlgorithm('PSS mask generation other than MGF1');
      return { kind: 'rsa-pss', hash, saltLength: p.saltLength };
    }
    default:
      throw new UnsupportedAlgorithm(`unsupported signature algorithm ${alg.algorithm}`);
  }
}

// Parsing depends only on the DER bytes, and verifiers parse the same vendor chains in every
// appraisal (a quote's PCK chain, a Nitro document's CA bundle). Parsed certificates are kept, keyed by
// the exact DER; each caller gets its own copy, so nothing it does to the result reaches the cache.
// Bounded: beyond the cap the oldest entry is dropped (insertion order). Failures are not kept.
const parsedByDer = new BoundedCache<Certificate>(512);

function copyCertificate(c: Certificate): Certificate {
  const publicKey: PublicKeyInfo =
    c.publicKey.kind === 'ec'
      ? { ...c.publicKey, point: c.publicKey.point.slice() }
      : { kind: 'rsa', key: { ...c.publicKey.key } };
  return {
    ...c,
    der: c.der.slice(),
    tbs: c.tbs.slice(),
    notBefore: new Date(c.notBefore.getTime()),
    notAfter: new Date(c.notAfter.getTime()),
    publicKey,
    signatureAlgorithm: { ...c.signatureAlgorithm },
    signature: c.signature.slice(),
    extensions: c.extensions.map((x) => ({ ...x, value: x.value.slice() })),
  };
}

/** Parses one DER certificate; FormatError('x509', …) with an offset for anything malformed. */
export function parseCertificate(der: Uint8Array): Certificate {
  if (!(der instanceof Uint8Array)) return parseUncached(der);
  const id = toHex(der);
  const known = parsedByDer.get(id);
  if (known) return copyCertificate(known);
  const parsed = parseUncached(der);
  parsedByDer.set(id, copyCertificate(parsed));
  return parsed;
}

function parseUncached(der: Uint8Array): Certificate {
  const outer = tlv(der, 0, 'Certificate');
  if (outer.tag !== 0x30) throw new FormatError('x509', 'Certificate', 0, 'not a DER SEQUENCE');
  if (outer.end !== der.length)
    throw new FormatError('x509', 'Certificate', outer.end, 'trailing bytes after the certificate');
  const tbsTlv = tlv(der, outer.start, 'TBSCertificate');
  const tbs = der.slice(outer.start, tbsTlv.end);
  try {
    return describe(der, tbs);
  } catch (e) {
    if (e instanceof FormatError) throw e;
    if (e instanceof UnsupportedAlgorithm) throw new FormatError('x509', 'algorithm', outer.start, e.message);
    // The ASN.1 library throws plain Errors (sometimes lazily, on first access to a field).
    throw new FormatError(
      'x509',
      'TBSCertificate',
      outer.start,
      `ASN.1 does not parse (${(e as Error).message})`,
    );
  }
}

/** The certificate's fields, from the library's ASN.1 model; may throw the library's errors. */
function describe(der: Uint8Array, tbs: Uint8Array): Certificate {
  const cert = AsnConvert.parse(der, AsnCertificate);
  const t = cert.tbsCertificate;
  const extensions = (t.extensions ?? []).map((x) => ({
    oid: x.extnID,
    critical: x.critical,
    value: new Uint8Array(x.extnValue.buffer),
  }));
  const bc = extensions.find((x) => x.oid === id_ce_basicConstraints);
  return {
    der: Uint8Array.from(der),
    tbs,
    serialNumber: toHex(new Uint8Array(t.serialNumber)),
    subject: formatName(t.subject),
    issuer: formatName(t.issuer),
    notBefore: timeOf(t.validity.notBefore),
    notAfter: timeOf(t.validity.notAfter),
    publicKey: parsePublicKey(t.subjectPublicKeyInfo),
    signatureAlgorithm: parseSignatureAlgorithm(cert.signatureAlgorithm),
    signature: new Uint8Array(cert.signatureValue),
    extensions,
    ...(bc ? { isCA: AsnConvert.parse(bc.value, BasicConstraints).cA } : {}),
  };
}

/** Every CERTIFICATE block of a PEM text, as DER. */
export function pemToDer(text: string, label = 'CERTIFICATE'): Uint8Array[] {
  const re = new RegExp(`-----BEGIN ${label}-----([\\s\\S]*?)-----END ${label}-----`, 'g');
  return [...text.matchAll(re)].map((m, i) => fromBase64(m[1], `PEM block ${i + 1}`));
}

export function derToPem(der: Uint8Array, label = 'CERTIFICATE'): string {
  const b64 = toBase64(der)
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

/** Certificates from a file's bytes: PEM (one or many) or a single DER certificate. */
export function readCertificates(bytes: Uint8Array): Certificate[] {
  const text = new TextDecoder().decode(bytes.subarray(0, Math.min(bytes.length, 64)));
  if (text.includes('-----BEGIN')) {
    const ders = pemToDer(new TextDecoder().decode(bytes));
    if (ders.length === 0) throw new FormatError('x509', 'PEM', 0, 'no CERTIFICATE block');
    return ders.map(parseCertificate);
  }
  return [parseCertificate(bytes)];
}

/** Checks one signature; the sync default below, or answers computed ahead by WebCrypto (native-verify.ts). */
export type SignatureVerifier = (
  key: PublicKeyInfo,
  alg: SignatureAlgorithm,
  message: Uint8Array,
  signature: Uint8Array,
) => boolean;

/** True when `signature` (DER for ECDSA) over `message` verifies with `key` under `alg`. */
export const verifyWith: SignatureVerifier = (key, alg, message, signature) => {
  if (alg.kind === 'ecdsa') {
    if (key.kind !== 'ec') return false;
    return ecdsaVerify(key.curve, signature, message, key.point, { hash: alg.hash, format: 'der' });
  }
  if (key.kind !== 'rsa') return false;
  return alg.kind === 'rsa-pss'
    ? rsaPssVerify(alg.hash, key.key, message, signature, alg.saltLength)
    : rsaPkcs1Verify(alg.hash, key.key, message, signature);
};

// Whether a certificate verifies under a key is a pure function of the key, the signature algorithm,
// the TBS bytes and the signature. Endorsement chains (vendor roots, intermediates, per-chip
// certificates) are the same bytes in every appraisal, so each answer of the default verifier is kept,
// keyed by the exact values of all four: a changed byte anywhere is another entry, verified afresh.
// Only certificate links are remembered; evidence signatures are verified every time. Bounded: beyond
// the cap the oldest answer is dropped (insertion order).
const certLinks = new BoundedCache<boolean>(2048);

function linkId(key: PublicKeyInfo, cert: Certificate): string {
  const k =
    key.kind === 'ec'
      ? `ec:${key.curve}:${toHex(key.point)}`
      : `rsa:${key.key.n.toString(16)}:${key.key.e.toString(16)}`;
  const alg = cert.signatureAlgorithm;
  const a = alg.kind === 'rsa-pss' ? `rsa-pss:${alg.hash}:${alg.saltLength}` : `${alg.kind}:${alg.hash}`;
  return `${k}|${a}|${toHex(cert.signature)}|${toHex(cert.tbs)}`;
}

/** Does `issuer`'s key sign `cert`? */
export function isSignedBy(
  cert: Certificate,
  issuer: Certificate | PublicKeyInfo,
  verifier: SignatureVerifier = verifyWith,
): boolean {
  const key = 'publicKey' in issuer ? issuer.publicKey : issuer;
  if (verifier !== verifyWith) return verifier(key, cert.signatureAlgorithm, cert.tbs, cert.signature);
  const id = linkId(key, cert);
  return certLinks.getOrCompute(id, () => verifyWith(key, cert.signatureAlgorithm, cert.tbs, cert.signature));
}

export interface ChainStep {
  subject: string;
  ok: boolean;
  reason: string;
}

export interface ChainResult {
  ok: boolean;
  steps: ChainStep[];
}

/**
 * Verifies `chain` (leaf first, root last): each certificate is signed by the next, the root is
 * self-signed and is byte-for-byte one of `trustedRoots`, issuers are CAs, and every certificate is
 * valid at `at` (skipped when `at` is undefined: simulated time, or archived evidence).
 */
export function verifyChain(
  chain: Certificate[],
  trustedRoots: Certificate[],
  at?: Date,
  verifier: SignatureVerifier = verifyWith,
): ChainResult {
  const steps: ChainStep[] = [];
  if (chain.length === 0)
    return { ok: false, steps: [{ subject: '(none)', ok: false, reason: 'empty certificate chain' }] };
  for (let i = 0; i < chain.length; i++) {
    const c = chain[i];
    const issuer = chain[i + 1] ?? c;
    const problems: string[] = [];
    if (c.issuer !== issuer.subject)
      problems.push(`issuer '${c.issuer}' is not the next certificate's subject '${issuer.subject}'`);
    if (!isSignedBy(c, issuer, verifier))
      problems.push(`signature does not verify with the key of '${issuer.subject}'`);
    if (i > 0 && c.isCA === false)
      problems.push('issues certificates but basicConstraints says it is not a CA');
    if (at && (at < c.notBefore || at > c.notAfter)) {
      problems.push(
        `not valid at ${at.toISOString()} (valid ${c.notBefore.toISOString()} to ${c.notAfter.toISOString()})`,
      );
    }
    if (i === chain.length - 1 && !trustedRoots.some((r) => bytesEqual(r.der, c.der))) {
      problems.push('root is not a pinned trust anchor');
    }
    steps.push({
      subject: c.subject,
      ok: problems.length === 0,
      reason: problems.length
        ? problems.join('; ')
        : i === chain.length - 1
          ? 'pinned root, self-signed'
          : `signed by '${issuer.subject}'`,
    });
  }
  return { ok: steps.every((s) => s.ok), steps };
}

// ---- issuing simulated certificates ----

export type Signer =
  | { kind: 'ecdsa'; curve: Curve; privateKey: Uint8Array; hash: 'sha256' | 'sha384' }
  | { kind: 'rsa-pss'; privateKey: RsaPrivateKey; hash: 'sha384'; salt: Uint8Array };

export interface CertificateTemplate {
  serialNumber: Uint8Array;
  subject: Record<string, string>;
  issuer: Record<string, string>;
  notBefore: Date;
  notAfter: Date;
  publicKey: PublicKeyInfo;
  isCA: boolean;
  extensions?: CertExtension[];
}

function makeName(attrs: Record<string, string>): Name {
  return new Name(
    Object.entries(attrs).map(
      ([k, v]) =>
        new RelativeDistinguishedName([
          new AttributeTypeAndValue({
            type: NAME_OIDS[k] ?? k,
            value: new AttributeValue(k === 'C' ? { printableString: v } : { utf8String: v }),
          }),
        ]),
    ),
  );
}

function pssParams(hash: 'sha384'): AlgorithmIdentifier {
  const hashAlg = new AlgorithmIdentifier({ algorithm: hash === 'sha384' ? id_sha384 : id_sha256 });
  const params = new RsaSaPssParams({
    hashAlgorithm: hashAlg,
    maskGenAlgorithm: new AlgorithmIdentifier({
      algorithm: id_mgf1,
      parameters: AsnConvert.serialize(hashAlg),
    }),
    saltLength: 48,
  });
  return new AlgorithmIdentifier({ algorithm: id_RSASSA_PSS, parameters: AsnConvert.serialize(params) });
}

function signatureAlgorithmOf(s: Signer): AlgorithmIdentifier {
  if (s.kind === 'rsa-pss') return pssParams(s.hash);
  return new AlgorithmIdentifier({
    algorithm: s.hash === 'sha384' ? id_ecdsaWithSHA384 : id_ecdsaWithSHA256,
  });
}

function spkiOf(k: PublicKeyInfo): SubjectPublicKeyInfo {
  if (k.kind === 'ec') {
    const curveOid = k.curve === 'p256' ? id_secp256r1 : id_secp384r1;
    return new SubjectPublicKeyInfo({
      algorithm: new AlgorithmIdentifier({
        algorithm: id_ecPublicKey,
        parameters: AsnConvert.serialize(new ECParameters({ namedCurve: curveOid })),
      }),
      subjectPublicKey: k.point.slice().buffer,
    });
  }
  const n = k.key.n;
  const nBytes = bigIntToMinimalBytes(n);
  const rsa = new RSAPublicKey({
    modulus: Uint8Array.of(0, ...nBytes).buffer, // leading zero: INTEGER is signed
    publicExponent: bigIntToMinimalBytes(k.key.e).slice().buffer,
  });
  return new SubjectPublicKeyInfo({
    algorithm: new AlgorithmIdentifier({ algorithm: id_rsaEncryption, parameters: null }),
    subjectPublicKey: AsnConvert.serialize(rsa),
  });
}

function signBytes(s: Signer, tbs: Uint8Array): Uint8Array {
  if (s.kind === 'rsa-pss') return rsaPssSign(s.hash, s.privateKey, tbs, s.salt);
  const raw = signDigest(s.curve, s.privateKey, digest(s.hash as HashAlg, tbs), s.hash);
  return rawToDer(s.curve, raw);
}

/** Issues a v3 certificate signed by `signer` (deterministic: ECDSA per RFC 6979, PSS with the given salt). */
export function issueCertificate(t: CertificateTemplate, signer: Signer): Uint8Array {
  const sigAlg = signatureAlgorithmOf(signer);
  const exts = [
    new AsnExtension({
      extnID: id_ce_basicConstraints,
      critical: true,
      extnValue: new OctetString(AsnConvert.serialize(new BasicConstraints({ cA: t.isCA }))),
    }),
    ...(t.extensions ?? []).map(
      (x) => new AsnExtension({ extnID: x.oid, critical: x.critical, extnValue: new OctetString(x.value) }),
    ),
  ];
  const serial = t.serialNumber[0] & 0x80 ? Uint8Array.of(0, ...t.serialNumber) : t.serialNumber;
  const tbs = new TBSCertificate({
    version: 2,
    serialNumber: serial.slice().buffer,
    signature: sigAlg,
    issuer: makeName(t.issuer),
    validity: new Validity({ notBefore: t.notBefore, notAfter: t.notAfter }),
    subject: makeName(t.subject),
    subjectPublicKeyInfo: spkiOf(t.publicKey),
    extensions: new Extensions(exts),
  });
  const tbsDer = new Uint8Array(AsnConvert.serialize(tbs));
  // Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue BIT STRING }, put
  // together from the TBS bytes just signed rather than by encoding the TBS a second time (DER is
  // unique, so the bytes are those AsnConvert.serialize(Certificate) gives; x509.test.ts checks it).
  const signature = signBytes(signer, tbsDer);
  const bitString = derTlv(0x03, concatBytes(Uint8Array.of(0), signature));
  const algDer = new Uint8Array(AsnConvert.serialize(sigAlg));
  return derTlv(0x30, concatBytes(tbsDer, algDer, bitString));
}

/** One DER TLV with a definite, minimal length (X.690 §8.1.3, §10.1). */
function derTlv(tag: number, content: Uint8Array): Uint8Array {
  const n = content.length;
  const length =
    n < 0x80
      ? Uint8Array.of(n)
      : n < 0x100
        ? Uint8Array.of(0x81, n)
        : n < 0x10000
          ? Uint8Array.of(0x82, n >> 8, n & 0xff)
          : Uint8Array.of(0x83, n >> 16, (n >> 8) & 0xff, n & 0xff);
  return concatBytes(Uint8Array.of(tag), length, content);
}
