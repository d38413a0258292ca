/**
 * Benchmarks that run inside Chromium, in the same page as their native baselines. Bundled by
 * bench/run.ts and called through `window.ccteBench`.
 */
import { digest, digestAsync } from '../src/core/crypto/hash';
import { seededDrbg } from '../src/core/crypto/drbg';
import { generateKeyPair, sign, verify } from '../src/core/crypto/ecdsa';
import { utf8, toBase64Url, bigIntToMinimalBytes } from '../src/core/crypto/bytes';
import { demoChainCertificates, demoSnpEvidence } from '../src/core/evidence/amd-chain';
import { demoArkCertificate } from '../src/core/evidence/amd-roots';
import { snpSignatureToRaw, snpSignedBytes } from '../src/core/evidence/snp-report';
import type { PublicKeyInfo } from '../src/core/evidence/x509';
import { parseEventLog, replayEventLog, writeEventLog } from '../src/core/measure/event-log';
import { EV } from '../src/core/measure/event-types';
import { appraiseSnp, appraiseSnpAsync, strictSnpPolicy } from '../src/core/verify/snp';
import MatrixWorker from '../src/model/matrix.worker.ts?worker&inline';
import type { PublicKeyOps } from '../src/core/crypto/counters';
import { describeOps } from './ops';
import { PLATFORMS } from '../src/model/platforms';
import { MatrixPool, poolSize } from '../src/ui/lib/matrix-pool';

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
  // A fresh message every time: deterministic signatures are memoised, and a repeat would measure the memo.
  let round = 0;
  const signMs = await bestMs(3, () => {
    round++;
    for (let i = 0; i < N; i++) sign('p384', k.privateKey, Uint8Array.of(...msg, round, i));
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

async function importForVerify(key: PublicKeyInfo): Promise<CryptoKey> {
  if (key.kind === 'ec') {
    const n = key.curve === 'p384' ? 48 : 32;
    const jwk = {
      kty: 'EC',
      crv: key.curve === 'p384' ? 'P-384' : 'P-256',
      x: toBase64Url(key.point.subarray(1, 1 + n)),
      y: toBase64Url(key.point.subarray(1 + n)),
    };
    return crypto.subtle.importKey('jwk', jwk, { name: 'ECDSA', namedCurve: jwk.crv }, false, ['verify']);
  }
  const jwk = {
    kty: 'RSA',
    n: toBase64Url(bigIntToMinimalBytes(key.key.n)),
    e: toBase64Url(bigIntToMinimalBytes(key.key.e)),
    alg: 'PS384',
  };
  return crypto.subtle.importKey('jwk', jwk, { name: 'RSA-PSS', hash: 'SHA-384' }, false, ['verify']);
}

/**
 * Appraisal of one SNP report (parse + signature + VCEK→ASK→ARK chain + policy) against the floor a
 * native verifier cannot go below: the same four signature checks done by WebCrypto.
 */
async function snpAppraisal(): Promise<Figure[]> {
  const e = demoSnpEvidence(1);
  const certs = demoChainCertificates(e);
  const policy = strictSnpPolicy({
    trustedRoots: [demoArkCertificate()],
    referenceMeasurements: [e.fields.measurement],
  });
  const N = 20;
  const ours = await bestMs(5, async () => {
    for (let i = 0; i < N; i++) await appraiseSnpAsync(e.report, certs, policy);
  });
  const oursSync = await bestMs(3, () => {
    for (let i = 0; i < N; i++) appraiseSnp(e.report, certs, policy);
  });
  const [vcek, ask, ark] = certs;
  const keys = await Promise.all([
    importForVerify(vcek.publicKey),
    importForVerify(ask.publicKey),
    importForVerify(ark.publicKey),
  ]);
  const pss = { name: 'RSA-PSS', saltLength: 48 };
  const nativeMs = await bestMs(5, async () => {
    for (let i = 0; i < N; i++) {
      // One after another, as a single-threaded verifier would do them.
      await crypto.subtle.verify(
        { name: 'ECDSA', hash: 'SHA-384' },
        keys[0],
        snpSignatureToRaw(e.report.subarray(0x2a0)) as Uint8Array<ArrayBuffer>,
        snpSignedBytes(e.report) as Uint8Array<ArrayBuffer>,
      );
      await crypto.subtle.verify(
        pss,
        keys[1],
        vcek.signature as Uint8Array<ArrayBuffer>,
        vcek.tbs as Uint8Array<ArrayBuffer>,
      );
      await crypto.subtle.verify(
        pss,
        keys[2],
        ask.signature as Uint8Array<ArrayBuffer>,
        ask.tbs as Uint8Array<ArrayBuffer>,
      );
      await crypto.subtle.verify(
        pss,
        keys[2],
        ark.signature as Uint8Array<ArrayBuffer>,
        ark.tbs as Uint8Array<ArrayBuffer>,
      );
    }
  });
  return [
    {
      name: 'SNP report appraisal (parse + chain + policy), appraiseSnpAsync',
      value: ours / N,
      unit: 'ms',
      baseline: nativeMs / N,
      baselineName: 'WebCrypto: its 4 signature checks in sequence',
      ratio: ours / nativeMs,
      target: '≤ 2× native floor',
    },
    {
      name: 'SNP report appraisal, appraiseSnp (pure TypeScript)',
      value: oursSync / N,
      unit: 'ms',
      baseline: nativeMs / N,
      baselineName: 'WebCrypto: its 4 signature checks in sequence',
      ratio: oursSync / nativeMs,
      target: 'informative',
    },
  ];
}

/** Parse + replay of a 1,000-event crypto-agile log with SHA-256 and SHA-384 banks. */
async function eventLogReplay(): Promise<Figure[]> {
  const events = Array.from({ length: 1000 }, (_, i) => ({
    pcrIndex: i % 10,
    type: i % 50 === 0 ? EV.EV_SEPARATOR : EV.EV_IPL,
    data: i % 50 === 0 ? new Uint8Array(4) : utf8(`grub_cmd: measured step ${i}`),
  }));
  const log = writeEventLog({ algorithms: ['sha256', 'sha384'], events, locality: 0 });
  const ms = await bestMs(5, () => replayEventLog(parseEventLog(log)));
  return [
    { name: 'event log parse + replay, 1,000 events, 2 banks', value: ms, unit: 'ms', target: 'informative' },
  ];
}

/** A WebCrypto key pair and algorithm for one kind of operation the core counts (counters.ts). */
async function nativeKind(kind: string) {
  const ec = /^ecdsa-(p256|p384)$/.exec(kind);
  if (ec) {
    const curve = ec[1] === 'p256' ? 'P-256' : 'P-384';
    const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: curve }, false, [
      'sign',
      'verify',
    ]);
    return { pair, alg: { name: 'ECDSA', hash: ec[1] === 'p256' ? 'SHA-256' : 'SHA-384' } };
  }
  const rsa = /^rsa-(pss|pkcs1)-(\d+)$/.exec(kind);
  if (rsa) {
    const name = rsa[1] === 'pss' ? 'RSA-PSS' : 'RSASSA-PKCS1-v1_5';
    const pair = await crypto.subtle.generateKey(
      { name, modulusLength: Number(rsa[2]), publicExponent: Uint8Array.of(1, 0, 1), hash: 'SHA-384' },
      false,
      ['sign', 'verify'],
    );
    return { pair, alg: rsa[1] === 'pss' ? { name, saltLength: 48 } : { name } };
  }
  throw new Error(`bench: no native counterpart for ${kind}`);
}

