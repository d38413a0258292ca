/**
 * ECDSA over NIST P-256 and P-384 with deterministic nonces (RFC 6979), signatures in raw r‖s or DER
 * form. Keys are SEC1 points (uncompressed 0x04 ‖ X ‖ Y) and big-endian private scalars.
 */
import { p256, p384 } from '@noble/curves/nist.js';
import { invert } from '@noble/curves/abstract/modular.js';
import { assertBytes, bigIntToBytes, bytesToBigInt, concatBytes, toHex } from './bytes';
import { BoundedCache } from '../bounded-cache';
import { countOp, publicKeyOps } from './counters';
import { PUBLIC_CURVES, type CombTable } from './ec-public';
import { HmacDrbg } from './drbg';
import { assertHashAlg, digest, digestSize, type HashAlg } from './hash';

export type Curve = 'p256' | 'p384';
export type SignatureFormat = 'raw' | 'der';
export type EcdsaHash = Exclude<HashAlg, 'sha1'>;

export interface KeyPair {
  curve: Curve;
  /** Big-endian scalar, 32 or 48 bytes. */
  privateKey: Uint8Array;
  /** Uncompressed SEC1 point, 65 or 97 bytes. */
  publicKey: Uint8Array;
}

const BASE = { p256, p384 } as const;
// noble supplies the curves' parameters, point decoding and validation, and the signature encodings;
// the arithmetic of key derivation, signing and verification is ec-public.ts's (public-seed keys only).
/** The hash each curve is conventionally paired with (ES256, ES384; SEV-SNP reports use P-384/SHA-384). */
export const CURVE_HASH = { p256: 'sha256', p384: 'sha384' } as const satisfies Record<Curve, EcdsaHash>;
const FIELD_BYTES = { p256: 32, p384: 48 } as const;

export function assertCurve(curve: unknown): asserts curve is Curve {
  if (curve !== 'p256' && curve !== 'p384') {
    throw new RangeError(`curve: expected 'p256' or 'p384', got ${JSON.stringify(curve)}`);
  }
}

export function fieldBytes(curve: Curve): number {
  return FIELD_BYTES[curve];
}

export interface SignOptions {
  /** Digest applied to the message (default: the curve's own, SHA-256 or SHA-384). */
  hash?: EcdsaHash;
  format?: SignatureFormat;
}

function hashFor(curve: Curve, opts: SignOptions): EcdsaHash {
  const h = opts.hash ?? CURVE_HASH[curve];
  assertHashAlg(h, 'hash');
  if (h === ('sha1' as HashAlg)) throw new RangeError('hash: SHA-1 signatures are not produced');
  return h;
}

function assertPrivateKey(curve: Curve, privateKey: unknown): asserts privateKey is Uint8Array {
  assertBytes(privateKey, 'privateKey', FIELD_BYTES[curve]);
  if (!BASE[curve].utils.isValidSecretKey(privateKey)) {
    throw new RangeError(`privateKey: not a scalar in [1, n-1] for ${curve}`);
  }
}

// ---- signing ---------------------------------------------------------------------------------------
// A deterministic signature (RFC 6979, no extra entropy) is a pure function of the curve, the hash, the
// private key and the digest, and a simulation signs the same digest with the same key again and again
// (one seed's evidence in every cell of a platform's row). Signatures are memoised by the exact value of
// all of these; each caller gets its own copy. Only signatures actually computed count in publicKeyOps.
const signatures = new BoundedCache<Uint8Array>(1024);

function signPrehashed(
  curve: Curve,
  privateKey: Uint8Array,
  digestBytes: Uint8Array,
  hash: EcdsaHash,
  format: SignatureFormat,
): Uint8Array {
  const id = `${curve}/${hash}/${format}:${toHex(privateKey)}:${toHex(digestBytes)}`;
  const known = signatures.get(id);
  if (known) return known.slice();
  countOp(`ecdsa-${curve}`, 'sign');
  const raw = rfc6979Sign(curve, privateKey, digestBytes, hash);
  const signature = format === 'raw' ? raw : rawToDer(curve, raw);
  signatures.set(id, signature.slice());
  return signature;
}

/**
 * ECDSA signing (SEC 1 v2 §4.1.3) with RFC 6979's deterministic k, on ec-public.ts's generator table
 * (variable-time: every private key here comes from a public seed or is a committed demo key; see
 * ec-public.ts). RFC 6979 §3.2 steps b–h are HMAC_DRBG (SP 800-90A) instantiated with
 * int2octets(x) ‖ bits2octets(h1) and no nonce or personalization, and each retry (step h.3) is the
 * DRBG's own update after a generate, so drbg.ts's generator gives k. The result equals noble's and
 * OpenSSL's byte for byte (tests/unit/crypto/ecdsa-sign.test.ts). High-S values are kept.
 */
