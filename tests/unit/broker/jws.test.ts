/**
 * Compact JWS: OpenSSL (node:crypto, IEEE P1363 r ‖ s) verifies our tokens and signs tokens we verify;
 * every strictness rule refuses with its own reason; JWKs interoperate with node's JWK import/export.
 */
import {
  createPublicKey,
  generateKeyPairSync,
  sign as osslSign,
  verify as osslVerify,
  type JsonWebKey,
} from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fromBase64, utf8 } from '../../../src/core/crypto/bytes';
import { seededDrbg } from '../../../src/core/crypto/drbg';
import { generateKeyPair, type Curve } from '../../../src/core/crypto/ecdsa';
import {
  fromBase64Url,
  fromJwk,
  inspectJws,
  JWS_ALG,
  signJws,
  toBase64Url,
  toJwk,
  verifyJws,
} from '../../../src/core/broker/jws';

const NOW = 1_767_225_600; // 2026-01-01T00:00:00Z
const HASH = { p256: 'sha256', p384: 'sha384' } as const;
const b64json = (v: unknown) => toBase64Url(utf8(JSON.stringify(v)));

function key(curve: Curve, seed = 1) {
  return generateKeyPair(curve, seededDrbg(seed, 'jws-test'));
}

describe('JWS ES256 / ES384', () => {
  for (const curve of ['p256', 'p384'] as const) {
    it(`${JWS_ALG[curve]}: OpenSSL verifies our token, and we verify OpenSSL's`, () => {
      const k = key(curve);
      const token = signJws(k, { iss: 'kbs', exp: NOW + 60, n: 1 });
      const [h, p, s] = token.split('.');
      const ossKey = createPublicKey({ key: toJwk(k) as JsonWebKey, format: 'jwk' });
      expect(
        osslVerify(HASH[curve], utf8(`${h}.${p}`), { key: ossKey, dsaEncoding: 'ieee-p1363' }, fromBase64(s)),
      ).toBe(true);
      expect(inspectJws(token).header).toEqual({ alg: JWS_ALG[curve], typ: 'JWT' });

      const pair = generateKeyPairSync('ec', { namedCurve: curve === 'p256' ? 'prime256v1' : 'secp384r1' });
      const theirJwk = pair.publicKey.export({ format: 'jwk' });
      const input = `${b64json({ alg: JWS_ALG[curve], typ: 'JWT' })}.${b64json({ sub: 'openssl', exp: NOW + 5 })}`;
      const sig = osslSign(HASH[curve], utf8(input), { key: pair.privateKey, dsaEncoding: 'ieee-p1363' });
      const theirs = `${input}.${toBase64Url(sig)}`;
      const v = verifyJws(theirs, fromJwk(theirJwk), { now: NOW });
      expect(v).toEqual({
        ok: true,
        header: { alg: JWS_ALG[curve], typ: 'JWT' },
        payload: { sub: 'openssl', exp: NOW + 5 },
      });
    });
  }

  it('is deterministic (RFC 6979): same key and claims give the same token', () => {
    expect(signJws(key('p256'), { a: 1, exp: NOW })).toBe(signJws(key('p256'), { a: 1, exp: NOW }));
    expect(signJws(key('p256'), { a: 1, exp: NOW })).not.toBe(signJws(key('p256'), { a: 2, exp: NOW }));
  });

  it('never lets the caller override alg', () => {
    const token = signJws(key('p256'), { exp: NOW + 1 }, { alg: 'none', kid: 'k1' });
    expect(inspectJws(token).header).toEqual({ alg: 'ES256', typ: 'JWT', kid: 'k1' });
  });

  it('refuses every malformed, confused, forged or expired token with its own reason', () => {
    const k = key('p256');
    const pub = { curve: k.curve, publicKey: k.publicKey };
    const good = signJws(k, { exp: NOW + 60, nbf: NOW - 60 });
    const [h, p, s] = good.split('.');
    const resign = (header: object, payload: object) => {
      const input = `${b64json(header)}.${b64json(payload)}`;
      return `${input}.${signJws(k, {}).split('.')[2]}`; // a real signature, but over other bytes
    };
    const p384 = key('p384');
    const tamperedPayload = b64json({ exp: NOW + 6000, nbf: NOW - 60 });
    const lastChar = s[s.length - 1];
    const nonCanonical = s.slice(0, -1) + (lastChar === 'A' ? 'B' : 'A');
    const cases: [string, string, number?][] = [
      [`${h}.${p}`, '3 dot-separated parts'],
      [`${good}.x`, '3 dot-separated parts'],
      [`${h}..${s}`, 'empty'],
      [`${b64json({ alg: 'none', typ: 'JWT' })}.${p}.${s}`, 'header.alg'],
      [signJws(p384, { exp: NOW + 60 }), 'header.alg'],
      [`${b64json({ alg: 'ES256', crit: ['b64'], b64: false })}.${p}.${s}`, 'header.crit'],
      [`${toBase64Url(utf8('{not json'))}.${p}.${s}`, 'header'],
      [`${h}.${p}.${s}=`, 'base64url'],
      [`${h}.${p}.${s.replace(/-/g, '+').replace(/_/g, '/')}x`, 'signature'],
      [`${h}.${p}.${toBase64Url(new Uint8Array(63))}`, '64 bytes'],
      [`${h}.${tamperedPayload}.${s}`, 'does not verify'],
      [resign({ alg: 'ES256', typ: 'JWT' }, { exp: NOW + 60 }), 'does not verify'],
      [`${h}.${p}.${nonCanonical}`, ''],
      [signJws(k, { exp: NOW }), 'expired'],
      [signJws(k, { exp: NOW - 1 }), 'expired'],
      [signJws(k, { sub: 'no exp' }), 'payload.exp: missing'],
      [signJws(k, { exp: 'tomorrow' }), 'NumericDate'],
      [signJws(k, { exp: NOW + 60, nbf: NOW + 1 }), 'payload.nbf'],
      [signJws(key('p256', 2), { exp: NOW + 60 }), 'does not verify'],
    ];
    for (const [token, reason] of cases) {
      const v = verifyJws(token, pub, { now: NOW });
      expect(v.ok, token).toBe(false);
      if (!v.ok) expect(v.reason, token).toContain(reason);
    }
    expect(verifyJws(good, pub, { now: NOW }).ok).toBe(true);
    expect(verifyJws(signJws(k, { exp: NOW + 1 }), pub, { now: NOW }).ok).toBe(true);
    expect(verifyJws(signJws(k, { sub: 'no exp' }), pub, { now: NOW, requireExp: false }).ok).toBe(true);
  });
});

