/**
 * Message digests. Synchronous and incremental hashing uses noble-hashes (works everywhere, no await);
 * bulk hashing of large images takes the async path through WebCrypto when the runtime has it.
 */
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { BoundedCache } from '../bounded-cache';
import { assertBytes } from './bytes';

/** SHA-1 exists only so that legacy TPM event logs and their SHA-1 PCR banks can be read. */
export type HashAlg = 'sha1' | 'sha256' | 'sha384' | 'sha512';

export const HASH_ALGS: readonly HashAlg[] = ['sha1', 'sha256', 'sha384', 'sha512'];

const NOBLE = { sha1, sha256, sha384, sha512 } as const;
const WEBCRYPTO_NAME = { sha1: 'SHA-1', sha256: 'SHA-256', sha384: 'SHA-384', sha512: 'SHA-512' } as const;
const SIZE = { sha1: 20, sha256: 32, sha384: 48, sha512: 64 } as const;
const BLOCK = { sha1: 64, sha256: 64, sha384: 128, sha512: 128 } as const;

export function isHashAlg(name: string): name is HashAlg {
  return (HASH_ALGS as readonly string[]).includes(name);
}

export function assertHashAlg(alg: unknown, name = 'alg'): asserts alg is HashAlg {
  if (typeof alg !== 'string' || !isHashAlg(alg)) {
    throw new RangeError(
      `${name}: unknown hash algorithm ${JSON.stringify(alg)} (expected ${HASH_ALGS.join(', ')})`,
    );
  }
}

/** Output length in bytes. */
export function digestSize(alg: HashAlg): number {
  return SIZE[alg];
}

/** Internal block length in bytes (HMAC pads keys to it). */
export function blockSize(alg: HashAlg): number {
  return BLOCK[alg];
}

// ---- digests of repeated inputs ---------------------------------------------------------------------
// A digest is a pure function of its input, and a simulation hashes the same images, pages and chains
// again and again (every cell of the matrix measures the same boot components). Inputs of 1–32 KiB
// are memoised by their exact value: a fingerprint finds the candidates, and only a byte-for-byte
// equal copy of the input counts as a hit (the fingerprint is never trusted alone). Comparing bytes
// is an order of magnitude cheaper than hashing them. Bounded: at most 512 fingerprints of at most
// 2 inputs each (a few MiB at most), oldest first out; smaller and larger inputs are simply hashed.
const MEMO_MIN_BYTES = 1024;
const MEMO_MAX_BYTES = 32 * 1024;
const MEMO_BUCKET = 2;
interface KnownDigest {
  data: Uint8Array;
  digest: Uint8Array;
}
const knownDigests = new BoundedCache<KnownDigest[]>(512);

/** 32 bits of FNV-1a over 32-bit words (a fingerprint to find candidates, not a hash to trust). */
function fingerprint(data: Uint8Array): number {
  let h = 0x811c9dc5 ^ data.length;
  const words = data.length >>> 2;
  if ((data.byteOffset & 3) === 0) {
    const w = new Uint32Array(data.buffer, data.byteOffset, words);
    for (let i = 0; i < words; i++) h = Math.imul(h ^ w[i], 0x01000193);
  } else {
    for (let i = 0; i < words * 4; i += 4) {
      const v = data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24);
      h = Math.imul(h ^ v, 0x01000193);
    }
  }
  for (let i = words * 4; i < data.length; i++) h = Math.imul(h ^ data[i], 0x01000193);
  return h >>> 0;
}

/** Byte-for-byte equality; `known` is a copy the memo made (aligned), `data` any view. */
function equalBytes(known: Uint8Array, data: Uint8Array): boolean {
  if (known.length !== data.length) return false;
  const words = data.length >>> 2;
  if ((data.byteOffset & 3) === 0) {
    const a = new Uint32Array(known.buffer, known.byteOffset, words);
    const b = new Uint32Array(data.buffer, data.byteOffset, words);
    for (let i = 0; i < words; i++) if (a[i] !== b[i]) return false;
    for (let i = words * 4; i < data.length; i++) if (known[i] !== data[i]) return false;
    return true;
  }
  for (let i = 0; i < data.length; i++) if (known[i] !== data[i]) return false;
  return true;
}

export function digest(alg: HashAlg, data: Uint8Array): Uint8Array {
  assertHashAlg(alg);
  assertBytes(data, 'data');
  if (data.length < MEMO_MIN_BYTES || data.length > MEMO_MAX_BYTES) return NOBLE[alg](data);
  const id = `${alg}:${data.length}:${fingerprint(data)}`;
  const bucket = knownDigests.get(id);
  if (bucket) for (const k of bucket) if (equalBytes(k.data, data)) return k.digest.slice();
  const out = NOBLE[alg](data);
  const entry = { data: data.slice(), digest: out.slice() };
  if (!bucket) knownDigests.set(id, [entry]);
  else {
    bucket.push(entry);
    if (bucket.length > MEMO_BUCKET) bucket.shift();
  }
  return out;
}

export interface IncrementalHash {
  update(data: Uint8Array): IncrementalHash;
  /** Finishes the hash; the object cannot be updated afterwards. */
  digest(): Uint8Array;
}

/**
 * For streams of records (TDX MRTD, SGX MRENCLAVE) that are hashed piece by piece. A stream of at
 * most 32 KiB is kept (copied) and hashed at the end through `digest`, so that a stream repeated
 * byte for byte (the same image measured again) is found in the memo above; a longer one is hashed
 * as it comes. Either way the digest is that of the concatenated pieces.
 */
export function createHash(alg: HashAlg): IncrementalHash {
  assertHashAlg(alg);
  let pieces: Uint8Array[] | undefined = [];
  let kept = 0;
  let stream: ReturnType<(typeof NOBLE)[HashAlg]['create']> | undefined;
  let finished = false;
  const live = () => {
    if (finished) throw new Error('hash: digest() was already called; the hash cannot be used again');
  };
  const api: IncrementalHash = {
    update(data) {
      assertBytes(data, 'data');
      live();
      if (pieces && kept + data.length <= MEMO_MAX_BYTES) {
        pieces.push(data.slice());
        kept += data.length;
        return api;
      }
      if (!stream) {
        stream = NOBLE[alg].create();
        for (const p of pieces ?? []) stream.update(p);
        pieces = undefined;
      }
      stream.update(data);
      return api;
    },
    digest() {
      live();
      finished = true;
      if (stream) return stream.digest();
      const all = pieces ?? [];
      pieces = undefined;
      if (all.length === 1) return digest(alg, all[0]);
      const joined = new Uint8Array(kept);
      let o = 0;
      for (const p of all) {
        joined.set(p, o);
        o += p.length;
      }
      return digest(alg, joined);
    },
  };
  return api;
}

type Subtle = { digest(name: string, data: Uint8Array): Promise<ArrayBuffer> };

function subtle(): Subtle | undefined {
  const c = (globalThis as { crypto?: { subtle?: Subtle } }).crypto;
  return c?.subtle;
}

/**
 * Same result as `digest`, but uses the runtime's native WebCrypto when there is one: several times
 * faster for multi-MiB images. Falls back to noble where WebCrypto is missing (e.g. insecure origins).
 */
export async function digestAsync(alg: HashAlg, data: Uint8Array): Promise<Uint8Array> {
  assertHashAlg(alg);
  assertBytes(data, 'data');
  const s = subtle();
  if (!s) return NOBLE[alg](data);
  return new Uint8Array(await s.digest(WEBCRYPTO_NAME[alg], data));
}
