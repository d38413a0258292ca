/**
 * Minimal compact JWS (RFC 7515) with ES256 / ES384 (RFC 7518 §3.4), enough for the key broker's
 * attestation tokens (JWTs, RFC 7519), plus the base64url and EC JWK (RFC 7517/7518 §6.2) codecs the
 * broker's messages use.
 *
 * Why not the `jose` library: its signing goes through async WebCrypto, whose ECDSA draws a fresh
 * random k for every signature, so a token could never be reproduced from the scenario seed and the
 * transcript would differ on every run. Here signatures come from our RFC 6979 ECDSA (same key + same
 * message = same bytes), and the signature encoding is JWS's own: raw r ‖ s, not DER.
 *
 * Verification is strict on purpose, because token confusion is a classic way into a broker: exactly
 * three non-empty base64url parts with canonical encoding, `alg` must be the one that belongs to the
 * verifying key's curve (no `none`, no ES384 token accepted by a P-256 key), no `crit` extensions, the
 * signature checked before any claim is read, and `exp` / `nbf` judged against a clock the caller
 * supplies (simulated time, so expiry is reproducible).
 */
import { fromBase64, fromUtf8, toBase64Url, utf8 } from '../crypto/bytes';
import {
  fieldBytes,
  isValidPublicKey,
  sign as ecdsaSign,
  verify as ecdsaVerify,
  type Curve,
} from '../crypto/ecdsa';

export type JwsAlg = 'ES256' | 'ES384';

/** The one JWS algorithm each curve may sign with (RFC 7518 §3.4 pairs the curve and the hash). */
export const JWS_ALG = { p256: 'ES256', p384: 'ES384' } as const satisfies Record<Curve, JwsAlg>;

const JWK_CRV = { p256: 'P-256', p384: 'P-384' } as const satisfies Record<Curve, string>;

/** An EC public key as a JWK (RFC 7518 §6.2.1); `x` and `y` are the fixed-length big-endian coordinates. */
export interface EcPublicJwk {
  kty: 'EC';
  crv: 'P-256' | 'P-384';
  x: string;
  y: string;
  alg?: string;
}

export interface EcPublicKey {
  curve: Curve;
  /** Uncompressed SEC1 point, 0x04 ‖ X ‖ Y. */
  publicKey: Uint8Array;
}

export interface EcPrivateKey {
  curve: Curve;
  privateKey: Uint8Array;
}

/**
 * Strict base64url: only the URL-safe alphabet, no padding, no whitespace, and canonical (the unused
 * low bits of the last character must be zero). Without the last rule two different strings decode to
 * the same bytes, and "tampering with a field" could go unnoticed.
 */
export function fromBase64Url(text: string, name: string): Uint8Array {
  if (typeof text !== 'string') {
    throw new TypeError(`${name}: expected a base64url string, got ${typeof text}`);
  }
  const bad = text.search(/[^A-Za-z0-9_-]/);
  if (bad >= 0) {
    throw new RangeError(
      `${name}: character ${JSON.stringify(text[bad])} at position ${bad} is not base64url`,
    );
  }
  if (text.length % 4 === 1) throw new RangeError(`${name}: truncated base64url (${text.length} characters)`);
  const bytes = fromBase64(text, name);
  if (toBase64Url(bytes) !== text) {
    throw new RangeError(`${name}: non-canonical base64url (unused bits in the last character are not zero)`);
  }
  return bytes;
}

/** The JWK of an uncompressed SEC1 public key. */
export function toJwk(key: EcPublicKey): EcPublicJwk {
  const n = fieldBytes(key.curve);
  if (key.publicKey.length !== 1 + 2 * n || key.publicKey[0] !== 0x04) {
    throw new RangeError(
      `publicKey: expected an uncompressed ${JWK_CRV[key.curve]} point of ${1 + 2 * n} bytes`,
    );
  }
  return {
    kty: 'EC',
    crv: JWK_CRV[key.curve],
    x: toBase64Url(key.publicKey.subarray(1, 1 + n)),
    y: toBase64Url(key.publicKey.subarray(1 + n)),
  };
}

/**
 * Reads an EC public JWK received from the outside. RangeError naming the member for anything that is
 * not a P-256/P-384 point: RSA keys (which Trustee also accepts) are refused here because our wrapping
 * is ECDH-only.
 */
export function fromJwk(jwk: unknown): EcPublicKey {
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) {
    throw new RangeError('jwk: expected a JSON object');
  }
  const o = jwk as Record<string, unknown>;
  if (o.kty !== 'EC') {
    throw new RangeError(
      `jwk.kty: expected "EC", got ${JSON.stringify(o.kty)} (only EC keys can receive wrapped secrets)`,
    );
  }
  const curve = o.crv === 'P-256' ? 'p256' : o.crv === 'P-384' ? 'p384' : undefined;
  if (!curve) throw new RangeError(`jwk.crv: expected "P-256" or "P-384", got ${JSON.stringify(o.crv)}`);
  const n = fieldBytes(curve);
  if (typeof o.x !== 'string' || typeof o.y !== 'string') {
    throw new RangeError('jwk: x and y must be strings');
  }
  const x = fromBase64Url(o.x, 'jwk.x');
  const y = fromBase64Url(o.y, 'jwk.y');
  if (x.length !== n || y.length !== n) {
    throw new RangeError(`jwk: ${o.crv} coordinates are ${n} bytes, got x ${x.length} and y ${y.length}`);
  }
  const publicKey = new Uint8Array(1 + 2 * n);
  publicKey[0] = 0x04;
  publicKey.set(x, 1);
  publicKey.set(y, 1 + n);
  if (!isValidPublicKey(curve, publicKey)) throw new RangeError(`jwk: (x, y) is not a point on ${o.crv}`);
  return { curve, publicKey };
}

