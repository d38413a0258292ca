/**
 * Signature checks done ahead by the runtime's WebCrypto (native code, several times faster than
 * JavaScript for RSA-4096 and P-384), handed to the synchronous verifiers as a SignatureVerifier.
 * The appraisal logic stays one synchronous function; only the arithmetic moves to native code.
 * Where WebCrypto is missing or refuses a key, the pure-TypeScript path answers instead.
 */
import { toBase64Url, bigIntToMinimalBytes } from '../crypto/bytes';
import { derToRaw } from '../crypto/ecdsa';
import { verifyWith, type PublicKeyInfo, type SignatureAlgorithm, type SignatureVerifier } from './x509';

export interface SignatureCheck {
  key: PublicKeyInfo;
  alg: SignatureAlgorithm;
  message: Uint8Array;
  /** As in certificates: DER for ECDSA. */
  signature: Uint8Array;
}

type Subtle = {
  importKey(
    format: 'jwk',
    key: object,
    alg: object,
    extractable: boolean,
    usages: string[],
  ): Promise<unknown>;
  verify(alg: object, key: unknown, signature: Uint8Array, data: Uint8Array): Promise<boolean>;
};

function subtle(): Subtle | undefined {
  return (globalThis as { crypto?: { subtle?: Subtle } }).crypto?.subtle;
}

const HASH_NAME = { sha256: 'SHA-256', sha384: 'SHA-384', sha512: 'SHA-512' } as const;

/** Imported keys, per key object and algorithm: importing costs about as much as verifying. */
const imported = new WeakMap<PublicKeyInfo, Map<string, Promise<unknown>>>();
function importOnce(
  s: Subtle,
  key: PublicKeyInfo,
  name: string,
  make: () => Promise<unknown>,
): Promise<unknown> {
  let byAlg = imported.get(key);
  if (!byAlg) imported.set(key, (byAlg = new Map()));
  let k = byAlg.get(name);
  if (!k) byAlg.set(name, (k = make()));
  return k;
}

/** One check through WebCrypto; undefined when WebCrypto is absent or cannot take this key. */
async function checkNatively(s: Subtle, c: SignatureCheck): Promise<boolean | undefined> {
  try {
    if (c.alg.kind === 'ecdsa') {
      if (c.key.kind !== 'ec') return false;
      const n = c.key.curve === 'p384' ? 48 : 32;
      const crv = c.key.curve === 'p384' ? 'P-384' : 'P-256';
      const jwk = {
        kty: 'EC',
        crv,
        x: toBase64Url(c.key.point.subarray(1, 1 + n)),
        y: toBase64Url(c.key.point.subarray(1 + n)),
      };
      const key = await importOnce(s, c.key, `ECDSA/${crv}`, () =>
        s.importKey('jwk', jwk, { name: 'ECDSA', namedCurve: crv }, false, ['verify']),
      );
      let raw: Uint8Array;
      try {
        raw = derToRaw(c.key.curve, c.signature);
      } catch {
        return false;
      }
      return await s.verify({ name: 'ECDSA', hash: HASH_NAME[c.alg.hash] }, key, raw, c.message);
    }
    if (c.key.kind !== 'rsa') return false;
    const jwk = {
      kty: 'RSA',
      n: toBase64Url(bigIntToMinimalBytes(c.key.key.n)),
      e: toBase64Url(bigIntToMinimalBytes(c.key.key.e)),
    };
    const name = c.alg.kind === 'rsa-pss' ? 'RSA-PSS' : 'RSASSA-PKCS1-v1_5';
    const key = await importOnce(s, c.key, `${name}/${c.alg.hash}`, () =>
      s.importKey('jwk', jwk, { name, hash: HASH_NAME[c.alg.hash] }, false, ['verify']),
    );
    const params = c.alg.kind === 'rsa-pss' ? { name, saltLength: c.alg.saltLength } : { name };
    return await s.verify(params, key, c.signature, c.message);
  } catch {
    return undefined;
  }
}

const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Runs `checks` through WebCrypto in parallel and returns a verifier that answers those checks from
 * the results and any other check with the pure-TypeScript path.
 */
export async function nativeVerifier(checks: readonly SignatureCheck[]): Promise<SignatureVerifier> {
  const s = subtle();
  if (!s) return verifyWith;
  const answers = await Promise.all(checks.map((c) => checkNatively(s, c)));
  return (key, alg, message, signature) => {
    const i = checks.findIndex(
      (c, k) =>
        answers[k] !== undefined &&
        c.key === key &&
        c.alg === alg &&
        same(c.signature, signature) &&
        same(c.message, message),
    );
    return i >= 0 ? (answers[i] as boolean) : verifyWith(key, alg, message, signature);
  };
}
