/**
 * The embeddable page (embed.html) and its postMessage API (docs/embedding.md), in the built site:
 * alone, inside the example host page (static/embed-example.html), behind origin checks, and served
 * from a sub-path with the site's Content-Security-Policy sent as a header.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Frame, type Page } from '@playwright/test';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ATTACKS } from '../../src/model/attacks';
import { PLATFORMS } from '../../src/model/platforms';
import type { EmbedState } from '../../src/ui/embed/protocol';
import { watchPage as watch } from './watch';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIST = join(ROOT, 'dist');

/** A message an embed posted, as the host page received it: `from` is the iframe's index on the page. */
type Received = {
  from: number;
  source: string;
  type: string;
  version: number;
  state?: EmbedState;
  height?: number;
};

/**
 * In every frame: CSP violations; in a host page: every message an embed posts to it, tagged with
 * the index of the iframe it came from.
 */
async function instrument(page: Page) {
  await page.addInitScript(() => {
    const w = window as unknown as { cspViolations: string[]; embedEvents: unknown[] };
    w.cspViolations = [];
    w.embedEvents = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      w.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
    window.addEventListener('message', (e) => {
      const frames = [...document.querySelectorAll('iframe')];
      const from = frames.findIndex((f) => f.contentWindow === e.source);
      const data = e.data as { source?: unknown } | null;
      if (from >= 0 && data && data.source === 'ccte-embed') w.embedEvents.push({ from, ...data });
    });
  });
}

async function cspViolations(page: Page): Promise<string[]> {
  const all: string[] = [];
  for (const frame of page.frames()) {
    all.push(
      ...(await frame.evaluate(
        () => (window as unknown as { cspViolations?: string[] }).cspViolations ?? [],
      )),
    );
  }
  return all;
}

async function events(page: Page): Promise<Received[]> {
  return page.evaluate(() => (window as unknown as { embedEvents: Received[] }).embedEvents);
}

/** Waits until an event matching `match` arrives (after the first `after` events) and returns it. */
async function nextEvent(
  page: Page,
  after: number,
  match: (e: Received) => boolean,
  timeout = 30_000,
): Promise<Received> {
  let found: Received | undefined;
  await expect
    .poll(
      async () => {
        found = (await events(page)).slice(after).find(match);
        return found !== undefined;
      },
      { timeout },
    )
    .toBe(true);
  return found as Received;
}

/** A run is simulated in a worker: on a busy machine the first one can take a while. */
const RUN_TIMEOUT = 20_000;

const settled = (where: Page | Frame) => where.locator('.embed[aria-busy="false"]');

function embedFrame(page: Page, index: number): Frame {
  const frames = page.frames().filter((f) => f !== page.mainFrame());
  const frame = frames[index];
  if (!frame) throw new Error(`no iframe ${index}`);
  return frame;
}

