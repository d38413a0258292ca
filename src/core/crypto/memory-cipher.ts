/**
 * The memory cipher of simulated confidential guests: AES with a tweak taken from the physical
 * address, the way AMD's memory controller binds ciphertext to where it lives. We use the standard
 * XEX-based form, AES-XTS (IEEE 1619, SP 800-38E), with the 4 KiB page as the data unit and its page
 * frame number as the tweak, so that an independent implementation (OpenSSL) can check every byte:
 *
 *   T(pa) = AES_K2(page frame of pa) · α^j   (j = index of the 16-byte block within its 4 KiB page)
 *   C     = AES_K1(P ⊕ T) ⊕ T                 (key = K1 ‖ K2)
 *
 * Consequences the explorer shows honestly: the host sees real ciphertext; equal plaintext at two
 * addresses gives different ciphertext (no copy-and-compare); there is no integrity, so a flipped
 * ciphertext bit decrypts to a garbled 16-byte block rather than an error (SEV before SNP).
 */
import { ecb } from '@noble/ciphers/aes.js';
import { assertBytes, bytesEqual } from './bytes';

export const MEMORY_BLOCK_BYTES = 16;
export const PAGE_BYTES = 4096;

export interface MemoryCipher {
  /** Encrypts `plaintext` as it would be stored at physical address `pa` (16-byte aligned). */
  encrypt(pa: bigint, plaintext: Uint8Array): Uint8Array;
  decrypt(pa: bigint, ciphertext: Uint8Array): Uint8Array;
}

/** Multiplies a 128-bit tweak by α in GF(2^128), little-endian, as XTS does (IEEE 1619). */
function mulAlpha(t: Uint8Array): void {
  let carry = 0;
  for (let i = 0; i < 16; i++) {
    const next = t[i] >> 7;
    t[i] = ((t[i] << 1) | carry) & 0xff;
    carry = next;
  }
  if (carry) t[0] ^= 0x87;
}

function checkRange(pa: bigint, data: Uint8Array, name: string): void {
  if (typeof pa !== 'bigint' || pa < 0n || pa >= 1n << 64n) {
    throw new RangeError(`pa: expected a 64-bit physical address as a bigint, got ${String(pa)}`);
  }
  if (pa % BigInt(MEMORY_BLOCK_BYTES) !== 0n)
    throw new RangeError(`pa: 0x${pa.toString(16)} is not 16-byte aligned`);
  assertBytes(data, name);
  if (data.length % MEMORY_BLOCK_BYTES !== 0) {
    throw new RangeError(`${name}: length ${data.length} is not a multiple of ${MEMORY_BLOCK_BYTES}`);
  }
}

export function memoryCipher(key: Uint8Array): MemoryCipher {
  assertBytes(key, 'key');
  if (key.length !== 32 && key.length !== 64) {
    throw new RangeError(
      `key: AES-128-XTS or AES-256-XTS takes 32 or 64 bytes (data key ‖ tweak key), got ${key.length}`,
    );
  }
  const half = key.length / 2;
  const dataKey = key.slice(0, half);
  const tweakKey = key.slice(half);
  if (bytesEqual(dataKey, tweakKey))
    throw new RangeError('key: the data key and the tweak key must differ (IEEE 1619)');
  // noble's ECB objects are single-use, so each call takes a fresh one (key expansion is cheap).
  const aes = (k: Uint8Array) => ecb(k, { disablePadding: true });

  /** The tweak of every block in [pa, pa + length), laid out like the data. */
  function tweaks(pa: bigint, length: number): Uint8Array {
    const out = new Uint8Array(length);
    const blocksPerPage = PAGE_BYTES / MEMORY_BLOCK_BYTES;
    let frame = pa >> 12n;
    let j = Number((pa & 0xfffn) >> 4n);
    let o = 0;
    while (o < length) {
      // T for block j of this frame: AES_K2(frame number) · α^j, then one α per following block.
      const n = new Uint8Array(16);
      new DataView(n.buffer).setBigUint64(0, frame, true);
      const t = aes(tweakKey).encrypt(n);
      for (let k = 0; k < j; k++) mulAlpha(t);
      for (; j < blocksPerPage && o < length; j++, o += MEMORY_BLOCK_BYTES) {
        out.set(t, o);
        mulAlpha(t);
      }
      frame++;
      j = 0;
    }
    return out;
  }

  function xex(pa: bigint, data: Uint8Array, name: string, forward: boolean): Uint8Array {
    checkRange(pa, data, name);
    if (data.length === 0) return new Uint8Array(0);
    const t = tweaks(pa, data.length);
    const x = new Uint8Array(data.length);
    for (let i = 0; i < x.length; i++) x[i] = data[i] ^ t[i];
    const y = forward ? aes(dataKey).encrypt(x) : aes(dataKey).decrypt(x);
    for (let i = 0; i < y.length; i++) y[i] ^= t[i];
    return y;
  }

  return {
    encrypt: (pa, plaintext) => xex(pa, plaintext, 'plaintext', true),
    decrypt: (pa, ciphertext) => xex(pa, ciphertext, 'ciphertext', false),
  };
}
