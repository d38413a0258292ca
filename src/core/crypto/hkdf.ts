import { expand, extract, hkdf as nobleHkdf } from '@noble/hashes/hkdf.js';
import { assertBytes } from './bytes';
import { assertHashAlg, digestSize, type HashAlg } from './hash';
import { NOBLE_HASH } from './hmac';

/** HKDF (RFC 5869): extract-then-expand to `length` bytes. An empty salt means HashLen zero bytes. */
export function hkdf(
  alg: HashAlg,
  ikm: Uint8Array,
  salt: Uint8Array,
  info: Uint8Array,
  length: number,
): Uint8Array {
  checkArgs(alg, length);
  assertBytes(ikm, 'ikm');
  assertBytes(salt, 'salt');
  assertBytes(info, 'info');
  return nobleHkdf(NOBLE_HASH[alg], ikm, salt, info, length);
}

export function hkdfExtract(alg: HashAlg, ikm: Uint8Array, salt: Uint8Array): Uint8Array {
  assertHashAlg(alg);
  assertBytes(ikm, 'ikm');
  assertBytes(salt, 'salt');
  return extract(NOBLE_HASH[alg], ikm, salt);
}

export function hkdfExpand(alg: HashAlg, prk: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  checkArgs(alg, length);
  assertBytes(prk, 'prk');
  assertBytes(info, 'info');
  return expand(NOBLE_HASH[alg], prk, info, length);
}

function checkArgs(alg: HashAlg, length: number): void {
  assertHashAlg(alg);
  const max = 255 * digestSize(alg);
  if (!Number.isInteger(length) || length < 1 || length > max) {
    throw new RangeError(`length: HKDF-${alg} can produce 1..${max} bytes, asked for ${length}`);
  }
}
