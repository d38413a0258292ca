/**
 * Cross-checks against Node's OpenSSL (node:crypto) as an independent oracle, on seeded random inputs:
 * a failure prints the fast-check seed and path, so it can be replayed exactly.
 */
import {
  createCipheriv,
  createDecipheriv,
  createECDH,
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  hkdfSync,
  sign as osslSign,
  verify as osslVerify,
  type CipherGCMTypes,
  type KeyObject,
} from 'node:crypto';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { aesGcmDecrypt, aesGcmEncrypt } from '../../../src/core/crypto/aes-gcm';
import { toBase64Url } from '../../../src/core/crypto/bytes';
import { HmacDrbg } from '../../../src/core/crypto/drbg';
import { ecdhSharedSecret } from '../../../src/core/crypto/ecdh';
import {
  derToRaw,
  fieldBytes,
  generateKeyPair,
  rawToDer,
  sign,
  verify,
  type Curve,
  type EcdsaHash,
  type KeyPair,
} from '../../../src/core/crypto/ecdsa';
import { digest, type HashAlg } from '../../../src/core/crypto/hash';
import { hkdf } from '../../../src/core/crypto/hkdf';
import { hmac } from '../../../src/core/crypto/hmac';

const SEED = 0xcc7e;
let checked = 0;
function run<T>(arb: fc.Arbitrary<T>, numRuns: number, check: (v: T) => void): void {
  fc.assert(
    fc.property(arb, (v) => {
      check(v);
      checked++;
    }),
    { seed: SEED, numRuns },
  );
}
const OSSL_CURVE = { p256: 'prime256v1', p384: 'secp384r1' } as const;
const JWK_CURVE = { p256: 'P-256', p384: 'P-384' } as const;

function jwk(k: KeyPair) {
  const n = fieldBytes(k.curve);
  return {
    kty: 'EC',
    crv: JWK_CURVE[k.curve],
    x: toBase64Url(k.publicKey.subarray(1, 1 + n)),
    y: toBase64Url(k.publicKey.subarray(1 + n)),
  };
}
const osslPublic = (k: KeyPair): KeyObject => createPublicKey({ key: jwk(k), format: 'jwk' });
const osslPrivate = (k: KeyPair): KeyObject =>
  createPrivateKey({ key: { ...jwk(k), d: toBase64Url(k.privateKey) }, format: 'jwk' });
const keyFromSeed = (curve: Curve, seed: Uint8Array) => generateKeyPair(curve, new HmacDrbg('sha256', seed));
const bytes = (max: number) => fc.uint8Array({ maxLength: max });
const u8 = (b: Uint8Array | Buffer | ArrayBuffer) => new Uint8Array(b instanceof ArrayBuffer ? b : b);

