/**
 * Figures for the explorer page itself, in the built site: the JavaScript the first load needs
 * (gzipped; the same for the embed page, embed.html), and the main thread's long tasks (> 50 ms,
 * PerformanceObserver 'longtask') while a run is played and while the platform is switched, every
 * platform in turn.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser } from '@playwright/test';
import { build, preview } from 'vite';
import type { Figure } from './browser';
import { PLATFORMS } from '../src/model/platforms';

/** The scripts a page (index.html by default) loads at once: its entry module and the chunks it preloads. */
export function initialScripts(dist: string, page = 'index.html'): string[] {
  const html = readFileSync(join(dist, page), 'utf8');
  const refs = [...html.matchAll(/<(?:script|link)[^>]+(?:src|href)="([^"]+\.js)"/g)].map((m) => m[1]);
  return [...new Set(refs)].map((r) => join(dist, r.replace(/^\.?\//, '')));
}

export function gzippedKb(files: string[]): number {
  return files.reduce((sum, f) => sum + gzipSync(readFileSync(f), { level: 9 }).length, 0) / 1024;
}

export async function explorerPageFigures(root: string, browser: Browser): Promise<Figure[]> {
  const outDir = join(root, 'dist');
  await build({ root, logLevel: 'warn' });
  const initial = initialScripts(outDir);
  const embedInitial = initialScripts(outDir, 'embed.html');
  const allJs = readdirSync(join(outDir, 'assets')).filter((f) => f.endsWith('.js'));
  const figures: Figure[] = [
    {
      name: `explorer page: initial JS, gzipped (${initial.length} file(s) of ${allJs.length})`,
      value: gzippedKb(initial),
      unit: 'KB',
      target: '≤ 150 KB',
    },
    {
      name: `embed page: initial JS, gzipped (${embedInitial.length} file(s) of ${allJs.length})`,
      value: gzippedKb(embedInitial),
      unit: 'KB',
      target: '≤ 80 KB',
    },
  ];
  const server = await preview({
    root,
    logLevel: 'warn',
    preview: { port: 4179, strictPort: true, host: '127.0.0.1' },
  });
  try {
    const page = await browser.newPage();
    await page.addInitScript(() => {
      const w = window as unknown as { longTasks: number[] };
      w.longTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.longTasks.push(e.duration);
      }).observe({ type: 'longtask', buffered: true });
    });
    const longTasks = async () =>
      page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks.splice(0));

    await page.goto('http://127.0.0.1:4179/#platform=sev-snp&attacks=memory-dump&seed=1&step=0&view=map');
    await page.getByRole('button', { name: 'Play', exact: true }).waitFor();
    const load = await longTasks();

    // Play the run to its end at the fastest speed.
    await page.getByRole('combobox', { name: 'Speed' }).selectOption({ label: '4×' });
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await page.waitForFunction(() => !location.hash.includes('step='), undefined, { timeout: 60_000 });
    const playing = await longTasks();

    // Switch through every platform, waiting for each run to arrive.
    const select = page.getByRole('combobox', { name: 'Platform', exact: true });
    for (const p of PLATFORMS) {
      await select.selectOption(p.id);
      await page.waitForFunction(
        (id) =>
          document.querySelector('[aria-busy="false"]') !== null && location.hash.includes(`platform=${id}`),
        p.id,
      );
    }
    await page.waitForTimeout(200);
    const switching = await longTasks();
    const worst = (xs: number[]) => (xs.length ? Math.max(...xs) : 0);
    figures.push(
      {
        name: `explorer page: longest main-thread task on first load (${load.length} over 50 ms)`,
        value: worst(load),
        unit: 'ms',
        target: 'informative',
      },
      {
        name: `explorer page: longest main-thread task while playing a run (${playing.length} over 50 ms)`,
        value: worst(playing),
        unit: 'ms',
        target: 'no task > 50 ms',
      },
      {
        name: `explorer page: longest main-thread task switching through ${PLATFORMS.length} platforms (${switching.length} over 50 ms)`,
        value: worst(switching),
        unit: 'ms',
        target: 'no task > 50 ms',
      },
    );
    await page.close();
  } finally {
    await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
  }
  return figures;
}
