import { expect, test } from '@playwright/test';

test('the first page loads with no console error and no request to another host', async ({
  page,
  baseURL,
}) => {
  const consoleErrors: string[] = [];
  const foreignRequests: string[] = [];
  const origin = new URL(baseURL ?? 'http://127.0.0.1:4173/').origin;
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.origin !== origin && u.protocol !== 'data:') foreignRequests.push(r.url());
  });

  await page.addInitScript(() => {
    const w = window as unknown as { cspViolations: string[] };
    w.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      w.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  const response = await page.goto('./');
  expect(response?.status()).toBe(200);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Confidential Computing Threat Explorer');
  // The default run (SEV-SNP, memory dump) arrives from the worker and is drawn.
  await expect(page.locator('.summary[aria-busy="false"]')).toBeVisible();
  await expect(page.locator('.outcome[data-attack="memory-dump"]')).toHaveAttribute(
    'data-outcome',
    'prevented',
  );
  await expect(page.getByRole('tablist', { name: 'Views' }).getByRole('tab')).toHaveCount(6);
  await page.waitForLoadState('networkidle');
  await page.screenshot({ path: 'test-results/screenshots/home.png', fullPage: true });

  // The built page carries a strict Content-Security-Policy, and nothing it does violates it.
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(csp).toContain("script-src 'self'");
  expect(csp).not.toContain('unsafe');
  expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual(
    [],
  );
  expect(consoleErrors).toEqual([]);
  expect(foreignRequests).toEqual([]);
});