describe('cross-check with OpenSSL', () => {
  for (const alg of ['sha1', 'sha256', 'sha384', 'sha512'] as HashAlg[]) {
    it(`${alg} digests agree on 1,000 random messages`, () => {
      run(bytes(600), 1000, (m) => {
        expect(digest(alg, m)).toEqual(u8(createHash(alg).update(m).digest()));
      });
    });
    it(`HMAC-${alg} agrees on 500 random keys and messages`, () => {
      run(fc.tuple(bytes(200), bytes(400)), 500, ([k, m]) => {
        expect(hmac(alg, k, m)).toEqual(u8(createHmac(alg, k).update(m).digest()));
      });
    });
  }

  for (const alg of ['sha256', 'sha384', 'sha512'] as HashAlg[]) {
    it(`HKDF-${alg} agrees on 500 random inputs`, () => {
      const arb = fc.tuple(bytes(100), bytes(64), bytes(64), fc.integer({ min: 1, max: 255 }));
      run(arb, 500, ([ikm, salt, info, len]) => {
        expect(hkdf(alg, ikm, salt, info, len)).toEqual(u8(hkdfSync(alg, ikm, salt, info, len)));
      });
    });
  }

  it('AES-GCM agrees both ways on 1,500 random keys, IVs, AADs and plaintexts', () => {
    const arb = fc.tuple(
      fc.constantFrom(16, 24, 32).chain((n) => fc.uint8Array({ minLength: n, maxLength: n })),
      fc.oneof(
        fc.uint8Array({ minLength: 12, maxLength: 12 }),
        fc.uint8Array({ minLength: 8, maxLength: 64 }),
      ),
      bytes(64),
      bytes(300),
    );
    run(arb, 1500, ([key, iv, aad, pt]) => {
      const alg = `aes-${key.length * 8}-gcm` as CipherGCMTypes;
      const c = createCipheriv(alg, key, iv);
      c.setAAD(aad);
      const theirs = u8(Buffer.concat([c.update(pt), c.final(), c.getAuthTag()]));
      expect(aesGcmEncrypt(key, iv, pt, aad)).toEqual(theirs);
      expect(aesGcmDecrypt(key, iv, theirs, aad)).toEqual(pt);
      const d = createDecipheriv(alg, key, iv);
      d.setAAD(aad);
      d.setAuthTag(theirs.subarray(theirs.length - 16));
      expect(u8(Buffer.concat([d.update(theirs.subarray(0, theirs.length - 16)), d.final()]))).toEqual(pt);
    });
  });

  const SIGN_HASHES: Record<Curve, EcdsaHash[]> = { p256: ['sha256', 'sha384'], p384: ['sha384', 'sha512'] };
  for (const curve of ['p256', 'p384'] as Curve[]) {
    it(`ECDSA ${curve}: our signatures verify in OpenSSL (raw and DER), 200 keys`, () => {
      run(
        fc.tuple(
          fc.uint8Array({ minLength: 32, maxLength: 32 }),
          bytes(200),
          fc.constantFrom(...SIGN_HASHES[curve]),
        ),
        200,
        ([seed, m, hash]) => {
          const k = keyFromSeed(curve, seed);
          const raw = sign(curve, k.privateKey, m, { hash });
          const pub = osslPublic(k);
          expect(osslVerify(hash, m, { key: pub, dsaEncoding: 'ieee-p1363' }, raw)).toBe(true);
          const der = sign(curve, k.privateKey, m, { hash, format: 'der' });
          expect(osslVerify(hash, m, { key: pub, dsaEncoding: 'der' }, der)).toBe(true);
          expect(rawToDer(curve, raw)).toEqual(der);
          expect(derToRaw(curve, der)).toEqual(raw);
          // OpenSSL's private key from our scalar gives our public point back.
          const spki = createPublicKey(osslPrivate(k)).export({ format: 'jwk' });
          expect(spki.x).toBe(jwk(k).x);
        },
      );
    });

    it(`ECDSA ${curve}: OpenSSL signatures verify with ours, and a changed message does not, 200 keys`, () => {
      run(
        fc.tuple(
          fc.uint8Array({ minLength: 32, maxLength: 32 }),
          bytes(200),
          fc.constantFrom(...SIGN_HASHES[curve]),
        ),
        200,
        ([seed, m, hash]) => {
          const k = keyFromSeed(curve, seed);
          const priv = osslPrivate(k);
          const raw = u8(osslSign(hash, m, { key: priv, dsaEncoding: 'ieee-p1363' }));
          const der = u8(osslSign(hash, m, { key: priv, dsaEncoding: 'der' }));
          expect(verify(curve, raw, m, k.publicKey, { hash })).toBe(true);
          expect(verify(curve, der, m, k.publicKey, { hash, format: 'der' })).toBe(true);
          const other = Uint8Array.from([...m, 0x01]);
          expect(verify(curve, raw, other, k.publicKey, { hash })).toBe(false);
        },
      );
    });

    it(`ECDH ${curve}: shared secrets agree with OpenSSL, 200 key pairs`, () => {
      run(
        fc.tuple(
          fc.uint8Array({ minLength: 32, maxLength: 32 }),
          fc.uint8Array({ minLength: 32, maxLength: 32 }),
        ),
        200,
        ([sa, sb]) => {
          const a = keyFromSeed(curve, sa);
          const b = keyFromSeed(curve, sb);
          const theirs = createECDH(OSSL_CURVE[curve]);
          theirs.setPrivateKey(b.privateKey);
          expect(u8(theirs.getPublicKey())).toEqual(b.publicKey);
          const shared = ecdhSharedSecret(curve, a.privateKey, b.publicKey);
          expect(shared).toEqual(u8(theirs.computeSecret(a.publicKey)));
          expect(ecdhSharedSecret(curve, b.privateKey, a.publicKey)).toEqual(shared);
        },
      );
    });
  }

  afterAll(() => {
    // The issue asks for at least 10,000 oracle comparisons; fail loudly if the suite shrinks below it.
    expect(checked).toBeGreaterThanOrEqual(10_000);
  });
});
