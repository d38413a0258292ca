/**
 * A small mutation fuzzer for our parsers: feeds mutated valid inputs and random bytes, and counts
 * crashes (anything but a FormatError), hangs (one input over a second) and rejections that do not
 * name an offset. Seeded, so a failure can be replayed: `npx tsx fuzz/<name>.fuzz.ts <count> <seed>`.
 */
import { FormatError } from '../src/core/errors';

export interface FuzzTarget {
  name: string;
  /** Valid inputs to mutate (real evidence where we have it, our own encoder's output otherwise). */
  seeds: Uint8Array[];
  /** The parser under test; it must return or throw FormatError. */
  parse(input: Uint8Array): unknown;
}

export interface FuzzSummary {
  name: string;
  inputs: number;
  accepted: number;
  rejected: number;
  crashes: number;
  hangs: number;
  noOffset: number;
  seconds: number;
  firstProblem?: string;
}

/** xorshift32: fast and deterministic; the fuzzer needs speed, not cryptographic randomness. */
function prng(seed: number): () => number {
  let s = seed >>> 0 || 0x9e3779b9;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

function mutate(src: Uint8Array, rnd: () => number): Uint8Array {
  const kind = rnd() % 7;
  const b = src.slice();
  const at = src.length ? rnd() % src.length : 0;
  switch (kind) {
    case 0: // a few bit flips
      for (let i = 0, n = 1 + (rnd() % 4); i < n && b.length; i++) b[rnd() % b.length] ^= 1 << (rnd() % 8);
      return b;
    case 1: {
      // A run of an interesting value: lengths and counts live in such fields.
      const v = [0x00, 0xff, 0x7f, 0x80][rnd() % 4];
      for (let i = at, end = Math.min(b.length, at + 1 + (rnd() % 4)); i < end; i++) b[i] = v;
      return b;
    }
    case 2: // truncation
      return b.slice(0, at);
    case 3: {
      // extension with random bytes
      const out = new Uint8Array(b.length + 1 + (rnd() % 64));
      out.set(b);
      for (let i = b.length; i < out.length; i++) out[i] = rnd() & 0xff;
      return out;
    }
    case 4: // overwrite a run with random bytes
      for (let i = at, end = Math.min(b.length, at + 1 + (rnd() % 32)); i < end; i++) b[i] = rnd() & 0xff;
      return b;
    case 5: {
      // delete a run
      const cut = Math.min(b.length, at + 1 + (rnd() % 32));
      const out = new Uint8Array(b.length - (cut - at));
      out.set(b.subarray(0, at));
      out.set(b.subarray(cut), at);
      return out;
    }
    default: // random bytes of a plausible size
      return Uint8Array.from({ length: rnd() % Math.max(16, src.length * 2) }, () => rnd() & 0xff);
  }
}

export function runFuzz(target: FuzzTarget, count: number, seed: number): FuzzSummary {
  const rnd = prng(seed);
  const s: FuzzSummary = {
    name: target.name,
    inputs: 0,
    accepted: 0,
    rejected: 0,
    crashes: 0,
    hangs: 0,
    noOffset: 0,
    seconds: 0,
  };
  const t0 = performance.now();
  for (let i = 0; i < count; i++) {
    const base = target.seeds[rnd() % target.seeds.length];
    const input = mutate(base, rnd);
    const start = performance.now();
    try {
      target.parse(input);
      s.accepted++;
    } catch (e) {
      if (e instanceof FormatError) {
        s.rejected++;
        if (!Number.isInteger(e.offset) || !/offset 0x[0-9a-f]+/.test(e.message)) {
          s.noOffset++;
          s.firstProblem ??= `input ${i}: rejection without an offset: ${e.message}`;
        }
      } else {
        s.crashes++;
        s.firstProblem ??= `input ${i}: ${(e as Error)?.name ?? 'throw'}: ${(e as Error)?.message ?? String(e)}`;
      }
    }
    if (performance.now() - start > 1000) {
      s.hangs++;
      s.firstProblem ??= `input ${i}: took ${(performance.now() - start).toFixed(0)} ms`;
    }
    s.inputs++;
  }
  s.seconds = (performance.now() - t0) / 1000;
  return s;
}

export function formatSummary(s: FuzzSummary): string {
  const rate = Math.round(s.inputs / Math.max(s.seconds, 1e-9));
  return (
    `${s.name}: ${s.inputs} inputs (${s.accepted} accepted, ${s.rejected} rejected) in ${s.seconds.toFixed(1)} s, ${rate}/s; ` +
    `${s.crashes} crashes, ${s.hangs} hangs, ${s.noOffset} rejections without offset` +
    (s.firstProblem ? `; first: ${s.firstProblem}` : '')
  );
}

/** Entry point for a `fuzz/<name>.fuzz.ts` file: `[count] [seed]` from the command line. */
export function fuzzMain(target: FuzzTarget): void {
  const count = Number(process.argv[2] ?? 100_000);
  const seed = Number(process.argv[3] ?? 1);
  const s = runFuzz(target, count, seed);
  console.log(formatSummary(s));
  if (s.crashes || s.hangs || s.noOffset) process.exitCode = 1;
}
