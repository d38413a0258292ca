import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

/**
 * The built site's Content-Security-Policy: only its own files, no inline script or style, no eval,
 * no network beyond its own origin. Added at build time only: the dev server injects styles inline
 * for hot reload, which this policy (rightly) refuses.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
].join('; ');

function contentSecurityPolicy(): Plugin {
  return {
    name: 'ccte-content-security-policy',
    apply: 'build',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY },
        injectTo: 'head-prepend',
      },
    ],
  };
}

export default defineConfig({
  plugins: [svelte(), contentSecurityPolicy()],
  // Static assets live in static/ (favicon, fonts, schema); everything is bundled, nothing from a CDN.
  publicDir: 'static',
  // Relative asset URLs, so the built site works from any base path.
  base: './',
  build: {
    outDir: 'dist',
    target: 'es2022',
    sourcemap: true,
    // Two pages: the explorer, and the embeddable view for iframes on other sites (docs/embedding.md).
    rolldownOptions: {
      input: {
        index: fileURLToPath(new URL('./index.html', import.meta.url)),
        embed: fileURLToPath(new URL('./embed.html', import.meta.url)),
      },
    },
  },
  preview: { port: 4173, host: '127.0.0.1' },
  server: { host: '127.0.0.1' },
  test: {
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
  },
});