function encodeJson(value: object): string {
  return toBase64Url(utf8(JSON.stringify(value)));
}

/**
 * Signs `payload` as a compact JWS. The header is `{ alg, typ: 'JWT', ...extraHeader }` in that order;
 * `alg` always follows the key's curve and cannot be overridden.
 */
export function signJws(
  key: EcPrivateKey,
  payload: object,
  extraHeader: Record<string, unknown> = {},
): string {
  const { alg: _ignored, ...rest } = extraHeader;
  const header = { alg: JWS_ALG[key.curve], typ: 'JWT', ...rest };
  const signingInput = `${encodeJson(header)}.${encodeJson(payload)}`;
  const signature = ecdsaSign(key.curve, key.privateKey, utf8(signingInput)); // raw r ‖ s, as JWS wants
  return `${signingInput}.${toBase64Url(signature)}`;
}

export interface JwsVerifyOptions {
  /** Current time in seconds since the epoch (NumericDate), from the caller's clock. */
  now: number;
  /** Refuse tokens without `exp` (default true: a broker token must expire). */
  requireExp?: boolean;
}

export type JwsVerification =
  | { ok: true; header: Record<string, unknown>; payload: Record<string, unknown> }
  | { ok: false; reason: string };

function parseJsonObject(part: string, name: string): Record<string, unknown> {
  const value: unknown = JSON.parse(fromUtf8(fromBase64Url(part, name)));
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new RangeError(`${name}: not a JSON object`);
  }
  return value as Record<string, unknown>;
}

/** Verifies a compact JWS with `key`; every refusal says which rule the token broke. */
export function verifyJws(token: string, key: EcPublicKey, opts: JwsVerifyOptions): JwsVerification {
  if (typeof token !== 'string') return { ok: false, reason: 'token: not a string' };
  const parts = token.split('.');
  if (parts.length !== 3) {
    return {
      ok: false,
      reason: `token: a compact JWS has 3 dot-separated parts, this one has ${parts.length}`,
    };
  }
  const [h, p, s] = parts;
  if (!h || !p || !s) return { ok: false, reason: 'token: empty header, payload or signature part' };
  let header: Record<string, unknown>;
  try {
    header = parseJsonObject(h, 'header');
  } catch (e) {
    return { ok: false, reason: `header: ${(e as Error).message}` };
  }
  const expected = JWS_ALG[key.curve];
  if (header.alg !== expected) {
    return {
      ok: false,
      reason: `header.alg: ${JSON.stringify(header.alg)} does not match the ${JWK_CRV[key.curve]} verification key (expected ${expected})`,
    };
  }
  if ('crit' in header) {
    return { ok: false, reason: 'header.crit: critical extensions are not understood here' };
  }
  let signature: Uint8Array;
  try {
    signature = fromBase64Url(s, 'signature');
  } catch (e) {
    return { ok: false, reason: (e as Error).message };
  }
  if (signature.length !== 2 * fieldBytes(key.curve)) {
    return {
      ok: false,
      reason: `signature: ${expected} signatures are ${2 * fieldBytes(key.curve)} bytes (r ‖ s), got ${signature.length}`,
    };
  }
  if (!ecdsaVerify(key.curve, signature, utf8(`${h}.${p}`), key.publicKey)) {
    return {
      ok: false,
      reason: 'signature: does not verify with the expected key (forged, altered or from another issuer)',
    };
  }
  let payload: Record<string, unknown>;
  try {
    payload = parseJsonObject(p, 'payload');
  } catch (e) {
    return { ok: false, reason: `payload: ${(e as Error).message}` };
  }
  const { exp, nbf } = payload;
  if (exp === undefined) {
    if (opts.requireExp ?? true) {
      return { ok: false, reason: 'payload.exp: missing, and this token must expire' };
    }
  } else if (typeof exp !== 'number' || !Number.isFinite(exp)) {
    return { ok: false, reason: 'payload.exp: not a NumericDate' };
  } else if (opts.now >= exp) {
    return { ok: false, reason: `payload.exp: expired at ${exp}, now is ${opts.now}` };
  }
  if (nbf !== undefined) {
    if (typeof nbf !== 'number' || !Number.isFinite(nbf)) {
      return { ok: false, reason: 'payload.nbf: not a NumericDate' };
    }
    if (opts.now < nbf) {
      return { ok: false, reason: `payload.nbf: not valid before ${nbf}, now is ${opts.now}` };
    }
  }
  return { ok: true, header, payload };
}

/**
 * Header and payload of a token WITHOUT verifying it, for showing a token in the transcript. Never
 * base a decision on this; use verifyJws.
 */
export function inspectJws(token: string): {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
} {
  const parts = token.split('.');
  if (parts.length !== 3) throw new RangeError(`token: expected 3 parts, got ${parts.length}`);
  return { header: parseJsonObject(parts[0], 'header'), payload: parseJsonObject(parts[1], 'payload') };
}

/** base64url lives with the other byte codecs; re-exported beside the strict decoder above. */
export { toBase64Url };
