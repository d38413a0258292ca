/**
 * Message digests. Synchronous and incremental hashing uses noble-hashes (works everywhere, no await);
 * bulk hashing of large images takes the async path through WebCrypto when the runtime has it.
 */
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
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

export function digest(alg: HashAlg, data: Uint8Array): Uint8Array {
  assertHashAlg(alg);
  assertBytes(data, 'data');
  return NOBLE[alg](data);
}

export interface IncrementalHash {
  update(data: Uint8Array): IncrementalHash;
  /** Finishes the hash; the object cannot be updated afterwards. */
  digest(): Uint8Array;
}

/** For streams of records (TDX MRTD, SGX MRENCLAVE) that are hashed piece by piece. */
export function createHash(alg: HashAlg): IncrementalHash {
  assertHashAlg(alg);
  const h = NOBLE[alg].create();
  const api: IncrementalHash = {
    update(data) {
      assertBytes(data, 'data');
      h.update(data);
      return api;
    },
    digest: () => h.digest(),
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
