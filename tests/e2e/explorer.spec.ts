import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { poolSize } from '../../src/ui/lib/matrix-pool';
import { watch } from './watch';

const VIEWS = ['map', 'boot', 'attestation', 'memory', 'matrix', 'statechart'] as const;
const TAB = {
  map: 'Trust domains',
  boot: 'Measured boot',
  attestation: 'Attestation',
  memory: 'Memory',
  matrix: 'Threat matrix',
  statechart: 'Statecharts',
} as const;

/** Opens the explorer at `fragment` and waits until the run is simulated and drawn. */
async function open(page: Page, fragment: string) {
  await page.goto(`./#${fragment}`);
  await expect(page.locator('.summary[aria-busy="false"]')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Play', exact: true })).toBeVisible();
}

function platformSelect(page: Page) {
  return page.getByRole('combobox', { name: 'Platform', exact: true });
}

function outcome(page: Page, attack: string) {
  return page.locator(`.outcome[data-attack="${attack}"]`);
}

test('SEV-SNP + memory dump: the host view shows ciphertext, the guest view the plaintext secret', async ({
  page,
  baseURL,
}) => {
  const problems = watch(page, baseURL);
  await open(page, 'platform=sev-snp&attacks=memory-dump&seed=1&view=memory&page=0x1000');
  await expect(outcome(page, 'memory-dump')).toHaveAttribute('data-outcome', 'prevented');
  const memory = page.getByRole('region', { name: 'Guest memory inspector' });
  await expect(
    memory.getByText('The host sees only ciphertext — the secret’s bytes do not appear'),
  ).toBeVisible();
  await expect(memory.getByRole('heading', { name: 'As the guest sees it' })).toBeVisible();
  await expect(memory.getByText(/Marked: the secret \(32 bytes\) at offset/)).toBeVisible();
  expect(problems).toEqual([]);
});

test('plain VM + memory dump: the host view shows the secret', async ({ page, baseURL }) => {
  const problems = watch(page, baseURL);
  await open(page, 'platform=plain-vm&attacks=memory-dump&seed=1&view=memory&page=0x1000');
  await expect(outcome(page, 'memory-dump')).toHaveAttribute('data-outcome', 'leaked');
  await expect(page.getByText(/The host can read the secret/).first()).toBeVisible();
  // The trust map raises the alarm for the host, which the owner does not trust.
  await page.getByRole('tab', { name: 'Trust domains' }).click();
  await expect(page.getByText(/Host saw the secret in plaintext/)).toBeVisible();
  expect(problems).toEqual([]);
});

test('a tampered boot component is caught: executables claim, no secret released', async ({
  page,
  baseURL,
}) => {
  const problems = watch(page, baseURL);
  await open(page, 'platform=tdx&attacks=none&seed=1&view=map');
  // The user injects the attack with the controls, not through the URL.
  await page.getByRole('checkbox', { name: 'Operator boots a tampered kernel' }).check();
  await expect(outcome(page, 'tampered-boot')).toHaveAttribute('data-outcome', 'detected');
  await expect(page.getByText('The key broker did not release the secret.')).toBeVisible();

  await page.getByRole('tab', { name: 'Measured boot' }).click();
  await expect(page.getByText('✗ changed input').first()).toBeVisible();

  await page.getByRole('tab', { name: 'Attestation' }).click();
  await page.getByRole('button', { name: /^#\d+ Attestation result/ }).click();
  const inspector = page.getByRole('region', { name: /Payload inspector/ });
  const claim = inspector.locator('.claims li', { hasText: 'executables' });
  await expect(claim).toContainText('value 33');
  await expect(inspector.getByText(/RTMR1 .* matches none of the 1 reference value/).first()).toBeVisible();
  expect(problems).toEqual([]);
});

test('clicking a matrix cell loads that run into the other views', async ({ page, baseURL }) => {
  const problems = watch(page, baseURL);
  await open(page, 'platform=sev-snp&attacks=none&seed=1&view=matrix');
  const cell = page.getByRole('gridcell', {
    name: /^Plain VM × Host administrator dumps guest memory: leaked/,
  });
  await expect(cell).toBeVisible({ timeout: 60_000 });
  await cell.click();
  await expect(page).toHaveURL(/platform=plain-vm&attacks=memory-dump/);
  await expect(page.getByRole('tab', { name: 'Trust domains' })).toHaveAttribute('aria-selected', 'true');
  await expect(outcome(page, 'memory-dump')).toHaveAttribute('data-outcome', 'leaked');
  await expect(platformSelect(page)).toHaveValue('plain-vm');
  expect(problems).toEqual([]);
});

test('pointing at the matrix tab starts computing it, and the click joins that computation', async ({
  page,
  baseURL,
}) => {
  const problems = watch(page, baseURL);
  const matrixWorkers: string[] = [];
  page.on('worker', (w) => {
    if (w.url().includes('matrix.worker')) matrixWorkers.push(w.url());
  });
  await open(page, 'platform=sev&attacks=none&seed=4&view=map');
  expect(matrixWorkers).toEqual([]);
  const tab = page.getByRole('tab', { name: 'Threat matrix' });
  const size = poolSize(await page.evaluate(() => navigator.hardwareConcurrency));
  await tab.hover();
  await expect.poll(() => matrixWorkers.length).toBe(size);
  await tab.click();
  await expect(
    page.getByRole('gridcell', { name: /^AMD SEV × Host administrator dumps guest memory: prevented/ }),
  ).toBeVisible({ timeout: 60_000 });
  // The click waited for the computation the hover started: no second set of workers.
  expect(matrixWorkers.length).toBe(size);
  expect(problems).toEqual([]);
});

test('the whole state survives a round trip through the URL, and a garbled link gets a clear message', async ({
  page,
  baseURL,
}) => {
  const problems = watch(page, baseURL);
  await open(page, 'platform=sev-snp&attacks=none&seed=1&view=map');
  await platformSelect(page).selectOption('sev-es');
  await page.getByRole('checkbox', { name: 'Hypervisor reads guest registers at a VM exit' }).check();
  await page.getByRole('checkbox', { name: 'Verifier sends no nonce' }).check();
  await page.getByLabel('Seed').fill('7');
  await page.getByLabel('Seed').press('Enter');
  await page.getByRole('tab', { name: 'Statecharts' }).click();
  await page.getByRole('button', { name: 'Step back' }).click();
  await expect(page).toHaveURL(/step=\d+/);
  const url = page.url();
  expect(url).toMatch(
    /platform=sev-es&attacks=register-snoop&misconfig=noNonce&seed=7&step=\d+&view=statechart/,
  );

  const again = await page.context().newPage();
  await again.goto(url);
  await expect(again.locator('.summary[aria-busy="false"]')).toBeVisible();
  await expect(platformSelect(again)).toHaveValue('sev-es');
  await expect(
    again.getByRole('checkbox', { name: 'Hypervisor reads guest registers at a VM exit' }),
  ).toBeChecked();
  await expect(again.getByRole('checkbox', { name: 'Verifier sends no nonce' })).toBeChecked();
  await expect(again.getByLabel('Seed')).toHaveValue('7');
  await expect(again.getByRole('tab', { name: 'Statecharts' })).toHaveAttribute('aria-selected', 'true');
  await expect(again.locator('.outcome[data-attack="register-snoop"]')).toHaveAttribute(
    'data-outcome',
    'prevented',
  );
  expect(again.url()).toBe(url);

  await page.goto('./#platform=%3Cscript%3Ealert(1)%3C%2Fscript%3E&seed=abc&view=nowhere');
  const status = page.getByRole('status').filter({ hasText: 'Some of this link could not be used' });
  await expect(status).toContainText('unknown platform "<script>alert(1)</script>"; showing sev-snp');
  await expect(status).toContainText('seed "abc" is not a whole number');
  await expect(platformSelect(page)).toHaveValue('sev-snp');
  await expect(page.getByRole('tab', { name: 'Trust domains' })).toHaveAttribute('aria-selected', 'true');
  expect(problems).toEqual([]);
});

test('the timeline steps and replays deterministically, by keyboard alone', async ({ page, baseURL }) => {
  const problems = watch(page, baseURL);
  await open(page, 'platform=sev-snp&attacks=memory-dump&seed=1&step=0&view=map');
  const play = page.getByRole('button', { name: 'Play', exact: true });
  await play.focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(page).toHaveURL(/step=2/);
  const atTwo = await page.getByRole('group', { name: /^Trust domains on/ }).getAttribute('aria-label');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowLeft');
  await expect(page).toHaveURL(/step=2/);
  expect(await page.getByRole('group', { name: /^Trust domains on/ }).getAttribute('aria-label')).toBe(atTwo);
  // Tab order reaches the view tabs; arrow keys switch views.
  await page.getByRole('tab', { name: 'Trust domains' }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Measured boot' })).toBeFocused();
  await expect(page).toHaveURL(/view=boot/);
  expect(problems).toEqual([]);
});

test('bring your own evidence: a real SEV-SNP report and its chain are appraised in the page', async ({
  page,
  baseURL,
}) => {
  const problems = watch(page, baseURL);
  const uploads: string[] = [];
  page.on('request', (r) => {
    if (r.method() !== 'GET') uploads.push(r.url());
  });
  await open(page, 'platform=sev-snp&attacks=none&seed=1&view=map');
  const dir = fileURLToPath(new URL('../fixtures/real/snp/', import.meta.url));
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: /Drop evidence files here, or choose files/ }).click();
  await (
    await chooser
  ).setFiles(['milan-report.bin', 'milan-vcek.der', 'milan-ask.pem', 'milan-ark.pem'].map((f) => dir + f));
  await expect(page.getByRole('heading', { name: 'Your evidence' })).toBeVisible();
  const inspector = page.locator('.byoe');
  await expect(inspector.getByText('MEASUREMENT').first()).toBeVisible();
  await expect(inspector.locator('.claims li', { hasText: 'hardware' })).toContainText('value 2');
  expect(uploads).toEqual([]);
  expect(problems).toEqual([]);
});

for (const scheme of ['light', 'dark'] as const) {
  test(`every view has no axe violations and is screenshotted (${scheme})`, async ({ page, baseURL }) => {
    test.setTimeout(180_000);
    const problems = watch(page, baseURL);
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    for (const view of VIEWS) {
      const fragment =
        view === 'attestation'
          ? `platform=tdx&attacks=tampered-boot&seed=1&view=${view}&inspect=5`
          : `platform=sev-snp&attacks=memory-dump&seed=1&view=${view}&page=0x1000`;
      await open(page, fragment);
      await expect(page.getByRole('tab', { name: TAB[view] })).toHaveAttribute('aria-selected', 'true');
      if (view === 'matrix') {
        await expect(page.getByRole('gridcell').first()).toBeVisible({ timeout: 60_000 });
        await expect(page.getByRole('status').filter({ hasText: /Computing/ })).toHaveCount(0, {
          timeout: 60_000,
        });
      }
      if (view === 'statechart') await expect(page.getByText('● active').first()).toBeVisible();
      const axe = await new AxeBuilder({ page }).analyze();
      const summary = axe.violations.map(
        (v) =>
          `${v.id}: ${v.help} (${v.nodes
            .map((n) => n.target.join(' '))
            .slice(0, 3)
            .join(' | ')})`,
      );
      expect(summary, `${view} (${scheme})`).toEqual([]);
      await page.screenshot({ path: `test-results/screenshots/${view}-${scheme}.png`, fullPage: true });
    }
    for (const [width, fragment] of [
      [360, 'platform=tdx&attacks=tampered-boot&seed=1&view=map'],
      [1920, 'platform=sev-snp&attacks=memory-dump&seed=1&view=map'],
    ] as const) {
      await page.setViewportSize({ width, height: 1000 });
      await open(page, fragment);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `horizontal overflow at ${width}px`).toBeLessThanOrEqual(0);
      await page.screenshot({ path: `test-results/screenshots/map-${width}-${scheme}.png`, fullPage: true });
    }
    expect(problems).toEqual([]);
  });
}

test('"Copy embed code" gives an iframe that shows the same run', async ({ page, context, baseURL }) => {
  const problems = watch(page, baseURL);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await open(page, 'platform=sev&attacks=register-snoop&seed=3&view=memory');
  await page.getByRole('button', { name: 'Copy embed code' }).click();
  const snippet = await page.evaluate(() => navigator.clipboard.readText());
  expect(snippet).toMatch(/^<iframe src="http:\/\/127\.0\.0\.1:4173\/embed\.html\?[^"]*"/);
  const src = /src="([^"]+)"/.exec(snippet)?.[1].replace(/&amp;/g, '&') ?? '';
  expect(src).toContain('platform=sev');
  expect(src).toContain('attacks=register-snoop');
  expect(src).toContain('seed=3');
  await page.goto(src);
  await expect(page.getByRole('link', { name: /Open in the full explorer/ })).toBeVisible();
  await expect(page.getByText(/Hypervisor reads guest registers at a VM exit/).first()).toBeVisible();
  expect(problems).toEqual([]);
});
