import { hmac as nobleHmac } from '@noble/hashes/hmac.js';
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { assertBytes } from './bytes';
import { assertHashAlg, type HashAlg } from './hash';
import { hmacSha256 } from './sha256-hmac';

export const NOBLE_HASH = { sha1, sha256, sha384, sha512 } as const;

/** HMAC (RFC 2104) with any supported digest (SHA-256, the common case, through sha256-hmac.ts). */
export function hmac(alg: HashAlg, key: Uint8Array, message: Uint8Array): Uint8Array {
  assertHashAlg(alg);
  assertBytes(key, 'key');
  assertBytes(message, 'message');
  if (alg === 'sha256') return hmacSha256(key, message);
  return nobleHmac(NOBLE_HASH[alg], key, message);
}
