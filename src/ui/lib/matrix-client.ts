/**
 * The page's side of model/matrix.worker.ts. Each request gets its own worker, because the worker runs
 * the whole matrix in one synchronous call and cannot be interrupted: the only way to stop a stale
 * computation (the seed changed, the view closed) is to terminate it, which the caller does by aborting
 * the request's signal. Finished matrices are kept for the page session, keyed by seed and
 * misconfiguration, so going back to an earlier seed costs nothing.
 */
import type { Matrix } from '../../model/matrix';
import type { MatrixRequest } from '../../model/matrix.worker';
import type { Misconfiguration } from '../../model/run-types';

type MatrixMessage =
  | { type: 'progress'; done: number; total: number }
  | { type: 'matrix'; matrix: Matrix; ms: number; ops: unknown };

export interface ComputeMatrixOptions {
  /** Called as cells finish (the worker reports every 15 cells). */
  onProgress?: (done: number, total: number) => void;
  /** Aborting terminates the worker; the promise then rejects with an `AbortError` DOMException. */
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

function aborted(): DOMException {
  return new DOMException('the matrix request was cancelled', 'AbortError');
}

/** The threat matrix for `seed` and `misconfiguration`, from the cache or computed in a Web Worker. */
export function computeMatrix(
  seed: number,
  misconfiguration: Misconfiguration,
  options: ComputeMatrixOptions = {},
): Promise<Matrix> {
  const { onProgress, signal } = options;
  const key = matrixCacheKey(seed, misconfiguration);
  const known = cache.get(key);
  if (known) return Promise.resolve(known);
  if (signal?.aborted) return Promise.reject(aborted());

  return new Promise<Matrix>((resolve, reject) => {
    const worker = new Worker(new URL('../../model/matrix.worker.ts', import.meta.url), { type: 'module' });
    const finish = () => {
      worker.terminate();
      signal?.removeEventListener('abort', onAbort);
    };
    const onAbort = () => {
      finish();
      reject(aborted());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.onmessage = (e: MessageEvent<MatrixMessage>) => {
      if (e.data.type === 'progress') {
        onProgress?.(e.data.done, e.data.total);
        return;
      }
      finish();
      cache.set(key, e.data.matrix);
      const cells = e.data.matrix.cells.length;
      onProgress?.(cells, cells);
      resolve(e.data.matrix);
    };
    worker.onerror = (e) => {
      e.preventDefault();
      finish();
      reject(new Error(`the matrix worker failed: ${e.message || 'it could not be started'}`));
    };
    worker.onmessageerror = () => {
      finish();
      reject(new Error('the matrix worker sent a message that could not be read'));
    };
    const request: MatrixRequest = { seed, misconfiguration: normalise(misconfiguration) };
    worker.postMessage(request);
  });
}
