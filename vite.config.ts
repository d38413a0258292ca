import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [svelte()],
  // Static assets live in static/ (favicon, fonts, schema); everything is bundled, nothing from a CDN.
  publicDir: 'static',
  // Relative asset URLs, so the built site works from any base path.
  base: './',
  build: { outDir: 'dist', target: 'es2022', sourcemap: true },
  preview: { port: 4173, host: '127.0.0.1' },
  server: { host: '127.0.0.1' },
  test: {
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
  },
});
