/**
 * JSON-safe views of the machines' snapshots, for a UI that shows every machine's state and context
 * at any step: bytes become hex, big integers hex strings, and the effect objects, generators and
 * functions a machine carries in its context are named rather than dumped.
 */
import { toHex } from '../core/crypto/bytes';

export type Inspected = null | boolean | number | string | Inspected[] | { [key: string]: Inspected };

export interface MachineView {
  /** The active state (a name, or nested names for parallel/compound states). */
  state: Inspected;
  status: string;
  context: Inspected;
}

/** A plain, JSON-serialisable copy of `value`, at most `depth` levels deep. */
export function toInspectable(value: unknown, depth = 6): Inspected {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean' || typeof value === 'number' || typeof value === 'string') return value;
  if (typeof value === 'bigint') return `0x${value.toString(16)}`;
  if (typeof value === 'function') return `[function ${value.name || 'anonymous'}]`;
  if (value instanceof Uint8Array) return toHex(value);
  if (depth <= 0) return '[…]';
  if (Array.isArray(value)) return value.map((v) => toInspectable(v, depth - 1));
  const proto = Object.getPrototypeOf(value) as object | null;
  if (proto !== Object.prototype && proto !== null) {
    // Class instances (effects, DRBGs, memories) hold keys and caches: name them, don't dump them.
    return `[${(value as object).constructor?.name ?? 'object'}]`;
  }
  return Object.fromEntries(
    Object.entries(value as object).map(([k, v]) => [k, toInspectable(v, depth - 1)]),
  );
}

/** The view of one actor snapshot (anything with `value`, `status` and `context`). */
export function viewOf(snapshot: { value?: unknown; status?: string; context?: unknown }): MachineView {
  return {
    state: toInspectable(snapshot.value),
    status: snapshot.status ?? 'unknown',
    context: toInspectable(snapshot.context),
  };
}
