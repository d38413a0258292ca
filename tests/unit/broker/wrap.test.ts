/**
 * Secret wrapping: round trips, determinism, every tampered field and every wrong key refused with
 * AuthenticationError, and an independent decryption with Node's OpenSSL that follows the documented
 * construction step by step.
 */
import { createDecipheriv, createECDH, hkdfSync } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AuthenticationError } from '../../../src/core/crypto/aes-gcm';
import { concatBytes, fromBase64, utf8 } from '../../../src/core/crypto/bytes';
import { seededDrbg } from '../../../src/core/crypto/drbg';
import { generateKeyPair, type Curve } from '../../../src/core/crypto/ecdsa';
import {
  unwrapSecret,
  WRAP_ALG,
  WRAP_PROTOCOL,
  wrapSecret,
  type WrappedSecret,
} from '../../../src/core/broker/wrap';

const SEED = 0x3a9;
const FIELDS = ['alg', 'epk', 'iv', 'ciphertext', 'tag'] as const;
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function setup(curve: Curve, seed = 1) {
  const drbg = seededDrbg(seed, 'wrap-test');
  const tee = generateKeyPair(curve, drbg.fork('tee'));
  return { drbg, tee };
}

describe('wrapSecret / unwrapSecret', () => {
  it('round-trips secrets of any length on P-256 and P-384, through JSON', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<Curve>('p256', 'p384'),
        fc.uint8Array({ maxLength: 300 }),
        fc.integer(),
        (curve, secret, seed) => {
          const { drbg, tee } = setup(curve, seed);
          const env = wrapSecret(tee, secret, drbg);
          expect(env.alg).toBe(WRAP_ALG[curve]);
          const json = JSON.parse(JSON.stringify(env)) as WrappedSecret;
          expect(unwrapSecret(tee, json)).toEqual(secret);
        },
      ),
      { seed: SEED, numRuns: 60 },
    );
  });

  it('is deterministic: the same DRBG state gives the same envelope byte for byte', () => {
    const a = setup('p256', 7);
    const b = setup('p256', 7);
    expect(JSON.stringify(wrapSecret(a.tee, utf8('s3cret'), a.drbg))).toBe(
      JSON.stringify(wrapSecret(b.tee, utf8('s3cret'), b.drbg)),
    );
    const c = setup('p256', 8);
    expect(wrapSecret(c.tee, utf8('s3cret'), c.drbg).ciphertext).not.toBe(
      wrapSecret(a.tee, utf8('s3cret'), a.drbg).ciphertext,
    );
  });

  it('refuses every single-character change of every field with AuthenticationError', () => {
    for (const curve of ['p256', 'p384'] as const) {
      const { drbg, tee } = setup(curve);
      const env = wrapSecret(tee, utf8('database password: hunter2'), drbg);
      let tried = 0;
      for (const f of FIELDS) {
        const value = env[f];
        for (let i = 0; i < value.length; i++) {
          const replacement = B64URL[(B64URL.indexOf(value[i]) + 1 + (i % 7)) % 64];
          const tampered = {
            ...env,
            [f]: value.slice(0, i) + replacement + value.slice(i + 1),
          } as WrappedSecret;
          expect(() => unwrapSecret(tee, tampered), `${curve} ${f}[${i}]`).toThrow(AuthenticationError);
          tried++;
        }
      }
      expect(tried).toBeGreaterThan(150);
    }
  });

  it('refuses swapped, missing, truncated, extended and re-encoded fields', () => {
    const { drbg, tee } = setup('p256');
    const env = wrapSecret(tee, utf8('secret'), drbg);
    const other = wrapSecret(tee, utf8('another'), drbg);
    const variants: Record<string, unknown>[] = [
      { ...env, alg: WRAP_ALG.p384 },
      { ...env, alg: 'none' },
      { ...env, epk: other.epk },
      { ...env, iv: other.iv },
      { ...env, tag: other.tag },
      { ...env, ciphertext: other.ciphertext },
      { ...env, ciphertext: `${env.ciphertext}AA` },
      { ...env, tag: env.tag.slice(0, -2) },
      { ...env, iv: `${env.iv}==` },
      { ...env, epk: env.epk.replace(/-/g, '+').replace(/_/g, '/') },
      Object.fromEntries(Object.entries(env).filter(([k]) => k !== 'tag')),
      { ...env, iv: 42 },
    ];
    for (const v of variants) {
      expect(() => unwrapSecret(tee, v as unknown as WrappedSecret), JSON.stringify(v).slice(0, 80)).toThrow(
        AuthenticationError,
      );
    }
  });

  it('refuses a wrong key of the same curve and a key of the other curve', () => {
    const { drbg, tee } = setup('p256');
    const env = wrapSecret(tee, utf8('secret'), drbg);
    const stranger = generateKeyPair('p256', seededDrbg(99));
    expect(() => unwrapSecret(stranger, env)).toThrow(AuthenticationError);
    const p384 = generateKeyPair('p384', seededDrbg(99));
    expect(() => unwrapSecret(p384, env)).toThrow(AuthenticationError);
  });

  it('refuses to wrap to something that is not a public key', () => {
    const { drbg } = setup('p256');
    expect(() => wrapSecret({ curve: 'p256', publicKey: new Uint8Array(65) }, utf8('x'), drbg)).toThrow(
      RangeError,
    );
  });

  it('matches an independent decryption with OpenSSL (ECDH, HKDF-SHA-256, AES-256-GCM) as documented', () => {
    for (const curve of ['p256', 'p384'] as const) {
      const { drbg, tee } = setup(curve, 3);
      const secret = utf8(`the documented construction, ${curve}`);
      const env = wrapSecret(tee, secret, drbg);
      const ecdh = createECDH(curve === 'p256' ? 'prime256v1' : 'secp384r1');
      ecdh.setPrivateKey(tee.privateKey);
      const epk = fromBase64(env.epk);
      const z = ecdh.computeSecret(epk);
      const len = (b: Uint8Array) => Uint8Array.of(b.length >> 8, b.length & 0xff);
      const info = concatBytes(utf8(env.alg), len(epk), epk, len(tee.publicKey), tee.publicKey);
      const key = Buffer.from(hkdfSync('sha256', z, utf8(WRAP_PROTOCOL), info, 32));
      const d = createDecipheriv('aes-256-gcm', key, fromBase64(env.iv));
      d.setAAD(utf8(`${env.alg}.${env.epk}`));
      d.setAuthTag(fromBase64(env.tag));
      const plain = Buffer.concat([d.update(fromBase64(env.ciphertext)), d.final()]);
      expect(new Uint8Array(plain)).toEqual(secret);
    }
  });
});