/**
 * The floor: the same public-key operations, kind by kind (P-256 and P-384 ECDSA, RSA-PSS of the same
 * modulus size…), done natively by WebCrypto one after another (best of three). Chromium runs every
 * WebCrypto operation of a page on one thread, so issuing them all at once would not use more cores;
 * a pool of N workers is compared with this floor ÷ N instead, the floor as if spread over its cores.
 */
async function nativeFloorMs(ops: PublicKeyOps): Promise<number> {
  const msg = new TextEncoder().encode('floor');
  const jobs: (() => Promise<unknown>)[] = [];
  for (const [kind, n] of Object.entries(ops.byKind)) {
    const { pair, alg } = await nativeKind(kind);
    const sig = await crypto.subtle.sign(alg, pair.privateKey, msg);
    for (let i = 0; i < n.sign; i++) jobs.push(() => crypto.subtle.sign(alg, pair.privateKey, msg));
    for (let i = 0; i < n.verify; i++) jobs.push(() => crypto.subtle.verify(alg, pair.publicKey, sig, msg));
  }
  // Best of three, like the other figures: the least disturbed by the other core's work.
  return bestMs(3, async () => {
    for (const j of jobs) await j();
  });
}

interface MatrixDone {
  type: string;
  ms: number;
  ops: PublicKeyOps;
}

