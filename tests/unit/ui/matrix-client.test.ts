/**
 * The page's matrix client (src/ui/lib/matrix-client.ts) over a fake pool whose computations the test
 * finishes by hand: requests for the same inputs share one computation, a prefetch is joined by the
 * request that follows it, the cache answers afterwards, and a computation stops when nobody waits
 * for it any more or another one is asked for.
 */
import { describe, expect, it } from 'vitest';
import type { Matrix } from '../../../src/model/matrix';
import type { PoolOptions, PoolRequest, PoolResult } from '../../../src/ui/lib/matrix-pool';
import { abortError } from '../../../src/ui/lib/matrix-pool';
import { createMatrixClient, isAbort } from '../../../src/ui/lib/matrix-client';

interface Call {
  request: PoolRequest;
  options: PoolOptions;
  finish: () => void;
  aborted: () => boolean;
}

function fakePool() {
  const calls: Call[] = [];
  const pool = {
    compute(request: PoolRequest, options: PoolOptions = {}): Promise<PoolResult> {
      return new Promise((resolve, reject) => {
        const matrix: Matrix = {
          platforms: request.platforms.map((id) => ({ id, name: id })),
          attacks: [{ id: `seed-${request.seed}`, name: 'x' }],
          cells: [],
        };
        options.signal?.addEventListener('abort', () => reject(abortError()), { once: true });
        calls.push({
          request,
          options,
          finish: () =>
            resolve({
              matrix,
              ms: 1,
              ops: { sign: 0, verify: 0, byKind: {}, ecdh: 0, keyDerivation: 0 },
              workers: 1,
            }),
          aborted: () => options.signal?.aborted === true,
        });
      });
    },
  };
  return { calls, client: createMatrixClient(() => pool) };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('matrix client', () => {
  it('shares one computation between requests for the same inputs, with progress for each, then caches it', async () => {
    const { calls, client } = fakePool();
    const seen: string[] = [];
    const a = client.computeMatrix(3, { noNonce: false }, { onProgress: (d, t) => seen.push(`a ${d}/${t}`) });
    const b = client.computeMatrix(3, {}, { onProgress: (d, t) => seen.push(`b ${d}/${t}`) });
    expect(calls).toHaveLength(1);
    expect(calls[0].request).toMatchObject({ seed: 3, misconfiguration: {} });
    calls[0].options.onProgress?.(15, 180);
    calls[0].finish();
    const [ma, mb] = await Promise.all([a, b]);
    expect(ma).toBe(mb);
    expect(seen).toEqual(['a 15/180', 'b 15/180']);
    expect(client.cachedMatrix(3, {})).toBe(ma);
    expect(await client.computeMatrix(3, {})).toBe(ma);
    expect(calls).toHaveLength(1);
    expect(client.inFlight).toBe(0);
  });

  it('a prefetch is joined by the request that follows, which gets its progress so far at once', async () => {
    const { calls, client } = fakePool();
    client.prefetchMatrix(5, { allowDebug: true });
    client.prefetchMatrix(5, { allowDebug: true });
    expect(calls).toHaveLength(1);
    calls[0].options.onProgress?.(30, 180);
    const seen: [number, number][] = [];
    const m = client.computeMatrix(5, { allowDebug: true }, { onProgress: (d, t) => seen.push([d, t]) });
    expect(seen).toEqual([[30, 180]]);
    calls[0].finish();
    expect((await m).attacks[0].id).toBe('seed-5');
    expect(calls).toHaveLength(1);
    // Known now: prefetching it again starts nothing.
    client.prefetchMatrix(5, { allowDebug: true });
    expect(calls).toHaveLength(1);
  });

  it('keeps computing while one request still waits, and stops when the last one is aborted', async () => {
    const { calls, client } = fakePool();
    const one = new AbortController();
    const two = new AbortController();
    const a = client.computeMatrix(7, {}, { signal: one.signal });
    const b = client.computeMatrix(7, {}, { signal: two.signal });
    one.abort();
    await expect(a).rejects.toSatisfy(isAbort);
    expect(calls[0].aborted()).toBe(false);
    two.abort();
    await expect(b).rejects.toSatisfy(isAbort);
    expect(calls[0].aborted()).toBe(true);
    await tick();
    expect(client.inFlight).toBe(0);
    expect(client.cachedMatrix(7, {})).toBeUndefined();
  });

  it('asking for other inputs stops a prefetch nobody waits for, but not a computation someone waits for', async () => {
    const { calls, client } = fakePool();
    client.prefetchMatrix(1, {});
    const other = client.computeMatrix(2, {});
    expect(calls).toHaveLength(2);
    expect(calls[0].aborted()).toBe(true);
    // A prefetch of a third seed leaves the awaited computation alone.
    client.prefetchMatrix(3, {});
    expect(calls).toHaveLength(3);
    expect(calls[1].aborted()).toBe(false);
    calls[1].finish();
    expect((await other).attacks[0].id).toBe('seed-2');
    // An aborted prefetch is no unhandled rejection and leaves nothing in the cache.
    await tick();
    expect(client.cachedMatrix(1, {})).toBeUndefined();
  });

  it('an already aborted signal starts nothing', async () => {
    const { calls, client } = fakePool();
    const c = new AbortController();
    c.abort();
    await expect(client.computeMatrix(1, {}, { signal: c.signal })).rejects.toSatisfy(isAbort);
    expect(calls).toHaveLength(0);
  });
});
