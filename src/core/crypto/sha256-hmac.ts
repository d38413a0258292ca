/**
 * HMAC-SHA-256 with the key's two padded blocks compressed once (RFC 2104 §4 "precomputed" inner and
 * outer states), for the HMAC_DRBG that draws every simulated byte: a generate call is a handful of
 * HMACs of 33–100 bytes under the same key, where a general-purpose HMAC spends most of its time
 * re-hashing the key and allocating. Here a keyed MAC is two compressions for a message of up to 55
 * bytes, with no allocation beyond its 32-byte result.
 *
 * SHA-256 itself is FIPS 180-4 §6.2, written out like noble-hashes' (whose output it must equal byte
 * for byte: tests/unit/crypto/sha256-hmac.test.ts checks it against noble and OpenSSL).
 */
import { assertBytes } from './bytes';

// FIPS 180-4 §4.2.2: the first 32 bits of the fractional parts of the cube roots of the first 64 primes.
// prettier-ignore
const K = Uint32Array.from([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
// FIPS 180-4 §5.3.3: the initial hash value.
// prettier-ignore
const IV = Int32Array.from([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);
const BLOCK = 64;
const DIGEST = 32;

/** Scratch space: the message schedule, a working state and the last (padded) blocks; all synchronous. */
const W = new Int32Array(64);
const STATE = new Int32Array(8);
const TAIL = new Uint8Array(2 * BLOCK);
const PAD = new Uint8Array(BLOCK);

/** One SHA-256 compression of block[o .. o + 64) into `state` (in place). */
function compress(state: Int32Array, block: Uint8Array, o: number): void {
  for (let i = 0; i < 16; i++, o += 4) {
    W[i] = (block[o] << 24) | (block[o + 1] << 16) | (block[o + 2] << 8) | block[o + 3];
  }
  for (let i = 16; i < 64; i++) {
    const w15 = W[i - 15];
    const w2 = W[i - 2];
    const s0 = ((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3);
    const s1 = ((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10);
    W[i] = (s1 + W[i - 7] + s0 + W[i - 16]) | 0;
  }
  let a = state[0];
  let b = state[1];
  let c = state[2];
  let d = state[3];
  let e = state[4];
  let f = state[5];
  let g = state[6];
  let h = state[7];
  for (let i = 0; i < 64; i++) {
    const sigma1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + sigma1 + ((e & f) ^ (~e & g)) + K[i] + W[i]) | 0;
    const sigma0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (sigma0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  state[0] = (state[0] + a) | 0;
  state[1] = (state[1] + b) | 0;
  state[2] = (state[2] + c) | 0;
  state[3] = (state[3] + d) | 0;
  state[4] = (state[4] + e) | 0;
  state[5] = (state[5] + f) | 0;
  state[6] = (state[6] + g) | 0;
  state[7] = (state[7] + h) | 0;
}

/**
 * Hashes `message` into `state`, which has already absorbed `prefix` bytes (a multiple of 64), pads
 * (FIPS 180-4 §5.1.1) and writes the digest into out[0 .. 32).
 */
function finish(state: Int32Array, message: Uint8Array, prefix: number, out: Uint8Array): void {
  let o = 0;
  for (; o + BLOCK <= message.length; o += BLOCK) compress(state, message, o);
  const rest = message.length - o;
  const blocks = rest + 9 > BLOCK ? 2 : 1;
  TAIL.fill(0, 0, blocks * BLOCK);
  for (let i = 0; i < rest; i++) TAIL[i] = message[o + i];
  TAIL[rest] = 0x80;
  const bits = (prefix + message.length) * 8;
  const end = blocks * BLOCK;
  const high = Math.floor(bits / 0x1_0000_0000);
  const low = bits >>> 0;
  TAIL[end - 8] = high >>> 24;
  TAIL[end - 7] = high >>> 16;
  TAIL[end - 6] = high >>> 8;
  TAIL[end - 5] = high;
  TAIL[end - 4] = low >>> 24;
  TAIL[end - 3] = low >>> 16;
  TAIL[end - 2] = low >>> 8;
  TAIL[end - 1] = low;
  compress(state, TAIL, 0);
  if (blocks === 2) compress(state, TAIL, BLOCK);
  for (let i = 0; i < 8; i++) {
    const v = state[i];
    out[4 * i] = v >>> 24;
    out[4 * i + 1] = v >>> 16;
    out[4 * i + 2] = v >>> 8;
    out[4 * i + 3] = v;
  }
}

/** SHA-256 of `message`. */
export function sha256(message: Uint8Array): Uint8Array {
  assertBytes(message, 'message');
  const out = new Uint8Array(DIGEST);
  finish(IV.slice(), message, 0, out);
  return out;
}

/** HMAC-SHA-256 under one key, its inner and outer states computed once. */
export class HmacSha256 {
  private readonly inner = IV.slice();
  private readonly outer = IV.slice();

  constructor(key: Uint8Array) {
    assertBytes(key, 'key');
    const k = key.length > BLOCK ? sha256(key) : key;
    for (let i = 0; i < BLOCK; i++) PAD[i] = (i < k.length ? k[i] : 0) ^ 0x36;
    compress(this.inner, PAD, 0);
    for (let i = 0; i < BLOCK; i++) PAD[i] ^= 0x36 ^ 0x5c;
    compress(this.outer, PAD, 0);
  }

  /** HMAC(key, message) = H((K ⊕ opad) ‖ H((K ⊕ ipad) ‖ message)). */
  mac(message: Uint8Array): Uint8Array {
    assertBytes(message, 'message');
    const out = new Uint8Array(DIGEST);
    STATE.set(this.inner);
    finish(STATE, message, BLOCK, out);
    STATE.set(this.outer);
    finish(STATE, out, BLOCK, out);
    return out;
  }
}

/** HMAC-SHA-256 (RFC 2104) in one call. */
export function hmacSha256(key: Uint8Array, message: Uint8Array): Uint8Array {
  return new HmacSha256(key).mac(message);
}
