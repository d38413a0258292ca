import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

const coreBoundary = [
  {
    group: ['**/model/**', '**/ui/**', '**/scenario/**', '**/cli/**'],
    message: 'core imports nothing above it',
  },
  { group: ['xstate', 'svelte', 'svelte/*', 'd3', 'd3-*', 'node:*'], message: 'core is pure TypeScript' },
];
const noNoble = { group: ['@noble/*'], message: 'use the facade in src/core/crypto' };

export default ts.config(
  { ignores: ['dist/', 'node_modules/', 'test-results/', 'playwright-report/', '.scratch/'] },
  js.configs.recommended,
  ...ts.configs.strict,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: ts.parser, extraFileExtensions: ['.svelte'], svelteConfig } },
  },
  {
    // The core runs in Node, the browser and workers: no DOM, and nothing from the layers above it.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'localStorage', 'location'],
      'no-restricted-imports': ['error', { patterns: [...coreBoundary, noNoble] }],
    },
  },
  {
    // The crypto facade is the one place that talks to noble.
    files: ['src/core/crypto/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: coreBoundary }] },
  },
  {
    files: ['src/**/*.ts', 'src/**/*.svelte'],
    ignores: ['src/core/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noNoble] }] },
  },
);
