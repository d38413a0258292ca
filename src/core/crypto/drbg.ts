/**
 * HMAC_DRBG (NIST SP 800-90A Rev. 1, §10.1.2): the only source of randomness in the simulation, so
 * that the same seed gives the same keys, nonces and transcript bytes in Node, the browser and CI.
 * It is deterministic by design: seed it from a scenario, never use it for real secrets.
 */
import { assertBytes, concatBytes, utf8 } from './bytes';
import { digestSize, type HashAlg } from './hash';
import { hmac } from './hmac';

/** SP 800-90A Table 2: at most 2^19 bits (65,536 bytes) per generate request. */
const MAX_BYTES_PER_REQUEST = 65_536;

export type DrbgHash = Exclude<HashAlg, 'sha1'>;

export class HmacDrbg {
  private k: Uint8Array;
  private v: Uint8Array;
  private counter = 1;

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
    this.k = new Uint8Array(n);
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
      this.v = hmac(this.hash, this.k, this.v);
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

  /** K = HMAC(K, V ‖ 0x00 ‖ data); V = HMAC(K, V); and again with 0x01 when data is not empty. */
  private update(data: Uint8Array): void {
    this.k = hmac(this.hash, this.k, concatBytes(this.v, Uint8Array.of(0x00), data));
    this.v = hmac(this.hash, this.k, this.v);
    if (data.length === 0) return;
    this.k = hmac(this.hash, this.k, concatBytes(this.v, Uint8Array.of(0x01), data));
    this.v = hmac(this.hash, this.k, this.v);
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
