import { p256, p384 } from '@noble/curves/nist.js';
import { BoundedCache } from '../bounded-cache';
import { publicKeyOps } from './counters';
import { assertBytes, bigIntToBytes, bytesToBigInt, toHex } from './bytes';
import { PUBLIC_CURVES } from './ec-public';
import { assertCurve, fieldBytes, publicKeyFromPrivate, type Curve } from './ecdsa';

const BASE = { p256, p384 } as const;

// Z depends only on the two parties' keys, and a simulation agrees the same few pairs again and again
// (the same seed's TEE key and the broker's ephemeral key in every cell of the matrix), so results are
// memoised by value. The entry is keyed by the unordered pair of public keys {d·G, Q}, not by (d, Q),
// so that the other side of the same agreement finds it too: Z = x(d·Q) = x(d·e·G) = x(e·D) for
// D = d·G, Q = e·G, and a public key determines its private scalar in [1, n−1], so any caller holding
// one of the two private keys and naming the other public key gets the same Z. Both members of a
// stored pair are valid points (one derived from a private key, the other a peer key that agreed), so
// an invalid peer key can never match an entry: it is checked, and refused, every time. Only
// successful agreements are kept.
const agreed = new BoundedCache<Uint8Array>(256);

function pairId(curve: Curve, a: Uint8Array, b: Uint8Array): string {
  const x = toHex(a);
  const y = toHex(b);
  return x < y ? `${curve}:${x}:${y}` : `${curve}:${y}:${x}`;
}

/**
 * ECDH (SP 800-56A ECC CDH primitive): the X coordinate of d·Q, as OpenSSL's computeSecret returns it.
 * Throws RangeError for a peer key that is not a point on the curve (invalid-curve attacks).
 */
export function ecdhSharedSecret(
  curve: Curve,
  privateKey: Uint8Array,
  peerPublicKey: Uint8Array,
): Uint8Array {
  assertCurve(curve);
  assertBytes(privateKey, 'privateKey', fieldBytes(curve));
  assertBytes(peerPublicKey, 'peerPublicKey');
  if (!BASE[curve].utils.isValidSecretKey(privateKey)) {
    throw new RangeError(`privateKey: not a scalar in [1, n-1] for ${curve}`);
  }
  const id = pairId(curve, publicKeyFromPrivate(curve, privateKey), peerPublicKey);
  const known = agreed.get(id);
  if (known) return known.slice();
  let peer: { x: bigint; y: bigint };
  try {
    const point = BASE[curve].Point.fromBytes(peerPublicKey);
    point.assertValidity();
    peer = point.toAffine();
  } catch (e) {
    throw new RangeError(`peerPublicKey: not a valid ${curve} point (${(e as Error).message})`);
  }
  publicKeyOps.ecdh++;
  // d·Q on ec-public.ts's variable-time path: the simulation's private keys come from public seeds
  // (see there). P-256 and P-384 have cofactor 1, so for a valid Q and d in [1, n−1], d·Q ≠ O.
  const c = PUBLIC_CURVES[curve];
  const Z = c.toAffine(c.multiply(peer.x, peer.y, bytesToBigInt(privateKey)));
  if (!Z) throw new RangeError('ECDH: the shared point is the point at infinity');
  const shared = bigIntToBytes(Z.x, fieldBytes(curve));
  agreed.set(id, shared.slice());
  return shared;
}