function rfc6979Sign(
  curve: Curve,
  privateKey: Uint8Array,
  digestBytes: Uint8Array,
  hash: EcdsaHash,
): Uint8Array {
  const c = PUBLIC_CURVES[curve];
  const n = c.n;
  const len = FIELD_BYTES[curve];
  const d = bytesToBigInt(privateKey);
  const e = digestToScalar(curve, digestBytes);
  const drbg = new HmacDrbg(hash, concatBytes(privateKey, bigIntToBytes(e, len)));
  for (;;) {
    // P-256 and P-384: qlen is a whole number of bytes, so bits2int(T) is T read as an integer.
    const k = bytesToBigInt(drbg.generate(len));
    if (k === 0n || k >= n) continue;
    const R = c.toAffine(c.multiplyBase(k));
    if (!R) continue;
    const r = R.x % n;
    if (r === 0n) continue;
    const s = (invert(k, n) * ((e + r * d) % n)) % n;
    if (s === 0n) continue;
    return concatBytes(bigIntToBytes(r, len), bigIntToBytes(s, len));
  }
}

/** Deterministic signature (RFC 6979) over `message`; high-S values are kept, as OpenSSL and RFC 6979 do. */
export function sign(
  curve: Curve,
  privateKey: Uint8Array,
  message: Uint8Array,
  opts: SignOptions = {},
): Uint8Array {
  assertCurve(curve);
  assertPrivateKey(curve, privateKey);
  assertBytes(message, 'message');
  const hash = hashFor(curve, opts);
  // RFC 6979 §2.4 and §3.2 use only H(m): signing the digest is the same computation.
  return signPrehashed(curve, privateKey, digest(hash, message), hash, opts.format ?? 'raw');
}

/** Signs a digest computed elsewhere (e.g. SHA-384 of a report's signed range). */
export function signDigest(
  curve: Curve,
  privateKey: Uint8Array,
  digest: Uint8Array,
  hash: EcdsaHash,
  format: SignatureFormat = 'raw',
): Uint8Array {
  assertCurve(curve);
  assertPrivateKey(curve, privateKey);
  assertBytes(digest, 'digest', digestSize(hash));
  return signPrehashed(curve, privateKey, digest, hash, format);
}

// ---- verification keys: decoded once, each with a comb --------------------------------------------
// A verifier meets the same few public keys again and again (a chip's VCEK, an attestation key, an
// enclave key). Decoding and validating a key, and building a comb for it, depend only on the
// key's bytes, so they are done once per key and kept in a small bounded cache keyed by the key's value
// (curve and SEC1 bytes). Every signature is still checked in full: u1·G + u2·Q is computed and
// compared with r for each call (ec-public.ts); the comb only shortens the computation of u2·Q.

/** A validated key and its comb (ec-public.ts): about one scalar multiplication to build. */
interface CachedKey {
  comb: CombTable;
}

/** Bounded: beyond this many distinct keys the oldest is dropped (insertion order). */
const KEY_CACHE_MAX = 64;
/** 6 teeth: 63 points; u2·Q then costs 43 (P-256) or 64 (P-384) doublings and as many additions. */
const COMB_TEETH = 6;
const keyCache = new BoundedCache<CachedKey>(KEY_CACHE_MAX);

/** The decoded (validated) key for `publicKey`; throws for bytes that are not a point on the curve. */
function verificationKey(curve: Curve, publicKey: Uint8Array): CachedKey {
  const id = `${curve}:${toHex(publicKey)}`;
  let entry = keyCache.get(id);
  if (!entry) {
    const point = BASE[curve].Point.fromBytes(publicKey);
    point.assertValidity();
    if (point.is0()) throw new RangeError('publicKey: the point at infinity');
    const { x, y } = point.toAffine();
    entry = { comb: PUBLIC_CURVES[curve].buildComb(x, y, COMB_TEETH) };
    keyCache.set(id, entry);
  }
  return entry;
}

/** bits2int (RFC 6979 §2.3.2) reduced mod n: the leftmost bits of the digest, as many as n has. */
function digestToScalar(curve: Curve, digestBytes: Uint8Array): bigint {
  const Fn = BASE[curve].Point.Fn;
  let h = bytesToBigInt(digestBytes);
  const excess = digestBytes.length * 8 - Fn.BITS;
  if (excess > 0) h >>= BigInt(excess);
  return Fn.create(h);
}

/**
 * SEC 1 v2 §4.1.4: u1 = e·s⁻¹, u2 = r·s⁻¹, R = u1·G + u2·Q, valid iff R ≠ O and R.x mod n = r. High-S
 * signatures are accepted (lowS: false), as in signing. False for anything malformed.
 */
function verifyPrehashed(
  curve: Curve,
  signature: Uint8Array,
  digestBytes: Uint8Array,
  publicKey: Uint8Array,
  format: SignatureFormat,
): boolean {
  try {
    const { Point, Signature } = BASE[curve];
    const Fn = Point.Fn;
    const { r, s } = Signature.fromBytes(signature, format === 'raw' ? 'compact' : 'der');
    const Q = verificationKey(curve, publicKey);
    const sInv = Fn.inv(s);
    const u1 = Fn.create(digestToScalar(curve, digestBytes) * sInv);
    const u2 = Fn.create(r * sInv);
    return PUBLIC_CURVES[curve].checkEcdsa(u1, u2, r, Q.comb);
  } catch {
    return false;
  }
}

