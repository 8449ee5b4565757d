import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/build/**',
      '**/.svelte-kit/**',
      'web/**',
      '.data/**',
      '**/migrations/**',
      'test-results/**',
    ],
  },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommended],
    languageOptions: { parserOptions: { project: './tsconfig.json', tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
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
