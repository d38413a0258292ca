/**
 * Benchmarks that run inside Chromium, in the same page as their native baselines. Bundled by
 * bench/run.ts and called through `window.ccteBench`.
 */
import { digest, digestAsync } from '../src/core/crypto/hash';
import { seededDrbg } from '../src/core/crypto/drbg';
import { generateKeyPair, sign, verify } from '../src/core/crypto/ecdsa';

export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** The native figure measured in the same run, where there is one. */
  baseline?: number;
  baselineName?: string;
  /** value / baseline for throughputs (higher is better). */
  ratio?: number;
  target?: string;
}

/** Best of `rounds` timings of `fn`, in milliseconds (best = least disturbed by the other core's work). */
async function bestMs(rounds: number, fn: () => unknown): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    await fn();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

const MIB = 1024 * 1024;

async function sha384Bulk(): Promise<Figure[]> {
  const data = new Uint8Array(8 * MIB);
  const d = seededDrbg('bench');
  for (let o = 0; o < data.length; o += 65_536) data.set(d.generate(65_536), o);
  const mbps = (ms: number) => data.length / MIB / (ms / 1000);
  const native = mbps(await bestMs(7, () => crypto.subtle.digest('SHA-384', data)));
  const ours = mbps(await bestMs(7, () => digestAsync('sha384', data)));
  const sync = mbps(await bestMs(3, () => digest('sha384', data)));
  return [
    {
      name: 'sha384 8 MiB, digestAsync (ours)',
      value: ours,
      unit: 'MiB/s',
      baseline: native,
      baselineName: 'crypto.subtle.digest',
      ratio: ours / native,
      target: '≥ 0.8× native',
    },
    {
      name: 'sha384 8 MiB, digest (sync, noble)',
      value: sync,
      unit: 'MiB/s',
      baseline: native,
      baselineName: 'crypto.subtle.digest',
      ratio: sync / native,
      target: 'informative',
    },
  ];
}

async function p384SignVerify(): Promise<Figure[]> {
  const k = generateKeyPair('p384', seededDrbg('bench-key'));
  const msg = new TextEncoder().encode('benchmark message for P-384');
  const N = 100;
  const sig = sign('p384', k.privateKey, msg);
  const signMs = await bestMs(3, () => {
    for (let i = 0; i < N; i++) sign('p384', k.privateKey, Uint8Array.of(...msg, i));
  });
  const verifyMs = await bestMs(3, () => {
    for (let i = 0; i < N; i++) verify('p384', sig, msg, k.publicKey);
  });
  const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-384' }, false, [
    'sign',
    'verify',
  ]);
  const alg = { name: 'ECDSA', hash: 'SHA-384' };
  const nsig = await crypto.subtle.sign(alg, pair.privateKey, msg);
  const nSignMs = await bestMs(3, async () => {
    for (let i = 0; i < N; i++) await crypto.subtle.sign(alg, pair.privateKey, Uint8Array.of(...msg, i));
  });
  const nVerifyMs = await bestMs(3, async () => {
    for (let i = 0; i < N; i++) await crypto.subtle.verify(alg, pair.publicKey, nsig, msg);
  });
  const perSec = (ms: number) => (N / ms) * 1000;
  return [
    {
      name: 'ECDSA P-384 sign (ours, RFC 6979)',
      value: perSec(signMs),
      unit: 'ops/s',
      baseline: perSec(nSignMs),
      baselineName: 'crypto.subtle.sign',
      ratio: perSec(signMs) / perSec(nSignMs),
      target: 'informative',
    },
    {
      name: 'ECDSA P-384 verify (ours)',
      value: perSec(verifyMs),
      unit: 'ops/s',
      baseline: perSec(nVerifyMs),
      baselineName: 'crypto.subtle.verify',
      ratio: perSec(verifyMs) / perSec(nVerifyMs),
      target: 'informative',
    },
  ];
}

const suites: Record<string, () => Promise<Figure[]>> = { sha384Bulk, p384SignVerify };

declare global {
  interface Window {
    ccteBench: { suites: string[]; run(name: string): Promise<Figure[]> };
  }
}

window.ccteBench = {
  suites: Object.keys(suites),
  run: (name) => suites[name](),
};
