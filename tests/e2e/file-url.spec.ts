import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { CHROMIUM_ARGS } from '../../playwright.config';

/**
 * The built site opened from a local copy, without a server. Chromium refuses module scripts from
 * file:// unless started with --allow-file-access-from-files (Firefox allows files in the same folder),
 * so this is the "where the browser allows" case: with the permission, everything works, workers too.
 */
const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));

test.use({
  launchOptions: {
    executablePath: existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined,
    args: [...CHROMIUM_ARGS, '--allow-file-access-from-files'],
  },
});

test('the explorer runs from file:// with its workers', async ({ page }) => {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(
    `file://${DIST}index.html#platform=sev-snp&attacks=memory-dump&seed=1&view=memory&page=0x1000`,
  );
  await expect(page.locator('.outcome[data-attack="memory-dump"]')).toHaveAttribute(
    'data-outcome',
    'prevented',
  );
  await expect(
    page.getByText('The host sees only ciphertext — the secret’s bytes do not appear'),
  ).toBeVisible();
  expect(errors).toEqual([]);
});
