import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import svelteConfig from './web/svelte.config.js';

const svelteFiles = ['web/**/*.svelte', 'web/**/*.svelte.ts', 'web/**/*.svelte.js'];

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/build/**',
      'dist/**',
      '**/.svelte-kit/**',
      'web/static/**',
      '.data/**',
      '**/migrations/**',
      'test-results/**',
    ],
  },
  {
    files: ['**/*.ts'],
    ignores: ['web/**'],
    extends: [tseslint.configs.recommended],
    languageOptions: { parserOptions: { project: './tsconfig.json', tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  // The web app (SvelteKit): TypeScript in .ts and in <script lang="ts">, typed through the web's own
  // tsconfig (it extends .svelte-kit/tsconfig.json, so `svelte-kit sync` runs first: see `pnpm lint`).
  ...tseslint.config({
    files: ['web/**/*.ts', 'web/**/*.svelte'],
    extends: [tseslint.configs.recommended],
    languageOptions: {
      globals: { ...globals.browser, ...globals.node },
      parserOptions: {
        project: './web/tsconfig.json',
        tsconfigRootDir: import.meta.dirname,
        extraFileExtensions: ['.svelte'],
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  }),
  ...svelte.configs.recommended.map((config) => ({ ...config, files: config.files ?? svelteFiles })),
  {
    files: svelteFiles,
    languageOptions: { parserOptions: { parser: tseslint.parser, svelteConfig } },
    rules: {
      // `let { a, b } = $props()` is the runes idiom; svelte/prefer-const knows it, the core rule does not.
      'prefer-const': 'off',
      'svelte/prefer-const': 'error',
      // The app has no `paths.base`: its links and goto() targets are absolute paths, resolve() would be a no-op.
      'svelte/no-navigation-without-resolve': 'off',
    },
  },
  {
    // Workflow code must be deterministic: no I/O libraries, no Node built-ins.
    files: ['workflows/src/workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'node:*',
                'fs',
                'fs/*',
                'path',
                'os',
                'crypto',
                'child_process',
                'http',
                'https',
                'net',
                'dns',
                'stream',
                'worker_threads',
                'timers',
                'process',
              ],
              message: 'Workflow code may not use Node built-ins; do I/O in an activity.',
            },
            {
              group: [
                'typeorm',
                'pg',
                'kafkajs',
                'express',
                'pino',
                '@jianyi/platform',
                '@jianyi/platform/*',
                '@temporalio/client',
                '@temporalio/worker',
                '@temporalio/activity',
                'nodemailer',
              ],
              message: 'Workflow code may not import I/O libraries; do I/O in an activity.',
            },
          ],
        },
      ],
    },
  },
);
