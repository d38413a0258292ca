/**
 * The page's matrix worker pool (src/ui/lib/matrix-pool.ts) with fake workers that run the real rows
 * (or fail, or hang) on a timer: the rows spread over the workers, the matrix equals the sequential
 * one, warm workers are reused, and aborting or a failing row terminates exactly the busy workers.
 */
import { describe, expect, it, vi } from 'vitest';
import { resetPublicKeyOps, snapshotPublicKeyOps } from '../../../src/core/crypto/counters';
import { runMatrix, type Matrix } from '../../../src/model/matrix';
import type { MatrixReply, MatrixRequest } from '../../../src/model/matrix.worker';
import { PLATFORMS, platformById } from '../../../src/model/platforms';
import { MatrixPool, poolSize, type MatrixWorkerLike } from '../../../src/ui/lib/matrix-pool';

type Behaviour = 'run' | 'hang' | ((req: MatrixRequest) => MatrixReply);

class FakeWorker implements MatrixWorkerLike {
  onmessage: MatrixWorkerLike['onmessage'] = null;
  onerror: MatrixWorkerLike['onerror'] = null;
  onmessageerror: MatrixWorkerLike['onmessageerror'] = null;
  terminated = false;
  readonly received: string[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly behaviour: Behaviour) {}

  postMessage(req: MatrixRequest): void {
    if (this.terminated) throw new Error('posted to a terminated worker');
    this.received.push(...(req.platforms ?? []));
    if (this.behaviour === 'hang') return;
    const behaviour = this.behaviour;
    this.timer = setTimeout(() => {
      let reply: MatrixReply;
      if (behaviour === 'run') {
        resetPublicKeyOps();
        const matrix = runMatrix({
          seed: req.seed ?? 1,
          misconfiguration: req.misconfiguration ?? {},
          platforms: (req.platforms ?? []).map(platformById),
        });
        reply = { type: 'matrix', matrix, ms: 0, ops: snapshotPublicKeyOps() };
      } else reply = behaviour(req);
      this.onmessage?.({ data: reply } as MessageEvent<MatrixReply>);
    }, 1);
  }

  terminate(): void {
    this.terminated = true;
    clearTimeout(this.timer);
  }
}

function fakePool(size: number, behaviour: Behaviour = 'run') {
  const created: FakeWorker[] = [];
  const pool = new MatrixPool(() => {
    const w = new FakeWorker(behaviour);
    created.push(w);
    return w;
  }, size);
  return { pool, created };
}

const IDS = PLATFORMS.map((p) => p.id);
const tinyRow = (req: MatrixRequest): MatrixReply => ({
  type: 'matrix',
  matrix: {
    platforms: (req.platforms ?? []).map((id) => ({ id, name: id })),
    attacks: [{ id: 'a', name: 'A' }],
    cells: [],
  } satisfies Matrix,
  ms: 0,
  ops: { sign: 1, verify: 2, byKind: { 'ecdsa-p256': { sign: 1, verify: 2 } }, ecdh: 0, keyDerivation: 0 },
});

