/**
 * The page's side of model/matrix.worker.ts: the matrix is computed a row at a time by a pool of
 * workers (matrix-pool.ts), one per core the page can spare. Finished matrices are kept for the page
 * session, keyed by seed and misconfiguration, so going back to an earlier seed costs nothing.
 *
 * A computation under way is shared: asking again for the same inputs waits for it (with its
 * progress) instead of starting another. `prefetchMatrix` starts one before anyone asks, e.g. when the
 * pointer or the focus reaches the matrix's tab, so that the click finds it under way or done. A
 * computation stops (its busy workers are terminated) when every request waiting for it is aborted,
 * or, if nobody waits for it, when another one is asked for: there is only ever one at a time.
 */
import type { Matrix } from '../../model/matrix';
import { PLATFORMS } from '../../model/platforms';
import type { Misconfiguration } from '../../model/run-types';
import {
  abortError,
  MatrixPool,
  poolSize,
  type PoolOptions,
  type PoolRequest,
  type PoolResult,
} from './matrix-pool';

const PLATFORM_IDS = PLATFORMS.map((p) => p.id);

export interface ComputeMatrixOptions {
  /** Called as cells finish (a row of 15 at a time); at once with the progress so far when joining. */
  onProgress?: (done: number, total: number) => void;
  /** Aborting stops waiting; the promise then rejects with an `AbortError` DOMException. */
  signal?: AbortSignal;
}

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

export function isAbort(e: unknown): boolean {
  return e instanceof DOMException && e.name === 'AbortError';
}

/** What the client needs of a pool (MatrixPool, or a fake in tests). */
export interface PoolLike {
  compute(request: PoolRequest, options?: PoolOptions): Promise<PoolResult>;
}

interface Flight {
  promise: Promise<Matrix>;
  controller: AbortController;
  /** Requests waiting for it (a prefetch waits for nothing). */
  waiting: number;
  listeners: Set<(done: number, total: number) => void>;
  /** The latest progress, for a request that joins late. */
  progress: { last: [number, number] | null };
}

export interface MatrixClient {
  /** The matrix for these inputs: from the cache, from the computation under way, or computed. */
  computeMatrix(
    seed: number,
    misconfiguration: Misconfiguration,
    options?: ComputeMatrixOptions,
  ): Promise<Matrix>;
  /** Starts computing these inputs unless they are known or under way; returns at once. */
  prefetchMatrix(seed: number, misconfiguration: Misconfiguration): void;
  /** The matrix computed before for these inputs in this page session, if any. */
  cachedMatrix(seed: number, misconfiguration: Misconfiguration): Matrix | undefined;
  /** How many computations are under way (0 or 1). */
  readonly inFlight: number;
}

export function createMatrixClient(pool: () => PoolLike): MatrixClient {
  const cache = new Map<string, Matrix>();
  const flights = new Map<string, Flight>();

  /** Stops the computations nobody waits for, other than `keep`'s. */
  const dropUnwanted = (keep: string) => {
    for (const [key, f] of flights) {
      if (key !== keep && f.waiting === 0) {
        flights.delete(key);
        f.controller.abort();
      }
    }
  };

  const start = (seed: number, misconfiguration: Misconfiguration): Flight => {
    const key = matrixCacheKey(seed, misconfiguration);
    const known = flights.get(key);
    if (known) return known;
    const controller = new AbortController();
    const listeners: Flight['listeners'] = new Set();
    const progress: Flight['progress'] = { last: null };
    const request = { seed, misconfiguration: normalise(misconfiguration), platforms: PLATFORM_IDS };
    const promise = pool()
      .compute(request, {
        signal: controller.signal,
        onProgress: (done, total) => {
          progress.last = [done, total];
          for (const l of listeners) l(done, total);
        },
      })
      .then(({ matrix }) => {
        cache.set(key, matrix);
        return matrix;
      })
      .finally(() => {
        if (flights.get(key) === f) flights.delete(key);
      });
    const f: Flight = { promise, controller, waiting: 0, listeners, progress };
    // A prefetch nobody waited for may end in an abort: that is not an error anyone needs to see.
    promise.catch(() => undefined);
    flights.set(key, f);
    return f;
  };

  return {
    get inFlight() {
      return flights.size;
    },

    cachedMatrix(seed, misconfiguration) {
      return cache.get(matrixCacheKey(seed, misconfiguration));
    },

    prefetchMatrix(seed, misconfiguration) {
      const key = matrixCacheKey(seed, misconfiguration);
      if (cache.has(key) || flights.has(key)) return;
      dropUnwanted(key);
      start(seed, misconfiguration);
    },

    computeMatrix(seed, misconfiguration, options = {}) {
      const { onProgress, signal } = options;
      const key = matrixCacheKey(seed, misconfiguration);
      const known = cache.get(key);
      if (known) return Promise.resolve(known);
      if (signal?.aborted) return Promise.reject(abortError());
      dropUnwanted(key);
      const f = start(seed, misconfiguration);
      f.waiting++;
      if (onProgress) {
        f.listeners.add(onProgress);
        if (f.progress.last) onProgress(...f.progress.last);
      }
      return new Promise<Matrix>((resolve, reject) => {
        let left = false;
        const leave = () => {
          if (left) return;
          left = true;
          f.waiting--;
          if (onProgress) f.listeners.delete(onProgress);
          signal?.removeEventListener('abort', onAbort);
        };
        const onAbort = () => {
          leave();
          if (f.waiting === 0) {
            if (flights.get(key) === f) flights.delete(key);
            f.controller.abort();
          }
          reject(abortError());
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        f.promise.then(
          (m) => {
            leave();
            resolve(m);
          },
          (e: unknown) => {
            leave();
            reject(e);
          },
        );
      });
    },
  };
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

const client = createMatrixClient(thePool);

/** The page's client (see createMatrixClient). */
export const computeMatrix = client.computeMatrix;
export const prefetchMatrix = client.prefetchMatrix;
export const cachedMatrix = client.cachedMatrix;
