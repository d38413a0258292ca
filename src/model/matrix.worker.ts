/**
 * Runs the threat matrix, or some of its rows, off the main thread: post `{ seed?, misconfiguration?,
 * platforms? }` (platform ids; all twelve when absent), receive `{ type: 'progress', done, total }`
 * messages and finally `{ type: 'matrix', matrix, ms, ops }` (the rows asked for; ops: the public-key
 * operations it took, for benchmarks), or `{ type: 'error', message }` for a request it cannot run.
 * A worker answers requests one after another, so the page's pool (ui/lib/matrix-client.ts) hands each
 * worker one platform at a time.
 */
import { resetPublicKeyOps, snapshotPublicKeyOps, type PublicKeyOps } from '../core/crypto/counters';
import { runMatrix, type Matrix } from './matrix';
import { platformById } from './platforms';
import type { Misconfiguration } from './run-types';

export interface MatrixRequest {
  seed?: number;
  misconfiguration?: Misconfiguration;
  /** The rows to compute, by platform id, in this order; absent: every platform. */
  platforms?: string[];
}

export type MatrixReply =
  | { type: 'progress'; done: number; total: number }
  | { type: 'matrix'; matrix: Matrix; ms: number; ops: PublicKeyOps }
  | { type: 'error'; message: string };

const post = (reply: MatrixReply) => self.postMessage(reply);

self.onmessage = (e: MessageEvent<MatrixRequest>) => {
  resetPublicKeyOps();
  const t0 = performance.now();
  let matrix: Matrix;
  try {
    matrix = runMatrix({
      seed: e.data.seed ?? 1,
      misconfiguration: e.data.misconfiguration ?? {},
      ...(e.data.platforms ? { platforms: e.data.platforms.map(platformById) } : {}),
      onCell: (_cell, done, total) => {
        if (done % 15 === 0) post({ type: 'progress', done, total });
      },
    });
  } catch (err) {
    post({ type: 'error', message: err instanceof Error ? err.message : String(err) });
    return;
  }
  const ms = performance.now() - t0;
  post({ type: 'matrix', matrix, ms, ops: snapshotPublicKeyOps() });
};
