import { gcm } from '@noble/ciphers/aes.js';
import { assertBytes } from './bytes';

export const GCM_TAG_BYTES = 16;

function checkKeyIv(key: Uint8Array, iv: Uint8Array): void {
  assertBytes(key, 'key');
  if (![16, 24, 32].includes(key.length))
    throw new RangeError(`key: AES needs 16, 24 or 32 bytes, got ${key.length}`);
  assertBytes(iv, 'iv');
  if (iv.length < 8)
    throw new RangeError(`iv: GCM needs at least 8 bytes (12 recommended), got ${iv.length}`);
}

/** AES-GCM (SP 800-38D): returns ciphertext ‖ 16-byte tag. */
export function aesGcmEncrypt(
  key: Uint8Array,
  iv: Uint8Array,
  plaintext: Uint8Array,
  aad: Uint8Array = new Uint8Array(0),
): Uint8Array {
  checkKeyIv(key, iv);
  assertBytes(plaintext, 'plaintext');
  assertBytes(aad, 'aad');
  return gcm(key, iv, aad).encrypt(plaintext);
}

export class AuthenticationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuthenticationError';
  }
}

/** Decrypts ciphertext ‖ tag; throws AuthenticationError when the tag does not match. */
export function aesGcmDecrypt(
  key: Uint8Array,
  iv: Uint8Array,
  sealed: Uint8Array,
  aad: Uint8Array = new Uint8Array(0),
): Uint8Array {
  checkKeyIv(key, iv);
  assertBytes(sealed, 'ciphertext');
  assertBytes(aad, 'aad');
  if (sealed.length < GCM_TAG_BYTES) {
    throw new RangeError(`ciphertext: ${sealed.length} bytes is shorter than the ${GCM_TAG_BYTES}-byte tag`);
  }
  try {
    return gcm(key, iv, aad).decrypt(sealed);
  } catch {
    throw new AuthenticationError(
      'AES-GCM: authentication tag does not match (wrong key, IV, AAD or tampered data)',
    );
  }
}
