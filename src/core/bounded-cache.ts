/**
 * A small memo for pure, deterministic computations keyed by the value of their inputs (a certificate's
 * DER, a public key's bytes, an ECDH pair). Bounded: beyond `max` entries the oldest is dropped
 * (insertion order), so a long session cannot grow it without limit. Failures are never kept: `get`
 * only sees what `set` stored after a computation succeeded.
 */
export class BoundedCache<V> {
  private readonly entries = new Map<string, V>();

  constructor(readonly max: number) {
    if (!Number.isInteger(max) || max < 1)
      throw new RangeError(`max: expected a positive integer, got ${max}`);
  }

  get(key: string): V | undefined {
    return this.entries.get(key);
  }

  set(key: string, value: V): void {
    if (!this.entries.has(key) && this.entries.size >= this.max) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, value);
  }

  /** The cached value for `key`, computing and keeping it when absent. */
  getOrCompute(key: string, compute: () => V): V {
    const known = this.entries.get(key);
    if (known !== undefined) return known;
    const value = compute();
    this.set(key, value);
    return value;
  }

  get size(): number {
    return this.entries.size;
  }
}
