/**
 * The page's side of model/matrix.worker.ts: the matrix is computed a row at a time by a pool of
 * workers (matrix-pool.ts), one per core the page can spare. A stale computation (the seed changed, the
 * view closed) is stopped by aborting the request's signal, which terminates its busy workers.
 * Finished matrices are kept for the page session, keyed by seed and misconfiguration, so going back to
 * an earlier seed costs nothing.
 */
import type { Matrix } from '../../model/matrix';
import { PLATFORMS } from '../../model/platforms';
import type { Misconfiguration } from '../../model/run-types';
import { MatrixPool, poolSize } from './matrix-pool';

const PLATFORM_IDS = PLATFORMS.map((p) => p.id);

export interface ComputeMatrixOptions {
  /** Called as cells finish (a row of 15 at a time). */
  onProgress?: (done: number, total: number) => void;
  /** Aborting terminates the busy workers; the promise then rejects with an `AbortError` DOMException. */
  signal?: AbortSignal;
}

const cache = new Map<string, Matrix>();

/** Only the flags that are set, in a fixed order, so `{ noNonce: false }` and `{}` share an entry. */
function normalise(misconfiguration: Misconfiguration): Misconfiguration {
  return {
    ...(misconfiguration.noNonce ? { noNonce: true } : {}),
    ...(misconfiguration.allowDebug ? { allowDebug: true } : {}),
    ...(misconfiguration.secretBeforeAttestation ? { secretBeforeAttestation: true } : {}),
  };
}

export function matrixCacheKey(seed: number, misconfiguration: Misconfiguration): string {
  return JSON.stringify({ seed, misconfiguration: normalise(misconfiguration) });
}

/** The matrix computed before for these inputs in this page session, if any. */
export function cachedMatrix(seed: number, misconfiguration: Misconfiguration): Matrix | undefined {
  return cache.get(matrixCacheKey(seed, misconfiguration));
}

export function isAbort(e: unknown): boolean {
  return e instanceof DOMException && e.name === 'AbortError';
}

let pool: MatrixPool<Worker> | undefined;

/** The page's pool: as many workers as poolSize gives for this machine, started on first use. */
function thePool(): MatrixPool<Worker> {
  pool ??= new MatrixPool(
    () => new Worker(new URL('../../model/matrix.worker.ts', import.meta.url), { type: 'module' }),
    poolSize(navigator.hardwareConcurrency),
  );
  return pool;
}

/** The threat matrix for `seed` and `misconfiguration`, from the cache or computed by the worker pool. */
export function computeMatrix(
  seed: number,
  misconfiguration: Misconfiguration,
  options: ComputeMatrixOptions = {},
): Promise<Matrix> {
  const key = matrixCacheKey(seed, misconfiguration);
  const known = cache.get(key);
  if (known) return Promise.resolve(known);
  return thePool()
    .compute({ seed, misconfiguration: normalise(misconfiguration), platforms: PLATFORM_IDS }, options)
    .then(({ matrix }) => {
      cache.set(key, matrix);
      return matrix;
    });
}
