/**
 * `npm run bench`: builds the in-browser benchmarks, runs them in headless Chromium next to their
 * native baselines, prints a table and writes bench-results.json. Figures, not pass/fail.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { constants, generateKeyPairSync, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import { chromium } from '@playwright/test';
import { build } from 'vite';
import { resetPublicKeyOps, snapshotPublicKeyOps, type PublicKeyOps } from '../src/core/crypto/counters';
import { runMatrix } from '../src/model/matrix';
import { PLATFORMS } from '../src/model/platforms';
import type { Figure } from './browser';
import { explorerPageFigures } from './explorer-page';
import { describeOps } from './ops';

/** A node:crypto key and sign/verify options for one kind of operation the core counts (counters.ts). */
function nodeKind(kind: string) {
  const ec = /^ecdsa-(p256|p384)$/.exec(kind);
  if (ec) {
    const { privateKey, publicKey } = generateKeyPairSync('ec', {
      namedCurve: ec[1] === 'p256' ? 'prime256v1' : 'secp384r1',
    });
    return { hash: ec[1] === 'p256' ? 'sha256' : 'sha384', signKey: privateKey, verifyKey: publicKey };
  }
  const rsa = /^rsa-(pss|pkcs1)-(\d+)$/.exec(kind);
  if (rsa) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: Number(rsa[2]) });
    const padding =
      rsa[1] === 'pss'
        ? { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 48 }
        : { padding: constants.RSA_PKCS1_PADDING };
    return {
      hash: 'sha384',
      signKey: { key: privateKey, ...padding },
      verifyKey: { key: publicKey, ...padding },
    };
  }
  throw new Error(`bench: no native counterpart for ${kind}`);
}

/** The same public-key operations, kind by kind, done by OpenSSL one after another (best of three). */
function nodeFloorMs(ops: PublicKeyOps): number {
  const msg = Buffer.from('floor');
  let ms = 0;
  for (const [kind, n] of Object.entries(ops.byKind)) {
    const { hash, signKey, verifyKey } = nodeKind(kind);
    const sig = nodeSign(hash, msg, signKey);
    let best = Infinity; // best of three
    for (let round = 0; round < 3; round++) {
      const t0 = performance.now();
      for (let i = 0; i < n.sign; i++) nodeSign(hash, msg, signKey);
      for (let i = 0; i < n.verify; i++) nodeVerify(hash, msg, verifyKey, sig);
      best = Math.min(best, performance.now() - t0);
    }
    ms += best;
  }
  return ms;
}

/**
 * The matrix in Node, against the same native (OpenSSL) public-key operations: for a seed not
 * computed before, and for the same seed again (memoised pure computations reused), as in the browser.
 */
function nodeMatrix(): Figure[] {
  runMatrix({ seed: 1 }); // warm-up: JIT
  const figures: Figure[] = [];
  // Best of three (the least disturbed by the other core's work): three new seeds, then the last again.
  for (const [label, seeds] of [
    ['new seed', [2, 3, 4]],
    ['same seed again', [4, 4, 4]],
  ] as const) {
    let ms = Infinity;
    let ops = snapshotPublicKeyOps();
    for (const seed of seeds) {
      resetPublicKeyOps();
      const t0 = performance.now();
      runMatrix({ seed });
      const t = performance.now() - t0;
      if (t < ms) [ms, ops] = [t, snapshotPublicKeyOps()];
    }
    const floor = nodeFloorMs(ops);
    figures.push({
      name: `threat matrix 12×15 in Node, ${label} (${describeOps(ops)})`,
      value: ms,
      unit: 'ms',
      baseline: floor,
      baselineName: 'OpenSSL: the same signs + verifies',
      ratio: ms / floor,
      target: '≤ 300 ms and ≤ 2× floor',
    });
  }
  // The bare simulation, as in the browser: the plain VM's row (no evidence, signature or memory
  // encryption) per run, times 180.
  const plainVm = PLATFORMS.filter((p) => p.id === 'plain-vm');
  let bareRow = Infinity;
  for (let seed = 10; seed < 15; seed++) {
    const t0 = performance.now();
    runMatrix({ seed, platforms: plainVm });
    bareRow = Math.min(bareRow, performance.now() - t0);
  }
  const floor = figures[0].baseline ?? NaN;
  figures.push({
    name: "threat matrix in Node: 180 runs' bare simulation (the plain-vm row's time per run × 180)",
    value: (bareRow / 15) * 180,
    unit: 'ms',
    baseline: floor,
    baselineName: 'the new-seed floor above',
    ratio: ((bareRow / 15) * 180) / floor,
    target: 'informative: the part of 2× floor no crypto is left to use',
  });
  return figures;
}

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const SYSTEM_CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

