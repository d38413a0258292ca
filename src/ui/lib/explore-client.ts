/**
 * The page's side of explore.worker.ts: one worker, requests answered in order, results kept for the
 * few most recent inputs (switching back and forth costs nothing), and a newer request makes older
 * pending ones resolve as superseded rather than drawing stale data.
 */
import type { ExploreInput, ExplorerRun } from '../../model/explore-types';
import type { ExploreResponse } from '../../model/explore.worker';

export class Superseded extends Error {
  constructor() {
    super('superseded by a newer request');
  }
}

const KEEP = 24;

export class ExploreClient {
  private worker: Worker | null = null;
  private nextId = 1;
  private latest = 0;
  private readonly pending = new Map<
    number,
    { resolve: (r: ExplorerRun) => void; reject: (e: Error) => void }
  >();
  private readonly cache = new Map<string, ExplorerRun>();

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('../../model/explore.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (e: MessageEvent<ExploreResponse>) => {
      const waiting = this.pending.get(e.data.id);
      if (!waiting) return;
      this.pending.delete(e.data.id);
      if ('error' in e.data) waiting.reject(new Error(e.data.error));
      else if (e.data.id !== this.latest) waiting.reject(new Superseded());
      else waiting.resolve(e.data.run);
    };
    worker.onerror = (e) => {
      for (const w of this.pending.values())
        w.reject(new Error(`the simulation worker failed: ${e.message}`));
      this.pending.clear();
      this.worker?.terminate();
      this.worker = null;
    };
    this.worker = worker;
    return worker;
  }

  /** The run for `input`: from the cache, or computed in the worker. */
  run(input: ExploreInput): Promise<ExplorerRun> {
    const key = JSON.stringify(input);
    const known = this.cache.get(key);
    this.latest = this.nextId++;
    if (known) return Promise.resolve(known);
    const id = this.latest;
    return new Promise<ExplorerRun>((resolve, reject) => {
      this.pending.set(id, {
        resolve: (r) => {
          this.cache.set(key, r);
          if (this.cache.size > KEEP) this.cache.delete(this.cache.keys().next().value as string);
          resolve(r);
        },
        reject,
      });
      this.ensureWorker().postMessage({ id, input });
    });
  }

  dispose(): void {
    this.worker?.terminate();
    this.worker = null;
    this.pending.clear();
  }
}
