/**
 * HMAC_DRBG (NIST SP 800-90A Rev. 1, §10.1.2): the only source of randomness in the simulation, so
 * that the same seed gives the same keys, nonces and transcript bytes in Node, the browser and CI.
 * It is deterministic by design: seed it from a scenario, never use it for real secrets.
 */
import { assertBytes, concatBytes, utf8 } from './bytes';
import { digestSize, type HashAlg } from './hash';
import { hmac } from './hmac';
import { HmacSha256 } from './sha256-hmac';

/** SP 800-90A Table 2: at most 2^19 bits (65,536 bytes) per generate request. */
const MAX_BYTES_PER_REQUEST = 65_536;

export type DrbgHash = Exclude<HashAlg, 'sha1'>;

/** Every instantiation starts with K = 0 (§10.1.2.3 step 2): for SHA-256 its HMAC states are computed once. */
const INITIAL_KEY = new Uint8Array(32);
let zeroKey: HmacSha256 | undefined;
function zeroKeySha256(): HmacSha256 {
  zeroKey ??= new HmacSha256(new Uint8Array(32));
  return zeroKey;
}

export class HmacDrbg {
  private v: Uint8Array;
  private counter = 1;
  /** HMAC under the current key K (for SHA-256, K's padded blocks compressed once per key). */
  private mac: (message: Uint8Array) => Uint8Array;

  constructor(
    readonly hash: DrbgHash,
    entropy: Uint8Array,
    nonce: Uint8Array = new Uint8Array(0),
    personalization: Uint8Array = new Uint8Array(0),
  ) {
    assertBytes(entropy, 'entropy');
    assertBytes(nonce, 'nonce');
    assertBytes(personalization, 'personalization');
    const n = digestSize(hash);
    this.mac = this.keyed(n === 32 ? INITIAL_KEY : new Uint8Array(n));
    this.v = new Uint8Array(n).fill(0x01);
    this.update(concatBytes(entropy, nonce, personalization));
  }

  /** Number of generate calls since (re)seeding, as the standard's reseed_counter. */
  get reseedCounter(): number {
    return this.counter;
  }

  reseed(entropy: Uint8Array, additional: Uint8Array = new Uint8Array(0)): void {
    assertBytes(entropy, 'entropy');
    assertBytes(additional, 'additional');
    this.update(concatBytes(entropy, additional));
    this.counter = 1;
  }

  generate(length: number, additional: Uint8Array = new Uint8Array(0)): Uint8Array {
    if (!Number.isInteger(length) || length < 0 || length > MAX_BYTES_PER_REQUEST) {
      throw new RangeError(
        `length: HMAC_DRBG returns 0..${MAX_BYTES_PER_REQUEST} bytes per call, asked for ${length}`,
      );
    }
    assertBytes(additional, 'additional');
    if (additional.length > 0) this.update(additional);
    const out = new Uint8Array(length);
    for (let o = 0; o < length; o += this.v.length) {
      this.v = this.mac(this.v);
      out.set(this.v.subarray(0, Math.min(this.v.length, length - o)), o);
    }
    this.update(additional);
    this.counter++;
    return out;
  }

  /**
   * An independent child generator for one consumer (a machine, a key), so that adding a consumer
   * elsewhere does not shift the bytes everyone else draws.
   */
  fork(label: string): HmacDrbg {
    return new HmacDrbg(this.hash, this.generate(digestSize(this.hash)), utf8(`fork:${label}`));
  }

  /** Uniform integer in [0, bound), by rejection sampling so there is no modulo bias. */
  nextInt(bound: number): number {
    if (!Number.isSafeInteger(bound) || bound < 1 || bound > 2 ** 32) {
      throw new RangeError(`bound: expected an integer in 1..2^32, got ${bound}`);
    }
    const limit = 2 ** 32 - (2 ** 32 % bound);
    for (;;) {
      const b = this.generate(4);
      const x = ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0;
      if (x < limit) return x % bound;
    }
  }

  private keyed(k: Uint8Array): (message: Uint8Array) => Uint8Array {
    if (this.hash === 'sha256') {
      const h = k === INITIAL_KEY ? zeroKeySha256() : new HmacSha256(k);
      return (message) => h.mac(message);
    }
    const hash = this.hash;
    return (message) => hmac(hash, k, message);
  }

  /** K = HMAC(K, V ‖ 0x00 ‖ data); V = HMAC(K, V); and again with 0x01 when data is not empty. */
  private update(data: Uint8Array): void {
    this.mac = this.keyed(this.mac(this.withData(0x00, data)));
    this.v = this.mac(this.v);
    if (data.length === 0) return;
    this.mac = this.keyed(this.mac(this.withData(0x01, data)));
    this.v = this.mac(this.v);
  }

  /** V ‖ byte ‖ data. */
  private withData(byte: number, data: Uint8Array): Uint8Array {
    const n = this.v.length;
    const out = new Uint8Array(n + 1 + data.length);
    out.set(this.v);
    out[n] = byte;
    out.set(data, n + 1);
    return out;
  }
}

/** A seed as a user writes it in a scenario or URL: a number, a string or raw bytes. */
export type Seed = number | string | Uint8Array;

/** The simulation's generator for a seed: HMAC_DRBG-SHA-256 with the seed as entropy input. */
export function seededDrbg(seed: Seed, personalization = 'ccte'): HmacDrbg {
  let entropy: Uint8Array;
  if (seed instanceof Uint8Array) entropy = seed;
  else if (typeof seed === 'number') {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`seed: expected a safe integer, got ${seed}`);
    entropy = utf8(`seed:n:${seed}`);
  } else if (typeof seed === 'string') entropy = utf8(`seed:s:${seed}`);
  else throw new TypeError(`seed: expected a number, string or Uint8Array, got ${typeof seed}`);
  return new HmacDrbg('sha256', entropy, new Uint8Array(0), utf8(personalization));
}
