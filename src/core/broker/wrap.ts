/**
 * Secrets handed out by the broker are encrypted to the TEE's own public key, so the host, the network
 * and anyone who relays the response see only ciphertext (ECIES-style, SEC 1 §5.1 in spirit):
 *
 *   e, E   = ephemeral key pair on the recipient's curve, drawn from the DRBG
 *   Z      = ECDH(e, recipient)                              (X coordinate, SP 800-56A)
 *   key    = HKDF-SHA-256(Z, salt = "ccte/broker/wrap/v1",   (len = u16 big-endian byte count)
 *                         info = alg ‖ len ‖ E ‖ len ‖ recipient, 32 bytes)
 *   C ‖ T  = AES-256-GCM(key, iv (12 bytes, DRBG), secret, aad = ASCII(alg "." epk))
 *
 * The salt names the protocol and the info binds both public keys, so a key derived for one recipient
 * or one ephemeral key is useless for any other; the AAD binds the envelope's header fields, so
 * swapping `alg` or `epk` fails authentication like any other tampering.
 *
 * The envelope `{ alg, epk, iv, ciphertext, tag }` borrows JWE's field names (Trustee answers with a
 * flattened JWE) but it is NOT JWE: there is no protected header, no Concat KDF and no content-key
 * wrapping step. We stay with our own construction because JWE libraries encrypt through async
 * WebCrypto with their own randomness, while every byte here must come from the scenario's DRBG so
 * that the same seed reproduces the same transcript; and the construction is small enough to show
 * step by step in the explorer.
 */
import { AuthenticationError, aesGcmDecrypt, aesGcmEncrypt, GCM_TAG_BYTES } from '../crypto/aes-gcm';
import { concatBytes, utf8 } from '../crypto/bytes';
import type { HmacDrbg } from '../crypto/drbg';
import { ecdhSharedSecret } from '../crypto/ecdh';
import { generateKeyPair, isValidPublicKey, publicKeyFromPrivate, type Curve } from '../crypto/ecdsa';
import { hkdf } from '../crypto/hkdf';
import { fromBase64Url, toBase64Url, type EcPrivateKey, type EcPublicKey } from './jws';

export const WRAP_PROTOCOL = 'ccte/broker/wrap/v1';

export const WRAP_ALG = {
  p256: 'ECDH-P256+HKDF-SHA256+A256GCM',
  p384: 'ECDH-P384+HKDF-SHA256+A256GCM',
} as const satisfies Record<Curve, string>;
export type WrapAlg = (typeof WRAP_ALG)[Curve];

const IV_BYTES = 12;
const KEY_BYTES = 32;

/** JSON-serialisable; every byte field is unpadded base64url. */
export interface WrappedSecret {
  alg: WrapAlg;
  /** Ephemeral public key, uncompressed SEC1. */
  epk: string;
  iv: string;
  ciphertext: string;
  tag: string;
}

function lengthPrefixed(b: Uint8Array): Uint8Array {
  return concatBytes(Uint8Array.of(b.length >> 8, b.length & 0xff), b);
}

function contentKey(alg: WrapAlg, shared: Uint8Array, epk: Uint8Array, recipient: Uint8Array): Uint8Array {
  const info = concatBytes(utf8(alg), lengthPrefixed(epk), lengthPrefixed(recipient));
  return hkdf('sha256', shared, utf8(WRAP_PROTOCOL), info, KEY_BYTES);
}

function headerAad(alg: string, epk: string): Uint8Array {
  return utf8(`${alg}.${epk}`);
}

/** Encrypts `secret` to `recipient`; the same DRBG state gives the same envelope, byte for byte. */
export function wrapSecret(recipient: EcPublicKey, secret: Uint8Array, drbg: HmacDrbg): WrappedSecret {
  if (!isValidPublicKey(recipient.curve, recipient.publicKey)) {
    throw new RangeError(`recipient: not a valid ${recipient.curve} public key`);
  }
  const alg = WRAP_ALG[recipient.curve];
  const ephemeral = generateKeyPair(recipient.curve, drbg);
  const iv = drbg.generate(IV_BYTES);
  const shared = ecdhSharedSecret(recipient.curve, ephemeral.privateKey, recipient.publicKey);
  const key = contentKey(alg, shared, ephemeral.publicKey, recipient.publicKey);
  const epk = toBase64Url(ephemeral.publicKey);
  const sealed = aesGcmEncrypt(key, iv, secret, headerAad(alg, epk));
  return {
    alg,
    epk,
    iv: toBase64Url(iv),
    ciphertext: toBase64Url(sealed.subarray(0, sealed.length - GCM_TAG_BYTES)),
    tag: toBase64Url(sealed.subarray(sealed.length - GCM_TAG_BYTES)),
  };
}

function field(envelope: Record<string, unknown>, name: keyof WrappedSecret): Uint8Array {
  const v = envelope[name];
  if (typeof v !== 'string') {
    throw new AuthenticationError(`wrapped secret: ${name} is missing or not a string`);
  }
  try {
    return fromBase64Url(v, name);
  } catch (e) {
    throw new AuthenticationError(`wrapped secret: ${(e as Error).message}`);
  }
}

/**
 * Decrypts with the TEE's private key. Any failure — wrong key, wrong curve, a changed or malformed
 * field — is an AuthenticationError: the recipient learns only that the envelope is not for it, or
 * not intact.
 */
export function unwrapSecret(recipient: EcPrivateKey, envelope: WrappedSecret): Uint8Array {
  if (typeof envelope !== 'object' || envelope === null) {
    throw new AuthenticationError('wrapped secret: expected an object');
  }
  const e = envelope as unknown as Record<string, unknown>;
  const alg = WRAP_ALG[recipient.curve];
  if (e.alg !== alg) {
    throw new AuthenticationError(
      `wrapped secret: alg ${JSON.stringify(e.alg)} does not match this ${recipient.curve} key (expected ${alg})`,
    );
  }
  const epk = field(e, 'epk');
  const iv = field(e, 'iv');
  const ciphertext = field(e, 'ciphertext');
  const tag = field(e, 'tag');
  if (iv.length !== IV_BYTES) {
    throw new AuthenticationError(`wrapped secret: iv must be ${IV_BYTES} bytes, got ${iv.length}`);
  }
  if (tag.length !== GCM_TAG_BYTES) {
    throw new AuthenticationError(`wrapped secret: tag must be ${GCM_TAG_BYTES} bytes, got ${tag.length}`);
  }
  let shared: Uint8Array;
  try {
    shared = ecdhSharedSecret(recipient.curve, recipient.privateKey, epk);
  } catch (err) {
    throw new AuthenticationError(`wrapped secret: epk ${(err as Error).message}`);
  }
  const key = contentKey(alg, shared, epk, publicKeyFromPrivate(recipient.curve, recipient.privateKey));
  try {
    return aesGcmDecrypt(key, iv, concatBytes(ciphertext, tag), headerAad(alg, e.epk as string));
  } catch {
    throw new AuthenticationError(
      'wrapped secret: authentication failed (not encrypted to this key, or a field was changed)',
    );
  }
}
