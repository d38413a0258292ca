/**
 * RSA signatures, for the vendor certificate chains that use them (AMD's ARK and ASK sign with
 * RSASSA-PSS/SHA-384; some PKIs still use PKCS #1 v1.5). Verification comes from micro-rsa-dsa-dh
 * (noble's sibling). Signing, needed only to issue simulated certificates from committed demo keys,
 * encodes EMSA-PSS here with a caller-supplied salt, so the same seed gives the same certificate.
 */
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { mgf1, PKCS1_SHA1, PKCS1_SHA256, PKCS1_SHA384, PKCS1_SHA512, PSS } from 'micro-rsa-dsa-dh/rsa.js';
import { assertBytes, bigIntToBytes, bytesToBigInt, concatBytes } from './bytes';
import { countOp } from './counters';
import { digestSize, type HashAlg } from './hash';

export interface RsaPublicKey {
  n: bigint;
  e: bigint;
}

/** With the CRT parameters, signing a 4096-bit key takes two 2048-bit exponentiations instead of one of 4096. */
export interface RsaPrivateKey extends RsaPublicKey {
  d: bigint;
  p: bigint;
  q: bigint;
  dp: bigint;
  dq: bigint;
  qi: bigint;
}

const HASH = { sha1, sha256, sha384, sha512 } as const;
const PKCS1 = { sha1: PKCS1_SHA1, sha256: PKCS1_SHA256, sha384: PKCS1_SHA384, sha512: PKCS1_SHA512 } as const;

export function modulusBits(key: RsaPublicKey): number {
  return key.n.toString(2).length;
}

/** The modulus size for counting; a malformed key (refused by the verifier right after) counts as '?'. */
function bitsForCount(key: RsaPublicKey): number | '?' {
  return typeof key === 'object' && key !== null && typeof key.n === 'bigint' ? modulusBits(key) : '?';
}

/** RSASSA-PSS verification (RFC 8017 §8.1.2) with MGF1 over the same hash. */
export function rsaPssVerify(
  hash: HashAlg,
  publicKey: RsaPublicKey,
  message: Uint8Array,
  signature: Uint8Array,
  saltLength: number,
): boolean {
  assertBytes(message, 'message');
  assertBytes(signature, 'signature');
  countOp(`rsa-pss-${bitsForCount(publicKey)}`, 'verify');
  try {
    return PSS(HASH[hash], mgf1(HASH[hash]), saltLength).verify(publicKey, message, signature);
  } catch {
    return false;
  }
}

/** RSASSA-PKCS1-v1_5 verification (RFC 8017 §8.2.2). */
export function rsaPkcs1Verify(
  hash: HashAlg,
  publicKey: RsaPublicKey,
  message: Uint8Array,
  signature: Uint8Array,
): boolean {
  assertBytes(message, 'message');
  assertBytes(signature, 'signature');
  countOp(`rsa-pkcs1-${bitsForCount(publicKey)}`, 'verify');
  try {
    return PKCS1[hash].verify(publicKey, message, signature);
  } catch {
    return false;
  }
}

/**
 * base^exp mod mod by left-to-right sliding windows (Handbook of Applied Cryptography, Algorithm
 * 14.85): for a 2048-bit exponent, 2,048 squarings and ~300 multiplications by precomputed odd powers
 * instead of the ~1,024 of square-and-multiply. Variable-time, like the square-and-multiply it
 * replaces: it only signs with the committed demo keys.
 */
export function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
  if (mod < 1n) throw new RangeError('modPow: modulus must be positive');
  if (exp < 0n) throw new RangeError('modPow: negative exponent');
  if (mod === 1n) return 0n;
  let b = base % mod;
  if (b < 0n) b += mod;
  if (exp === 0n) return 1n;
  const bits = exp.toString(2);
  const L = bits.length;
  // HAC Table 14.16: the window that minimises squarings + multiplications for this exponent length.
  const w = L > 671 ? 6 : L > 239 ? 5 : L > 79 ? 4 : L > 23 ? 3 : L > 6 ? 2 : 1;
  const odd: bigint[] = [b];
  if (w > 1) {
    const b2 = (b * b) % mod;
    for (let i = 1; i < 1 << (w - 1); i++) odd.push((odd[i - 1] * b2) % mod);
  }
  let r = 1n;
  let started = false;
  let i = 0;
  while (i < L) {
    if (bits.charCodeAt(i) === 48) {
      if (started) r = (r * r) % mod;
      i++;
      continue;
    }
    // The longest window bits[i..j] of at most w bits that ends in a 1.
    let j = Math.min(i + w, L) - 1;
    while (bits.charCodeAt(j) === 48) j--;
    let value = 0;
    for (let k = i; k <= j; k++) {
      value = (value << 1) | (bits.charCodeAt(k) - 48);
      if (started) r = (r * r) % mod;
    }
    r = started ? (r * odd[(value - 1) >> 1]) % mod : odd[(value - 1) >> 1];
    started = true;
    i = j + 1;
  }
  return r;
}

/** EMSA-PSS-ENCODE (RFC 8017 §9.1.1) with the salt given. */
function emsaPssEncode(hash: HashAlg, message: Uint8Array, emBits: number, salt: Uint8Array): Uint8Array {
  const hLen = digestSize(hash);
  const emLen = Math.ceil(emBits / 8);
  if (emLen < hLen + salt.length + 2) throw new RangeError('salt: too long for this modulus');
  const mHash = HASH[hash](message);
  const h = HASH[hash](concatBytes(new Uint8Array(8), mHash, salt));
  const db = new Uint8Array(emLen - hLen - 1);
  db[db.length - salt.length - 1] = 0x01;
  db.set(salt, db.length - salt.length);
  const mask = mgf1(HASH[hash])(h, { dkLen: db.length });
  for (let i = 0; i < db.length; i++) db[i] ^= mask[i];
  db[0] &= 0xff >> (8 * emLen - emBits);
  return concatBytes(db, h, Uint8Array.of(0xbc));
}

/** RSASSA-PSS signature (RFC 8017 §8.1.1); the salt's length is the signature's salt length. */
export function rsaPssSign(
  hash: HashAlg,
  privateKey: RsaPrivateKey,
  message: Uint8Array,
  salt: Uint8Array,
): Uint8Array {
  assertBytes(message, 'message');
  assertBytes(salt, 'salt');
  const bits = modulusBits(privateKey);
  countOp(`rsa-pss-${bits}`, 'sign');
  const em = emsaPssEncode(hash, message, bits - 1, salt);
  const m = bytesToBigInt(em);
  // CRT (RFC 8017 §5.1.2, second form).
  const s1 = modPow(m, privateKey.dp, privateKey.p);
  const s2 = modPow(m, privateKey.dq, privateKey.q);
  const hq = (((s1 - s2) % privateKey.p) + privateKey.p) % privateKey.p;
  const s = s2 + privateKey.q * ((privateKey.qi * hq) % privateKey.p);
  return bigIntToBytes(s, Math.ceil(bits / 8));
}