describe('matrix worker pool', () => {
  it('computes the same matrix as one sequential run, a row per message, over at most `size` workers', async () => {
    const { pool, created } = fakePool(3);
    const progress: [number, number][] = [];
    const result = await pool.compute(
      { seed: 3, misconfiguration: {}, platforms: IDS },
      { onProgress: (done, total) => progress.push([done, total]) },
    );
    expect(JSON.stringify(result.matrix)).toBe(JSON.stringify(runMatrix({ seed: 3 })));
    expect(created).toHaveLength(3);
    expect(result.workers).toBe(3);
    // Every platform was asked for exactly once, and every worker had a share.
    expect(created.flatMap((w) => w.received).sort()).toEqual([...IDS].sort());
    for (const w of created) expect(w.received.length).toBeGreaterThan(0);
    expect(progress.map(([done]) => done)).toEqual(IDS.map((_, i) => (i + 1) * 15));
    expect(new Set(progress.map(([, total]) => total))).toEqual(new Set([180]));
    expect(result.ops.sign + result.ops.verify).toBeGreaterThan(0);
  });

  it('keeps finished workers warm and reuses them for the next request', async () => {
    const { pool, created } = fakePool(2, tinyRow);
    const first = await pool.compute({ seed: 1, misconfiguration: {}, platforms: IDS });
    expect(pool.idleWorkers).toBe(2);
    const second = await pool.compute({ seed: 2, misconfiguration: {}, platforms: ['sev', 'tdx'] });
    expect(created).toHaveLength(2);
    expect(second.matrix.platforms.map((p) => p.id)).toEqual(['sev', 'tdx']);
    // Operation counts are summed over the rows.
    expect(first.ops).toEqual({
      sign: 12,
      verify: 24,
      byKind: { 'ecdsa-p256': { sign: 12, verify: 24 } },
      ecdh: 0,
      keyDerivation: 0,
    });
    pool.close();
    expect(pool.idleWorkers).toBe(0);
    expect(created.every((w) => w.terminated)).toBe(true);
  });

  it('terminates idle workers after the idle time, and starts new ones for a later request', async () => {
    vi.useFakeTimers();
    try {
      const created: FakeWorker[] = [];
      const pool = new MatrixPool(
        () => {
          const w = new FakeWorker(tinyRow);
          created.push(w);
          return w;
        },
        2,
        1000,
      );
      const first = pool.compute({ seed: 1, misconfiguration: {}, platforms: ['sev', 'tdx', 'cca'] });
      await vi.advanceTimersByTimeAsync(10);
      await first;
      expect(pool.idleWorkers).toBe(2);
      await vi.advanceTimersByTimeAsync(985);
      expect(pool.idleWorkers).toBe(2);
      await vi.advanceTimersByTimeAsync(20);
      expect(pool.idleWorkers).toBe(0);
      expect(created.every((w) => w.terminated)).toBe(true);
      const second = pool.compute({ seed: 2, misconfiguration: {}, platforms: ['sev'] });
      await vi.advanceTimersByTimeAsync(10);
      expect((await second).matrix.platforms.map((p) => p.id)).toEqual(['sev']);
      expect(created).toHaveLength(3);
    } finally {
      vi.useRealTimers();
    }
  });

  it('aborting terminates the busy workers and rejects with an AbortError', async () => {
    const { pool, created } = fakePool(2, 'hang');
    const controller = new AbortController();
    const pending = pool.compute(
      { seed: 1, misconfiguration: {}, platforms: IDS },
      { signal: controller.signal },
    );
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(created).toHaveLength(2);
    expect(created.every((w) => w.terminated)).toBe(true);
    expect(pool.idleWorkers).toBe(0);
    // An already aborted signal starts nothing.
    await expect(
      pool.compute({ seed: 1, misconfiguration: {}, platforms: IDS }, { signal: controller.signal }),
    ).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(created).toHaveLength(2);
  });

  it('a progress callback that aborts or throws ends the request, and no terminated worker is reused', async () => {
    const { pool, created } = fakePool(1, tinyRow);
    const controller = new AbortController();
    const aborted = pool.compute(
      { seed: 1, misconfiguration: {}, platforms: ['sev', 'tdx'] },
      { signal: controller.signal, onProgress: () => controller.abort() },
    );
    await expect(aborted).rejects.toMatchObject({ name: 'AbortError' });
    expect(created[0].terminated).toBe(true);
    expect(pool.idleWorkers).toBe(0);
    const thrown = pool.compute(
      { seed: 1, misconfiguration: {}, platforms: ['sev'] },
      {
        onProgress: () => {
          throw new Error('the page broke');
        },
      },
    );
    await expect(thrown).rejects.toThrow('the page broke');
    // Each request started a worker of its own, and the next one works on a fresh worker.
    const ok = await pool.compute({ seed: 1, misconfiguration: {}, platforms: ['sev', 'cca'] });
    expect(ok.matrix.platforms.map((p) => p.id)).toEqual(['sev', 'cca']);
    expect(created.filter((w) => !w.terminated)).toHaveLength(1);
  });

  it('a row that fails rejects the request naming the platform, and stops the other workers', async () => {
    const { pool, created } = fakePool(3, (req) =>
      req.platforms?.[0] === 'tdx' ? { type: 'error', message: 'boom' } : tinyRow(req),
    );
    await expect(pool.compute({ seed: 1, misconfiguration: {}, platforms: IDS })).rejects.toThrow(
      'the matrix worker could not compute tdx: boom',
    );
    // The worker that failed and the ones still busy are gone; none of them is kept for later.
    expect(created.filter((w) => !w.terminated)).toHaveLength(pool.idleWorkers);
    expect(created.find((w) => w.received.includes('tdx'))?.terminated).toBe(true);
  });

  it('refuses an empty request and a bad size; sizes the pool from the core count', async () => {
    await expect(fakePool(1).pool.compute({ seed: 1, misconfiguration: {}, platforms: [] })).rejects.toThrow(
      'platforms: none asked for',
    );
    expect(() => fakePool(0)).toThrow('pool size: expected a positive integer, got 0');
    expect([undefined, 0, 1, 2, 3, 4, 8, 64].map(poolSize)).toEqual([2, 2, 1, 2, 2, 3, 4, 4]);
  });
});
