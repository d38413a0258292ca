/**
 * A small pool of matrix workers (model/matrix.worker.ts) that computes the threat matrix a row at a
 * time: each worker is handed one platform, and the next as soon as it answers, so the rows spread over
 * the machine's cores and a slow row (SEV-SNP's RSA-signed chain) does not hold up a whole share.
 *
 * A worker runs a row in one synchronous call and cannot be interrupted, so aborting a request (or a
 * worker failing) terminates the workers busy with it; workers that finished their part go back to the
 * pool, warm (compiled code and memoised keys kept), for the next request, and are terminated after two
 * minutes without one, so an open page does not hold their memory for ever. The pool knows workers only
 * through the few members it uses, so tests can hand it fakes.
 */
import type { OpCount, PublicKeyOps } from '../../core/crypto/counters';
import type { Matrix } from '../../model/matrix';
import type { MatrixReply, MatrixRequest } from '../../model/matrix.worker';

/** The part of a Worker the pool uses. */
export interface MatrixWorkerLike {
  onmessage: ((e: MessageEvent<MatrixReply>) => void) | null;
  onerror: ((e: ErrorEvent) => void) | null;
  onmessageerror: ((e: MessageEvent) => void) | null;
  postMessage(request: MatrixRequest): void;
  terminate(): void;
}

export interface PoolRequest {
  seed: number;
  misconfiguration: NonNullable<MatrixRequest['misconfiguration']>;
  /** The rows, by platform id, in the order the matrix lists them. */
  platforms: readonly string[];
}

export interface PoolOptions {
  /** Called after each row with the cells done so far and the matrix's total. */
  onProgress?: (done: number, total: number) => void;
  /** Aborting terminates the busy workers; the promise then rejects with an `AbortError` DOMException. */
  signal?: AbortSignal;
}

export interface PoolResult {
  matrix: Matrix;
  /** Wall time from the request to the last row, in ms. */
  ms: number;
  /** The public-key operations of all rows together. */
  ops: PublicKeyOps;
  /** How many workers took part. */
  workers: number;
}

export function abortError(): DOMException {
  return new DOMException('the matrix request was cancelled', 'AbortError');
}

/** How many workers for a machine with `cores` logical cores: leave one to the page above two, at most 4. */
export function poolSize(cores: number | undefined): number {
  const c = Number.isInteger(cores) && (cores as number) > 0 ? (cores as number) : 2;
  return c <= 2 ? c : Math.min(4, c - 1);
}

function addOps(into: PublicKeyOps, ops: PublicKeyOps): void {
  into.sign += ops.sign;
  into.verify += ops.verify;
  into.ecdh += ops.ecdh;
  into.keyDerivation += ops.keyDerivation;
  for (const [kind, n] of Object.entries(ops.byKind)) {
    const k: OpCount = (into.byKind[kind] ??= { sign: 0, verify: 0 });
    k.sign += n.sign;
    k.verify += n.verify;
  }
}

/** How long workers stay warm after the last request before they are terminated (their memory freed). */
export const IDLE_MS = 120_000;

export class MatrixPool<W extends MatrixWorkerLike = MatrixWorkerLike> {
  private readonly idle: W[] = [];
  /** Workers this pool terminated: never handed out again, whatever a callback does meanwhile. */
  private readonly dead = new WeakSet<W>();
  private idleTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly create: () => W,
    readonly size: number,
    private readonly idleMs = IDLE_MS,
  ) {
    if (!Number.isInteger(size) || size < 1)
      throw new RangeError(`pool size: expected a positive integer, got ${size}`);
  }

  /** Workers kept warm between requests. */
  get idleWorkers(): number {
    return this.idle.length;
  }

  /** Terminates the idle workers (busy ones end with their request). */
  close(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    for (const w of this.idle.splice(0)) this.kill(w);
  }

  private kill(w: W): void {
    this.dead.add(w);
    w.terminate();
  }

  /** Idle workers are kept for `idleMs` after the last one came back, then closed. */
  private keepWarm(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.close(), this.idleMs);
  }

  compute(request: PoolRequest, options: PoolOptions = {}): Promise<PoolResult> {
    const { onProgress, signal } = options;
    if (signal?.aborted) return Promise.reject(abortError());
    if (request.platforms.length === 0) return Promise.reject(new RangeError('platforms: none asked for'));
    const t0 = performance.now();
    const queue = [...request.platforms];
    const rows = new Map<string, Matrix>();
    const busy = new Set<W>();
    const ops: PublicKeyOps = { sign: 0, verify: 0, byKind: {}, ecdh: 0, keyDerivation: 0 };
    let cellsDone = 0;
    let settled = false;
    const workers = Math.min(this.size, queue.length);

    return new Promise<PoolResult>((resolve, reject) => {
      const detach = (w: W) => {
        w.onmessage = null;
        w.onerror = null;
        w.onmessageerror = null;
        busy.delete(w);
      };
      const stopAll = () => {
        for (const w of [...busy]) {
          detach(w);
          this.kill(w);
        }
        signal?.removeEventListener('abort', onAbort);
      };
      const fail = (e: Error | DOMException) => {
        if (settled) return;
        settled = true;
        stopAll();
        reject(e);
      };
      const onAbort = () => fail(abortError());
      signal?.addEventListener('abort', onAbort, { once: true });

      const release = (w: W) => {
        detach(w);
        if (this.dead.has(w)) return;
        if (this.idle.length < this.size) {
          this.idle.push(w);
          this.keepWarm();
        } else this.kill(w);
      };
      const finish = () => {
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        const parts = request.platforms.map((id) => rows.get(id) as Matrix);
        resolve({
          matrix: {
            platforms: parts.flatMap((m) => m.platforms),
            attacks: parts[0].attacks,
            cells: parts.flatMap((m) => m.cells),
          },
          ms: performance.now() - t0,
          ops,
          workers,
        });
      };
      const next = (w: W) => {
        const id = queue.shift();
        if (id === undefined) {
          release(w);
          if (busy.size === 0 && !settled) finish();
          return;
        }
        w.onmessage = (e) => {
          const reply = e.data;
          if (settled) return;
          if (reply.type === 'progress') return;
          if (reply.type === 'error') {
            fail(new Error(`the matrix worker could not compute ${id}: ${reply.message}`));
            return;
          }
          rows.set(id, reply.matrix);
          addOps(ops, reply.ops);
          cellsDone += reply.matrix.cells.length;
          try {
            onProgress?.(cellsDone, request.platforms.length * reply.matrix.attacks.length);
          } catch (err) {
            fail(err instanceof Error ? err : new Error(String(err)));
            return;
          }
          // The callback may have aborted the request (and terminated this worker).
          if (settled) return;
          next(w);
        };
        w.onerror = (e) => {
          e.preventDefault();
          fail(new Error(`the matrix worker failed: ${e.message || 'it could not be started'}`));
        };
        w.onmessageerror = () => fail(new Error('the matrix worker sent a message that could not be read'));
        w.postMessage({ seed: request.seed, misconfiguration: request.misconfiguration, platforms: [id] });
      };

      for (let i = 0; i < workers && !settled; i++) {
        let w: W;
        try {
          w = this.idle.pop() ?? this.create();
        } catch (e) {
          fail(new Error(`the matrix worker could not be started: ${(e as Error).message}`));
          return;
        }
        busy.add(w);
        next(w);
      }
    });
  }
}