test.describe('the embed page', () => {
  test('shows the requested view alone: no console error, no CSP violation, no other host, no other view', async ({
    page,
    baseURL,
  }) => {
    const origin = new URL(baseURL ?? 'http://127.0.0.1:4173/').origin;
    const w = watch(page, [origin]);
    await instrument(page);
    const response = await page.goto('embed.html?view=memory&platform=sev-snp&attacks=memory-dump');
    expect(response?.status()).toBe(200);
    await expect(settled(page)).toBeVisible({ timeout: RUN_TIMEOUT });
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Memory · AMD SEV-SNP');
    await expect(page.locator('.view section.memory')).toBeVisible();
    await expect(page.locator('.outcome[data-attack="memory-dump"]')).toHaveAttribute(
      'data-outcome',
      'prevented',
    );
    // Minimal chrome: the compact timeline, no header controls, no tabs, no navigation.
    await expect(page.getByRole('group', { name: 'Timeline' })).toBeVisible();
    await expect(page.getByRole('tab')).toHaveCount(0);
    await expect(page.getByRole('navigation')).toHaveCount(0);
    const link = page.getByRole('link', { name: /Open in the full explorer/ });
    await expect(link).toHaveAttribute(
      'href',
      'index.html#platform=sev-snp&attacks=memory-dump&seed=1&view=memory',
    );
    await expect(link).toHaveAttribute('target', '_blank');
    await expect(link).toHaveAttribute('rel', 'noopener');
    // Stepping back changes the link to the same state.
    await page.getByRole('button', { name: 'Step back' }).click();
    await expect(link).toHaveAttribute('href', /&step=11&view=memory$/);
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: 'test-results/screenshots/embed-memory.png', fullPage: true });

    const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe');
    expect(await cspViolations(page)).toEqual([]);
    expect(w.problems).toEqual([]);
    // Only the memory view was downloaded.
    const chunks = w.requests.map((u) => new URL(u).pathname);
    for (const other of ['Statechart-', 'ThreatMatrix-', 'TrustDomainMap-', 'Workshops-', 'scenario-step-']) {
      expect(chunks.filter((p) => p.includes(other))).toEqual([]);
    }
  });

  test('every view and a scenario step render without errors', async ({ page, baseURL }) => {
    const origin = new URL(baseURL ?? 'http://127.0.0.1:4173/').origin;
    const w = watch(page, [origin]);
    await instrument(page);
    const views: [string, string][] = [
      ['map', '.trust-map'],
      ['boot', '.boot-chain'],
      ['attestation', '.flow'],
      ['memory', 'section.memory'],
      ['matrix', '.threat-matrix'],
      ['statechart', 'section.statecharts'],
    ];
    for (const [view, selector] of views) {
      await page.goto(`embed.html?view=${view}&platform=tdx&attacks=tampered-boot`);
      await expect(settled(page)).toBeVisible({ timeout: RUN_TIMEOUT });
      await expect(page.locator(`.view ${selector}`)).toBeVisible();
      await expect(page.locator('.embed')).toHaveAttribute('data-view', view);
      // The timeline where it is useful: every view but the matrix.
      await expect(page.getByRole('group', { name: 'Timeline' })).toHaveCount(view === 'matrix' ? 0 : 1);
    }
    await page.goto('embed.html?scenario=memory-dump-plain-vs-confidential&s=2');
    await expect(settled(page)).toBeVisible({ timeout: RUN_TIMEOUT });
    await expect(page.locator('.embed')).toHaveAttribute('data-mode', 'scenario');
    await expect(page.locator('.scenario .kicker')).toContainText('Step 2 of');
    await expect(page.locator('.view section.memory')).toBeVisible();
    await expect(page.getByRole('link', { name: /Open in the full explorer/ })).toHaveAttribute(
      'href',
      'index.html#scenario=memory-dump-plain-vs-confidential&s=2',
    );
    await page.screenshot({ path: 'test-results/screenshots/embed-scenario.png', fullPage: true });
    expect(await cspViolations(page)).toEqual([]);
    expect(w.problems).toEqual([]);
  });

  test('garbled or hostile parameters: a clear message and a safe default', async ({ page, baseURL }) => {
    const origin = new URL(baseURL ?? 'http://127.0.0.1:4173/').origin;
    const w = watch(page, [origin]);
    await instrument(page);
    await page.goto(
      `embed.html?view=%3Cscript%3E&platform=${encodeURIComponent('<img src=x onerror=alert(1)>')}&attacks=memory-dump,evil&seed=abc&origin=javascript:alert(1)`,
    );
    await expect(settled(page)).toBeVisible({ timeout: RUN_TIMEOUT });
    const box = page.locator('.problems');
    await expect(box).toContainText('unknown view "<script>"; showing the map view');
    await expect(box).toContainText('unknown platform "<img src=x onerror=alert(1)>"; showing sev-snp');
    await expect(box).toContainText('unknown attack "evil" ignored');
    await expect(box).toContainText('seed "abc" is not a whole number');
    await expect(box).toContainText('accepts no messages and sends none');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Trust domains · AMD SEV-SNP');
    await expect(page.locator('.view .trust-map')).toBeVisible();
    await expect(page.locator('img')).toHaveCount(0);
    await page.getByRole('button', { name: 'Dismiss' }).click();
    await expect(box).toHaveCount(0);

    await page.goto('embed.html?scenario=..%2F..%2Fetc%2Fpasswd&s=zz');
    await expect(settled(page)).toBeVisible({ timeout: RUN_TIMEOUT });
    await expect(page.locator('.problems')).toContainText('there is no workshop scenario "../../etc/passwd"');
    await expect(page.locator('.embed')).toHaveAttribute('data-mode', 'view');
    expect(await cspViolations(page)).toEqual([]);
    expect(w.problems).toEqual([]);
  });
});