/** True only for a valid signature; malformed signatures or keys give false, never an exception. */
export function verify(
  curve: Curve,
  signature: Uint8Array,
  message: Uint8Array,
  publicKey: Uint8Array,
  opts: SignOptions = {},
): boolean {
  assertCurve(curve);
  assertBytes(signature, 'signature');
  assertBytes(message, 'message');
  assertBytes(publicKey, 'publicKey');
  const hash = hashFor(curve, opts);
  countOp(`ecdsa-${curve}`, 'verify');
  return verifyPrehashed(curve, signature, digest(hash, message), publicKey, opts.format ?? 'raw');
}

export function verifyDigest(
  curve: Curve,
  signature: Uint8Array,
  digest: Uint8Array,
  publicKey: Uint8Array,
  hash: EcdsaHash,
  format: SignatureFormat = 'raw',
): boolean {
  assertCurve(curve);
  assertBytes(signature, 'signature');
  assertBytes(digest, 'digest', digestSize(hash));
  assertBytes(publicKey, 'publicKey');
  countOp(`ecdsa-${curve}`, 'verify');
  return verifyPrehashed(curve, signature, digest, publicKey, format);
}

/** r‖s (2 × field length) → ASN.1 DER `SEQUENCE { INTEGER r, INTEGER s }`. */
export function rawToDer(curve: Curve, raw: Uint8Array): Uint8Array {
  assertCurve(curve);
  assertBytes(raw, 'signature', 2 * FIELD_BYTES[curve]);
  return BASE[curve].Signature.fromBytes(raw, 'compact').toBytes('der');
}

/** DER → r‖s; RangeError for anything that is not a well-formed DER ECDSA signature. */
export function derToRaw(curve: Curve, der: Uint8Array): Uint8Array {
  assertCurve(curve);
  assertBytes(der, 'signature');
  try {
    return BASE[curve].Signature.fromBytes(der, 'der').toBytes('compact');
  } catch (e) {
    throw new RangeError(`signature: not a DER ECDSA signature for ${curve} (${(e as Error).message})`);
  }
}

// Deriving d·G is deterministic in d, and a simulation derives the same few keys again and again (a
// seed's TEE key in every cell of the matrix), so public keys are memoised by the private key's value.
// d·G itself uses ec-public.ts's generator table (variable-time: every private key here comes from a
// public seed or is a committed demo key; see ec-public.ts). Tests compare it with noble's getPublicKey.
const publicKeys = new BoundedCache<Uint8Array>(256);

/** Uncompressed SEC1 bytes of an affine point. */
function encodePoint(curve: Curve, x: bigint, y: bigint): Uint8Array {
  const out = new Uint8Array(1 + 2 * FIELD_BYTES[curve]);
  out[0] = 0x04;
  out.set(bigIntToBytes(x, FIELD_BYTES[curve]), 1);
  out.set(bigIntToBytes(y, FIELD_BYTES[curve]), 1 + FIELD_BYTES[curve]);
  return out;
}

function derivePublicKey(curve: Curve, privateKey: Uint8Array): Uint8Array {
  return publicKeys
    .getOrCompute(`${curve}:${toHex(privateKey)}`, () => {
      publicKeyOps.keyDerivation++;
      const c = PUBLIC_CURVES[curve];
      const point = c.toAffine(c.multiplyBase(bytesToBigInt(privateKey)));
      if (!point) throw new RangeError('privateKey: d·G is the point at infinity');
      return encodePoint(curve, point.x, point.y);
    })
    .slice();
}

export function publicKeyFromPrivate(curve: Curve, privateKey: Uint8Array): Uint8Array {
  assertCurve(curve);
  assertPrivateKey(curve, privateKey);
  return derivePublicKey(curve, privateKey);
}

/** True when `publicKey` is a SEC1 encoding of a point on the curve (compressed or not). */
export function isValidPublicKey(curve: Curve, publicKey: Uint8Array): boolean {
  assertCurve(curve);
  try {
    BASE[curve].Point.fromBytes(publicKey).assertValidity();
    return true;
  } catch {
    return false;
  }
}

/** Uncompressed SEC1 form of any valid SEC1 point. */
export function uncompressPublicKey(curve: Curve, publicKey: Uint8Array): Uint8Array {
  assertCurve(curve);
  return BASE[curve].Point.fromBytes(publicKey).toBytes(false);
}

/**
 * A key pair drawn from the seeded DRBG, reducing extra bytes modulo n as FIPS 186-5 A.2.1 does, so
 * the same seed gives the same key everywhere.
 */
export function generateKeyPair(curve: Curve, drbg: HmacDrbg): KeyPair {
  assertCurve(curve);
  const seed = drbg.generate(BASE[curve].lengths.seed ?? FIELD_BYTES[curve] + 16);
  const privateKey = BASE[curve].utils.randomSecretKey(seed);
  return { curve, privateKey, publicKey: derivePublicKey(curve, privateKey) };
}
