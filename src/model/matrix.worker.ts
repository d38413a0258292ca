/**
 * Runs the threat matrix off the main thread: post `{ seed?, misconfiguration? }`, receive
 * `{ type: 'progress', done, total }` messages and finally `{ type: 'matrix', matrix, ms, ops }`
 * (ops: the public-key operations it took, for benchmarks).
 */
import { publicKeyOps, resetPublicKeyOps } from '../core/crypto/counters';
import { runMatrix } from './matrix';
import type { Misconfiguration } from './run-types';

export interface MatrixRequest {
  seed?: number;
  misconfiguration?: Misconfiguration;
}

self.onmessage = (e: MessageEvent<MatrixRequest>) => {
  resetPublicKeyOps();
  const t0 = performance.now();
  const matrix = runMatrix({
    seed: e.data.seed ?? 1,
    misconfiguration: e.data.misconfiguration ?? {},
    onCell: (_cell, done, total) => {
      if (done % 15 === 0) self.postMessage({ type: 'progress', done, total });
    },
  });
  const ms = performance.now() - t0;
  self.postMessage({ type: 'matrix', matrix, ms, ops: { ...publicKeyOps } });
};