async function bundle(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'ccte-bench-'));
  await build({
    root: ROOT,
    configFile: false,
    logLevel: 'warn',
    publicDir: false,
    build: {
      outDir,
      emptyOutDir: true,
      minify: true,
      lib: {
        entry: join(ROOT, 'bench/browser.ts'),
        formats: ['iife'],
        name: 'ccteBenchBundle',
        fileName: () => 'bench.js',
      },
    },
  });
  return readFileSync(join(outDir, 'bench.js'), 'utf8');
}

async function main(): Promise<void> {
  const script = await bundle();
  const browser = await chromium.launch({
    executablePath: existsSync(SYSTEM_CHROMIUM) ? SYSTEM_CHROMIUM : undefined,
    args: ARGS,
  });
  const figures: Figure[] = [];
  try {
    const page = await browser.newPage();
    // Served from http://localhost (a secure context, so WebCrypto exists) without any real network.
    await page.route('http://localhost/**', (route) =>
      route.fulfill({
        contentType: route.request().url().endsWith('.js')
          ? 'text/javascript; charset=utf-8'
          : 'text/html; charset=utf-8',
        body: route.request().url().endsWith('.js')
          ? script
          : '<!doctype html><script src="/bench.js"></script>',
      }),
    );
    await page.goto('http://localhost/');
    await page.waitForFunction(() => 'ccteBench' in window);
    const suites = await page.evaluate(() => window.ccteBench.suites);
    for (const s of suites) {
      process.stderr.write(`bench: ${s}…\n`);
      figures.push(...(await page.evaluate((name) => window.ccteBench.run(name), s)));
    }
    process.stderr.write('bench: explorer page…\n');
    figures.push(...(await explorerPageFigures(ROOT, browser)));
    process.stderr.write('bench: matrix in Node…\n');
    figures.push(...nodeMatrix());
    const ua = await page.evaluate(() => navigator.userAgent);
    report(figures, ua);
  } finally {
    await browser.close();
  }
}

function report(figures: Figure[], userAgent: string): void {
  const fmt = (n: number | undefined) => (n === undefined ? '' : n >= 100 ? n.toFixed(0) : n.toFixed(2));
  const rows = [
    ['benchmark', 'value', 'unit', 'native baseline', 'ratio', 'target'],
    ...figures.map((f) => [
      f.name,
      fmt(f.value),
      f.unit,
      f.baseline === undefined ? '' : `${fmt(f.baseline)} (${f.baselineName})`,
      f.ratio === undefined ? '' : `${f.ratio.toFixed(2)}×`,
      f.target ?? '',
    ]),
  ];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const [i, r] of rows.entries()) {
    console.log(
      r
        .map((c, j) => c.padEnd(widths[j]))
        .join('  ')
        .trimEnd(),
    );
    if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
  // Figures from a shared or busy machine swing by tens of per cent; the load says how busy it was.
  const load = loadavg().map((n) => Number(n.toFixed(2)));
  console.log(`\nload average (1, 5, 15 min) at the end: ${load.join(', ')} on ${cpus().length} cores`);
  const out = {
    date: new Date().toISOString(),
    userAgent,
    node: process.versions.node,
    cores: cpus().length,
    loadAverage: load,
    results: figures,
  };
  writeFileSync(join(ROOT, 'bench-results.json'), `${JSON.stringify(out, null, 2)}\n`);
  console.log(`\nwrote bench-results.json (${figures.length} figures)`);
}

main().catch((e: unknown) => {
  console.error(`bench: ${(e as Error).message}`);
  process.exitCode = 1;
});
