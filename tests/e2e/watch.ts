/**
 * What a page did wrong while a test drove it: console errors, page errors, dialogs, requests that left
 * the site's own origins (the app makes no network request beyond its static files), failed requests
 * and HTTP errors. Console warnings and every requested URL are kept too, for tests that read them.
 */
import type { Page } from '@playwright/test';

export interface Watched {
  problems: string[];
  warnings: string[];
  requests: string[];
}

/** Watches `page`; `origins` are the ones it may request from (data: and blob: URLs are always fine). */
export function watchPage(page: Page, origins: readonly string[]): Watched {
  const w: Watched = { problems: [], warnings: [], requests: [] };
  page.on('console', (m) => {
    if (m.type() === 'error') w.problems.push(`console: ${m.text()}`);
    if (m.type() === 'warning') w.warnings.push(m.text());
  });
  page.on('pageerror', (e) => w.problems.push(`page error: ${e.message}`));
  page.on('dialog', (d) => {
    w.problems.push(`dialog: ${d.type()} ${d.message()}`);
    void d.dismiss();
  });
  page.on('request', (r) => {
    w.requests.push(r.url());
    const u = new URL(r.url());
    if (!origins.includes(u.origin) && u.protocol !== 'data:' && u.protocol !== 'blob:') {
      w.problems.push(`foreign request: ${r.url()}`);
    }
  });
  page.on('requestfailed', (r) =>
    w.problems.push(`failed request: ${r.url()} ${r.failure()?.errorText ?? ''}`),
  );
  page.on('response', (r) => {
    if (r.status() >= 400) w.problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  return w;
}

/** The problems of `page`, which may request only from the test server (`baseURL`'s origin). */
export function watch(page: Page, baseURL?: string): string[] {
  return watchPage(page, [new URL(baseURL ?? 'http://127.0.0.1:4173/').origin]).problems;
}
