import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { unzipSync } from 'fflate';

const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));

test('the offline bundle holds the whole site', () => {
  const zipPath = `${DIST}ccte-offline.zip`;
  expect(existsSync(zipPath), 'npm run build writes dist/ccte-offline.zip').toBe(true);
  const files = unzipSync(readFileSync(zipPath));
  const names = Object.keys(files);
  expect(names).toContain('ccte/index.html');
  expect(names).toContain('ccte/404.html');
  expect(names.some((n) => /^ccte\/assets\/index-[\w-]+\.js$/.test(n))).toBe(true);
  expect(names.some((n) => n.endsWith('.map'))).toBe(false);
  // Every asset index.html names is in the archive, byte for byte as built.
  const html = new TextDecoder().decode(files['ccte/index.html']);
  for (const [, ref] of html.matchAll(/(?:src|href)="\.\/([^"]+)"/g)) {
    expect(names, ref).toContain(`ccte/${ref}`);
    expect(files[`ccte/${ref}`]).toEqual(new Uint8Array(readFileSync(DIST + ref)));
  }
});

test('the 404 page is self-contained and links home', async ({ page }) => {
  await page.goto('./404.html');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
  await expect(page.getByRole('link', { name: 'Confidential Computing Threat Explorer' })).toHaveAttribute(
    'href',
    './',
  );
});