describe('base64url and JWK', () => {
  it('base64url is strict: alphabet, no padding, canonical last character', () => {
    expect(toBase64Url(Uint8Array.of(0xfb, 0xff))).toBe('-_8');
    expect(fromBase64Url('-_8', 'x')).toEqual(Uint8Array.of(0xfb, 0xff));
    expect(() => fromBase64Url('-_9', 'x')).toThrow(/non-canonical/);
    expect(() => fromBase64Url('+/8', 'x')).toThrow(/not base64url/);
    expect(() => fromBase64Url('-_8=', 'x')).toThrow(/not base64url/);
    expect(() => fromBase64Url('A', 'x')).toThrow(/truncated/);
  });

  it('JWKs round-trip and interoperate with node', () => {
    for (const curve of ['p256', 'p384'] as const) {
      const k = key(curve, 5);
      const jwk = toJwk(k);
      expect(fromJwk(jwk)).toEqual({ curve, publicKey: k.publicKey });
      const viaNode = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' }).export({ format: 'jwk' });
      expect(fromJwk(viaNode)).toEqual({ curve, publicKey: k.publicKey });
    }
  });

  it('refuses RSA, unknown curves, bad lengths and points off the curve, naming the member', () => {
    const jwk = toJwk(key('p256'));
    const offCurve = { ...jwk, y: toBase64Url(new Uint8Array(32).fill(1)) };
    expect(() => fromJwk({ kty: 'RSA', n: 'AQAB', e: 'AQAB' })).toThrow(/jwk.kty/);
    expect(() => fromJwk({ ...jwk, crv: 'P-521' })).toThrow(/jwk.crv/);
    expect(() => fromJwk({ ...jwk, crv: 'P-384' })).toThrow(/coordinates are 48 bytes/);
    expect(() => fromJwk(offCurve)).toThrow(/not a point/);
    expect(() => fromJwk('{"kty":"EC"}')).toThrow(/JSON object/);
  });
});
