import { p256, p384 } from '@noble/curves/nist.js';
import { assertBytes } from './bytes';
import { assertCurve, fieldBytes, type Curve } from './ecdsa';

const BASE = { p256, p384 } as const;

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
  let point: Uint8Array;
  try {
    point = BASE[curve].getSharedSecret(privateKey, peerPublicKey, true);
  } catch (e) {
    throw new RangeError(`peerPublicKey: not a valid ${curve} point (${(e as Error).message})`);
  }
  return point.slice(1);
}
