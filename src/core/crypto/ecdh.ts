import { p256, p384 } from '@noble/curves/nist.js';
import { BoundedCache } from '../bounded-cache';
import { assertBytes, toHex } from './bytes';
import { assertCurve, fieldBytes, type Curve } from './ecdsa';

const BASE = { p256, p384 } as const;

// Z depends only on (curve, d, Q); a simulation agrees the same few keys again and again (the same
// seed's TEE key and broker key in every cell of the matrix), so results are memoised by value. Only
// successful agreements are kept; an invalid peer point is checked, and refused, every time.
const agreed = new BoundedCache<Uint8Array>(256);

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
  const id = `${curve}:${toHex(privateKey)}:${toHex(peerPublicKey)}`;
  const known = agreed.get(id);
  if (known) return known.slice();
  let point: Uint8Array;
  try {
    point = BASE[curve].getSharedSecret(privateKey, peerPublicKey, true);
  } catch (e) {
    throw new RangeError(`peerPublicKey: not a valid ${curve} point (${(e as Error).message})`);
  }
  const shared = point.slice(1);
  agreed.set(id, shared.slice());
  return shared;
}
