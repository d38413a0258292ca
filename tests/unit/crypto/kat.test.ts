/**
 * Known-answer tests: every vector in tests/vectors/ (copied from NIST CAVP, RFC 4231, RFC 5869,
 * RFC 6979 and the GCM specification; each file names its source) must come out exactly.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AuthenticationError, aesGcmDecrypt, aesGcmEncrypt } from '../../../src/core/crypto/aes-gcm';
import { fromHex, toHex, utf8 } from '../../../src/core/crypto/bytes';
import { HmacDrbg, type DrbgHash } from '../../../src/core/crypto/drbg';
import { ecdhSharedSecret } from '../../../src/core/crypto/ecdh';
import {
  publicKeyFromPrivate,
  sign,
  verify,
  type Curve,
  type EcdsaHash,
} from '../../../src/core/crypto/ecdsa';
import { digest, type HashAlg } from '../../../src/core/crypto/hash';
import { hkdf, hkdfExtract } from '../../../src/core/crypto/hkdf';
import { hmac } from '../../../src/core/crypto/hmac';

interface VectorFile<T> {
  source: string;
  vectors: T[];
}
function load<T>(name: string): T[] {
  const file = JSON.parse(
    readFileSync(new URL(`../../vectors/${name}`, import.meta.url), 'utf8'),
  ) as VectorFile<T>;
  expect(file.source.length).toBeGreaterThan(10);
  expect(file.vectors.length).toBeGreaterThan(0);
  return file.vectors;
}
const h = (s: string) => fromHex(s);

describe('known-answer vectors', () => {
  it('SHA-1/256/384/512: NIST CAVP SHAVS short and long messages', () => {
    const v = load<{ alg: HashAlg; msg: string; md: string }>('sha.json');
    for (const alg of ['sha1', 'sha256', 'sha384', 'sha512']) expect(v.some((x) => x.alg === alg)).toBe(true);
    for (const x of v)
      expect(toHex(digest(x.alg, h(x.msg))), `${x.alg} of ${x.msg.length / 2} bytes`).toBe(x.md);
  });

  it('HMAC-SHA-256/384/512: RFC 4231 test cases 1–7', () => {
    const v = load<{
      case: number;
      key: string;
      data: string;
      sha256: string;
      sha384: string;
      sha512: string;
      truncateBytes?: number;
    }>('hmac-rfc4231.json');
    expect(v).toHaveLength(7);
    for (const x of v) {
      for (const alg of ['sha256', 'sha384', 'sha512'] as const) {
        const mac = hmac(alg, h(x.key), h(x.data)).subarray(0, x.truncateBytes);
        expect(toHex(mac), `case ${x.case} ${alg}`).toBe(x[alg]);
      }
    }
  });

  it('HKDF: RFC 5869 test cases A.1–A.7 (PRK and OKM)', () => {
    const v = load<{
      case: number;
      hash: HashAlg;
      ikm: string;
      salt: string;
      info: string;
      length: number;
      prk: string;
      okm: string;
    }>('hkdf-rfc5869.json');
    expect(v).toHaveLength(7);
    for (const x of v) {
      expect(toHex(hkdfExtract(x.hash, h(x.ikm), h(x.salt))), `case ${x.case} PRK`).toBe(x.prk);
      expect(toHex(hkdf(x.hash, h(x.ikm), h(x.salt), h(x.info), x.length)), `case ${x.case} OKM`).toBe(x.okm);
    }
  });

  it('ECDSA P-256/P-384: RFC 6979 A.2.5/A.2.6 deterministic signatures, byte for byte', () => {
    const v = load<{
      curve: Curve;
      privateKey: string;
      publicKeyX: string;
      publicKeyY: string;
      signatures: { hash: EcdsaHash; message: string; r: string; s: string }[];
    }>('ecdsa-rfc6979.json');
    expect(v.map((x) => x.curve).sort()).toEqual(['p256', 'p384']);
    for (const key of v) {
      const pub = publicKeyFromPrivate(key.curve, h(key.privateKey));
      expect(toHex(pub)).toBe(`04${key.publicKeyX}${key.publicKeyY}`);
      expect(key.signatures.length).toBeGreaterThanOrEqual(6);
      for (const s of key.signatures) {
        const sig = sign(key.curve, h(key.privateKey), utf8(s.message), { hash: s.hash });
        expect(toHex(sig), `${key.curve} ${s.hash} "${s.message}"`).toBe(s.r + s.s);
        expect(verify(key.curve, sig, utf8(s.message), pub, { hash: s.hash })).toBe(true);
      }
    }
  });

  it('ECDH P-256/P-384: NIST CAVP KAS ECC CDH primitive', () => {
    const v = load<{
      curve: Curve;
      peerX: string;
      peerY: string;
      privateKey: string;
      publicX: string;
      publicY: string;
      shared: string;
    }>('ecdh-cavp.json');
    for (const x of v) {
      expect(toHex(publicKeyFromPrivate(x.curve, h(x.privateKey)))).toBe(`04${x.publicX}${x.publicY}`);
      expect(toHex(ecdhSharedSecret(x.curve, h(x.privateKey), h(`04${x.peerX}${x.peerY}`)))).toBe(x.shared);
    }
  });

  it('AES-GCM: GCM specification test cases and NIST CAVP (encrypt, decrypt, and tag failures)', () => {
    const v = load<{
      name: string;
      key: string;
      iv: string;
      pt: string;
      aad: string;
      ct: string;
      tag: string;
      fail?: boolean;
    }>('aes-gcm.json');
    expect(v.some((x) => x.fail)).toBe(true);
    for (const x of v) {
      const sealed = h(x.ct + x.tag);
      if (x.fail) {
        expect(() => aesGcmDecrypt(h(x.key), h(x.iv), sealed, h(x.aad)), x.name).toThrow(AuthenticationError);
        continue;
      }
      expect(toHex(aesGcmEncrypt(h(x.key), h(x.iv), h(x.pt), h(x.aad))), x.name).toBe(x.ct + x.tag);
      expect(toHex(aesGcmDecrypt(h(x.key), h(x.iv), sealed, h(x.aad))), x.name).toBe(x.pt);
    }
  });

  it('HMAC_DRBG SHA-256/384: NIST CAVP (no reseed, and reseed without prediction resistance)', () => {
    const v = load<{
      hash: DrbgHash;
      entropy: string;
      nonce: string;
      personalization: string;
      reseedEntropy?: string;
      reseedAdditional?: string;
      additional1: string;
      additional2: string;
      returnedBits: string;
    }>('hmac-drbg.json');
    expect(v.some((x) => x.reseedEntropy !== undefined)).toBe(true);
    for (const [i, x] of v.entries()) {
      const d = new HmacDrbg(x.hash, h(x.entropy), h(x.nonce), h(x.personalization));
      if (x.reseedEntropy !== undefined) d.reseed(h(x.reseedEntropy), h(x.reseedAdditional ?? ''));
      const n = x.returnedBits.length / 2;
      d.generate(n, h(x.additional1));
      expect(toHex(d.generate(n, h(x.additional2))), `vector ${i} (${x.hash})`).toBe(x.returnedBits);
    }
  });
});