test('the embed and the example page have no axe violations, light and dark', async ({ page }) => {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const url of [
      'embed.html?view=memory&platform=sev-snp&attacks=memory-dump',
      'embed.html?scenario=tampered-boot-measured&s=2&platform=x',
      'embed-example.html',
    ]) {
      await page.goto(url);
      if (url.startsWith('embed.html')) await expect(settled(page)).toBeVisible({ timeout: RUN_TIMEOUT });
      else
        for (const i of [0, 1])
          await expect(settled(embedFrame(page, i))).toBeVisible({ timeout: RUN_TIMEOUT });
      const axe = await new AxeBuilder({ page }).analyze();
      expect(
        axe.violations.map(
          (v) => `${url} ${scheme}: ${v.id} (${v.nodes.map((n) => n.target.join(' ')).join(' | ')})`,
        ),
      ).toEqual([]);
    }
  }
});

test.describe('the example host page', () => {
  test('loads two embeds, sizes them, and drives one through the whole API', async ({ page, baseURL }) => {
    const origin = new URL(baseURL ?? 'http://127.0.0.1:4173/').origin;
    const w = watch(page, [origin]);
    await instrument(page);
    await page.goto('embed-example.html');

    // Both embeds say they are ready, then report their height, which the page applies.
    for (const i of [0, 1]) {
      const ready = await nextEvent(page, 0, (e) => e.from === i && e.type === 'ready');
      expect(ready.version).toBe(1);
      expect(Object.keys(ready.state ?? {}).sort()).toEqual(
        [
          'attacks',
          'misconfig',
          'mode',
          'platform',
          'playing',
          'scenario',
          'seed',
          'step',
          'total',
          'view',
        ].sort(),
      );
      const resize = await nextEvent(page, 0, (e) => e.from === i && e.type === 'resize');
      expect(resize.height).toBeGreaterThan(200);
    }
    const first = (await events(page)).find((e) => e.from === 0 && e.type === 'ready')?.state;
    expect(first).toEqual({
      mode: 'view',
      view: 'memory',
      platform: 'sev-snp',
      attacks: ['memory-dump'],
      misconfig: [],
      seed: 1,
      step: first?.total,
      total: first?.total,
      playing: false,
      scenario: null,
    });
    const second = (await events(page)).find((e) => e.from === 1 && e.type === 'ready')?.state;
    expect(second?.mode).toBe('scenario');
    expect(second?.scenario).toMatchObject({ id: 'tampered-boot-measured', step: 2 });
    expect(second?.view).toBe('boot');
    await expect
      .poll(async () => {
        const last = (await events(page)).filter((e) => e.from === 0 && e.type === 'resize').at(-1);
        const box = await page.locator('#demo-memory iframe').boundingBox();
        return last && box ? Math.abs(box.height - (last.height ?? 0)) : Infinity;
      })
      .toBeLessThanOrEqual(1);
    // The page's own log shows what arrived.
    await expect(page.locator('#demo-memory [data-log] li[data-type="ready"]')).toHaveCount(1);
    await expect(page.locator('#demo-scenario [data-log] li[data-type="ready"]')).toHaveCount(1);

    const demo = page.locator('#demo-memory');
    const total = first?.total ?? 0;

    // play: from the start again (it was at the end), then it moves on by itself.
    let n = (await events(page)).length;
    await demo.getByRole('button', { name: 'Play', exact: true }).click();
    const playing = await nextEvent(page, n, (e) => e.from === 0 && e.type === 'state');
    expect(playing.state).toMatchObject({ playing: true, step: 0, total });
    await nextEvent(page, n, (e) => e.from === 0 && e.type === 'state' && (e.state?.step ?? 0) >= 1);

    // pause
    n = (await events(page)).length;
    await demo.getByRole('button', { name: 'Pause', exact: true }).click();
    const paused = await nextEvent(
      page,
      n,
      (e) => e.from === 0 && e.type === 'state' && e.state?.playing === false,
    );
    const at = paused.state?.step ?? 0;

    // step forward and back
    n = (await events(page)).length;
    await demo.getByRole('button', { name: 'Step forward' }).click();
    expect((await nextEvent(page, n, (e) => e.from === 0 && e.type === 'state')).state?.step).toBe(at + 1);
    n = (await events(page)).length;
    await demo.getByRole('button', { name: 'Step back' }).click();
    expect((await nextEvent(page, n, (e) => e.from === 0 && e.type === 'state')).state?.step).toBe(at);
    n = (await events(page)).length;
    await demo.getByRole('button', { name: 'To start' }).click();
    expect((await nextEvent(page, n, (e) => e.from === 0 && e.type === 'state')).state?.step).toBe(0);

    // setPlatform: the new run, shown to its end.
    n = (await events(page)).length;
    await demo.getByRole('combobox', { name: 'Platform' }).selectOption('tdx');
    await demo.getByRole('button', { name: 'Set platform' }).click();
    const tdx = await nextEvent(page, n, (e) => e.from === 0 && e.type === 'state');
    expect(tdx.state).toMatchObject({
      platform: 'tdx',
      attacks: ['memory-dump'],
      view: 'memory',
      playing: false,
    });
    expect(tdx.state?.step).toBe(tdx.state?.total);
    await expect(embedFrame(page, 0).getByRole('heading', { level: 1 })).toHaveText('Memory · Intel TDX');

    // injectAttack, then remove it again.
    n = (await events(page)).length;
    await demo.getByRole('combobox', { name: 'Attack' }).selectOption('register-snoop');
    await demo.getByRole('button', { name: 'Inject attack' }).click();
    const injected = await nextEvent(page, n, (e) => e.from === 0 && e.type === 'state');
    expect(injected.state?.attacks).toEqual(['memory-dump', 'register-snoop']);
    await expect(embedFrame(page, 0).locator('.outcome[data-attack="register-snoop"]')).toBeVisible();
    n = (await events(page)).length;
    await demo.getByRole('button', { name: 'Remove attack' }).click();
    expect((await nextEvent(page, n, (e) => e.from === 0 && e.type === 'state')).state?.attacks).toEqual([
      'memory-dump',
    ]);

    // loadScenario
    n = (await events(page)).length;
    await demo.getByRole('combobox', { name: 'Scenario' }).selectOption('tcb-rollback');
    await demo.getByRole('spinbutton', { name: 'Step' }).fill('2');
    await demo.getByRole('button', { name: 'Load scenario' }).click();
    const scenario = await nextEvent(page, n, (e) => e.from === 0 && e.type === 'state');
    expect(scenario.state).toMatchObject({ mode: 'scenario', scenario: { id: 'tcb-rollback', step: 2 } });
    await expect(embedFrame(page, 0).locator('.scenario .kicker')).toContainText('Step 2 of');
    await expect(demo.locator('[data-status]')).toContainText('scenario tcb-rollback, step 2');

    // The other embed heard none of it.
    expect((await events(page)).filter((e) => e.from === 1 && e.type === 'state')).toEqual([]);
    await page.screenshot({ path: 'test-results/screenshots/embed-example.png', fullPage: true });
    expect(await cspViolations(page)).toEqual([]);
    expect(w.problems).toEqual([]);
  });

  test('the example offers only ids the explorer knows', async ({ page }) => {
    await page.goto('embed-example.html');
    const values = (name: string) =>
      page
        .locator('#demo-memory')
        .locator(`select[data-field="${name}"] option`)
        .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(PLATFORMS.map((p) => p.id)).toEqual(expect.arrayContaining(await values('platform')));
    expect(ATTACKS.map((a) => a.id)).toEqual(expect.arrayContaining(await values('attack')));
    for (const id of await values('scenario'))
      expect(existsSync(join(ROOT, 'scenarios', `${id}.yaml`)), id).toBe(true);
  });

  test('a malformed message is ignored with a warning', async ({ page, baseURL }) => {
    const origin = new URL(baseURL ?? 'http://127.0.0.1:4173/').origin;
    const w = watch(page, [origin]);
    await instrument(page);
    await page.goto('embed-example.html');
    await nextEvent(page, 0, (e) => e.from === 0 && e.type === 'ready');
    const n = (await events(page)).length;
    const post = (message: unknown) =>
      page.evaluate((m) => {
        document.querySelector<HTMLIFrameElement>('#demo-memory iframe')?.contentWindow?.postMessage(m, '*');
      }, message);
    await post({ target: 'ccte-embed', type: 'step', to: 'three' });
    await post({ target: 'ccte-embed', type: 'setPlatform', platform: 'sev-snq' });
    await post({ target: 'ccte-embed', type: 'eval', code: 'alert(1)' });
    await post('play');
    await expect
      .poll(() => w.warnings.filter((m) => m.startsWith('ccte-embed: ignored a message:')))
      .toEqual([
        'ccte-embed: ignored a message: step "to" "three" is not a whole number from 0 to 100000',
        expect.stringMatching(/^ccte-embed: ignored a message: unknown platform "sev-snq" \(known: /),
        expect.stringMatching(/^ccte-embed: ignored a message: a eval message|unknown message type "eval"/),
        'ccte-embed: ignored a message: the message is "play", not an object',
      ]);
    // Nothing changed; a good message afterwards still works.
    await page.waitForTimeout(300);
    expect((await events(page)).slice(n).filter((e) => e.type === 'state')).toEqual([]);
    await post({ target: 'ccte-embed', type: 'step', to: 3 });
    expect((await nextEvent(page, n, (e) => e.from === 0 && e.type === 'state')).state?.step).toBe(3);
    expect(w.problems).toEqual([]);
  });
});

/** A tiny HTTP server on a free port of 127.0.0.1 (another origin than the site's, still local). */
async function startServer(
  handle: (
    path: string,
    url: URL,
  ) => { status: number; headers?: Record<string, string>; body: string | Buffer },
) {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    let path: string;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      res.writeHead(400).end('bad path');
      return;
    }
    const answer = handle(path, url);
    res.writeHead(answer.status, answer.headers ?? {});
    res.end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return { server, origin, close };
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

test.describe('origin checks', () => {
  /** A host page on its own origin, framing the embed URL given in its query (`?embed=…`). */
  let host: Awaited<ReturnType<typeof startServer>>;
  test.beforeAll(async () => {
    host = await startServer((path, url) =>
      path === '/host.html'
        ? {
            status: 200,
            headers: { 'Content-Type': 'text/html; charset=utf-8' },
            body: `<!doctype html><html lang="en"><link rel="icon" href="data:,"><title>host</title><iframe src="${escapeAttribute(url.searchParams.get('embed') ?? '')}" title="embed" width="800" height="600"></iframe></html>`,
          }
        : { status: 404, body: 'not found' },
    );
  });
  test.afterAll(async () => host.close());

  async function hostPage(page: Page, embedUrl: string) {
    await page.goto(`${host.origin}/host.html?embed=${encodeURIComponent(embedUrl)}`);
  }
  const post = (page: Page, message: unknown) =>
    page.evaluate((m) => document.querySelector('iframe')?.contentWindow?.postMessage(m, '*'), message);

  test('with origin= set, a message from another origin is ignored and nothing is sent to it', async ({
    page,
    baseURL,
  }) => {
    const w = watch(page, [new URL(baseURL ?? 'http://127.0.0.1:4173/').origin, host.origin]);
    await instrument(page);
    await hostPage(
      page,
      new URL('embed.html?view=map&platform=sev&origin=https://allowed.example', baseURL).href,
    );
    const frame = embedFrame(page, 0);
    await expect(settled(frame)).toBeVisible({ timeout: RUN_TIMEOUT });
    await post(page, { target: 'ccte-embed', type: 'setPlatform', platform: 'tdx' });
    await expect
      .poll(() => w.warnings.filter((m) => m.startsWith('ccte-embed:')))
      .toEqual([
        `ccte-embed: ignored a message: messages from "${host.origin}" are not accepted (origin= allows https://allowed.example)`,
      ]);
    await page.waitForTimeout(300);
    await expect(frame.getByRole('heading', { level: 1 })).toHaveText('Trust domains · AMD SEV');
    // The parent is not allowed, so it hears nothing: not even `ready`.
    expect(await events(page)).toEqual([]);
    expect(w.problems).toEqual([]);
  });

  test('with origin= set, the listed origin drives the embed and hears from it', async ({
    page,
    baseURL,
  }) => {
    const w = watch(page, [new URL(baseURL ?? 'http://127.0.0.1:4173/').origin, host.origin]);
    await instrument(page);
    await hostPage(
      page,
      new URL(`embed.html?view=map&platform=sev&origin=https://other.example,${host.origin}`, baseURL).href,
    );
    const ready = await nextEvent(page, 0, (e) => e.type === 'ready');
    expect(ready.state?.platform).toBe('sev');
    const n = (await events(page)).length;
    await post(page, { target: 'ccte-embed', type: 'setPlatform', platform: 'tdx' });
    expect((await nextEvent(page, n, (e) => e.type === 'state')).state?.platform).toBe('tdx');
    expect(w.warnings.filter((m) => m.startsWith('ccte-embed:'))).toEqual([]);
    expect(w.problems).toEqual([]);
  });

  test('without origin=, a page of any origin may embed and drive it', async ({ page, baseURL }) => {
    const w = watch(page, [new URL(baseURL ?? 'http://127.0.0.1:4173/').origin, host.origin]);
    await instrument(page);
    await hostPage(page, new URL('embed.html?view=boot&platform=tdx&attacks=none', baseURL).href);
    await nextEvent(page, 0, (e) => e.type === 'ready');
    const n = (await events(page)).length;
    await post(page, { target: 'ccte-embed', type: 'injectAttack', attack: 'tampered-boot' });
    expect((await nextEvent(page, n, (e) => e.type === 'state')).state?.attacks).toEqual(['tampered-boot']);
    expect(w.problems).toEqual([]);
  });
});

test.describe('under a sub-path', () => {
  let site: Awaited<ReturnType<typeof startServer>>;
  let base: string;
  const PREFIX = '/some/sub/path/';
  const TYPES: Record<string, string> = {
    '.html': 'text/html; charset=utf-8',
    '.js': 'text/javascript; charset=utf-8',
    '.css': 'text/css; charset=utf-8',
    '.svg': 'image/svg+xml',
    '.json': 'application/json',
    '.png': 'image/png',
    '.map': 'application/json',
    '.zip': 'application/zip',
  };

  test.beforeAll(async () => {
    // The same policy the built pages carry in their meta tag, sent as a header as a server would.
    const meta = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(
      readFileSync(join(DIST, 'index.html'), 'utf8'),
    );
    if (!meta) throw new Error('dist/index.html has no Content-Security-Policy; run `npx vite build` first');
    const csp = meta[1].replace(/&#39;/g, "'");
    const inside = DIST.endsWith(sep) ? DIST : DIST + sep;
    site = await startServer((path) => {
      if (!path.startsWith(PREFIX)) return { status: 404, body: 'outside the sub-path' };
      const file = normalize(join(DIST, path.slice(PREFIX.length) || 'index.html'));
      if (!file.startsWith(inside) || !existsSync(file) || !statSync(file).isFile())
        return { status: 404, body: 'not found' };
      return {
        status: 200,
        headers: {
          'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
          'Content-Security-Policy': csp,
        },
        body: readFileSync(file),
      };
    });
    base = `${site.origin}${PREFIX}`;
  });

  test.afterAll(async () => site.close());

  test('index.html and embed.html load with no failed request', async ({ page }) => {
    const w = watch(page, [new URL(base).origin]);
    await instrument(page);
    await page.goto(`${base}index.html#platform=sev-snp&attacks=memory-dump&seed=1&view=memory`);
    await expect(page.locator('.summary[aria-busy="false"]')).toBeVisible({ timeout: RUN_TIMEOUT });
    await expect(page.locator('.outcome[data-attack="memory-dump"]')).toHaveAttribute(
      'data-outcome',
      'prevented',
    );
    await page.waitForLoadState('networkidle');

    await page.goto(`${base}embed.html?view=memory&platform=sev-snp&attacks=memory-dump`);
    await expect(settled(page)).toBeVisible({ timeout: RUN_TIMEOUT });
    await expect(page.locator('.view section.memory')).toBeVisible();
    const href = await page
      .getByRole('link', { name: /Open in the full explorer/ })
      .evaluate((a) => (a as HTMLAnchorElement).href);
    expect(href).toBe(`${base}index.html#platform=sev-snp&attacks=memory-dump&seed=1&view=memory`);

    await page.goto(`${base}embed.html?scenario=tampered-boot-measured&s=2`);
    await expect(settled(page)).toBeVisible({ timeout: RUN_TIMEOUT });
    await expect(page.locator('.embed')).toHaveAttribute('data-mode', 'scenario');

    await page.goto(`${base}embed-example.html`);
    await nextEvent(page, 0, (e) => e.from === 0 && e.type === 'ready');
    await nextEvent(page, 0, (e) => e.from === 1 && e.type === 'ready');
    await page.waitForLoadState('networkidle');
    expect(await cspViolations(page)).toEqual([]);
    expect(w.problems).toEqual([]);
    expect(
      w.requests.filter((u) => !u.startsWith(base) && !u.startsWith('blob:') && !u.startsWith('data:')),
    ).toEqual([]);
  });
});