const MATRIX_TARGET = '≤ 300 ms and ≤ 2× floor';

/**
 * The full 12 × 15 matrix against the floor of the same native public-key operations (only those
 * actually computed: a memoised signature counts in neither). In one Web Worker, for a seed the worker
 * has not computed yet (keys, evidence and chains all new: what a new seed costs) and for the same
 * seed again (memoised pure computations reused); and as the page computes it, with its pool of
 * workers a row at a time: on the first request (workers started cold) and for a new seed once warm.
 * The pool's figures are compared with the floor divided by the number of workers (see nativeFloorMs).
 */
async function matrixInWorker(): Promise<Figure[]> {
  const worker = new MatrixWorker();
  const run = (seed: number, platforms?: string[]) =>
    new Promise<MatrixDone>((resolve, reject) => {
      worker.onmessage = (e: MessageEvent<MatrixDone>) => {
        if (e.data.type === 'matrix') resolve(e.data);
      };
      worker.onerror = (e) => reject(new Error(e.message));
      worker.postMessage({ seed, ...(platforms ? { platforms } : {}) });
    });
  // Each figure is the best of three (the least disturbed by the other core's work): three seeds the
  // worker has not seen, the last of them three more times, three pools started cold, three new seeds.
  const best = async <T extends { ms: number }>(runs: (() => Promise<T>)[]): Promise<T> => {
    let b: T | undefined;
    for (const r of runs) {
      const x = await r();
      if (!b || x.ms < b.ms) b = x;
    }
    return b as T;
  };
  await run(1); // warm-up: JIT
  const fresh = await best([2, 3, 4].map((seed) => () => run(seed)));
  const again = await best([4, 4, 4].map((seed) => () => run(seed)));
  // The bare simulation: the plain VM's row has no evidence, no signature and no memory encryption,
  // so its 15 runs are the machines, the protocol, the transcript and the judge alone.
  let bareRow = Infinity;
  for (let seed = 10; seed < 15; seed++) bareRow = Math.min(bareRow, (await run(seed, ['plain-vm'])).ms);
  worker.terminate();

  const size = poolSize(navigator.hardwareConcurrency);
  const ids = PLATFORMS.map((p) => p.id);
  const cold = await best(
    [5, 6, 7].map((seed) => async () => {
      const fresh = new MatrixPool(() => new MatrixWorker(), size);
      const r = await fresh.compute({ seed, misconfiguration: {}, platforms: ids });
      fresh.close();
      return r;
    }),
  );
  const pool = new MatrixPool(() => new MatrixWorker(), size);
  const request = (seed: number) => () => pool.compute({ seed, misconfiguration: {}, platforms: ids });
  await request(8)(); // warm-up of every worker
  const warm = await best([9, 10, 11].map(request));
  pool.close();

  const figures: Figure[] = [];
  for (const [label, r, workers] of [
    ['one Web Worker, new seed', fresh, 1],
    ['one Web Worker, same seed again', again, 1],
    [`the page's pool of ${size} workers, first request (cold)`, cold, size],
    [`the page's pool of ${size} workers, new seed`, warm, size],
  ] as const) {
    const floor = (await nativeFloorMs(r.ops)) / workers;
    figures.push({
      name: `threat matrix 12×15, ${label} (${describeOps(r.ops)})`,
      value: r.ms,
      unit: 'ms',
      baseline: floor,
      baselineName: `WebCrypto: the same signs + verifies${workers > 1 ? `, ÷ ${workers} cores` : ''}`,
      ratio: r.ms / floor,
      target: MATRIX_TARGET,
    });
  }
  const bare = (bareRow / 15) * 180;
  const floor = figures[0].baseline ?? NaN;
  figures.push({
    name: "threat matrix: 180 runs' bare simulation (machines, protocol, transcript, judge: the plain-vm row's time per run × 180)",
    value: bare,
    unit: 'ms',
    baseline: floor,
    baselineName: 'the new-seed floor above',
    ratio: bare / floor,
    target: 'informative: the part of 2× floor no crypto is left to use',
  });
  return figures;
}

const suites: Record<string, () => Promise<Figure[]>> = {
  sha384Bulk,
  p384SignVerify,
  snpAppraisal,
  eventLogReplay,
  matrixInWorker,
};

declare global {
  interface Window {
    ccteBench: { suites: string[]; run(name: string): Promise<Figure[]> };
  }
}

window.ccteBench = {
  suites: Object.keys(suites),
  run: (name) => suites[name](),
};
