import { defineConfig } from 'vitest/config';

// Three tiers: unit (pure, no I/O), integration (real PostgreSQL, Kafka, Temporal of the test stack),
// e2e (the whole running system driven through a real Chromium). `./dev test` starts the stack first.
export default defineConfig({
  test: {
    pool: 'forks',
    projects: [
      {
        test: {
          name: 'unit',
          // workflows/test/replay.test.ts replays recorded histories in-process: no server needed.
          include: [
            'services/*/src/**/*.test.ts',
            'workflows/src/**/*.test.ts',
            'workflows/test/**/*.test.ts',
          ],
          exclude: ['**/node_modules/**', '**/*.int.test.ts'],
          pool: 'forks',
          // Outside dev and test the configuration is a deployment's (Secure cookies, a required secret key).
          env: { JIANYI_ENV: process.env.JIANYI_ENV || 'test' },
        },
      },
      {
        test: {
          name: 'integration',
          include: ['services/*/test/**/*.int.test.ts', 'workflows/test/**/*.int.test.ts'],
          exclude: ['**/node_modules/**', 'services/relay/test/reliability/**'],
          pool: 'forks',
          testTimeout: 60_000,
          hookTimeout: 120_000,
          poolOptions: { forks: { singleFork: true } },
        },
      },
      {
        // Stops Kafka and kills services on purpose: runs alone, after every other project
        // (groupOrder), one file at a time, and puts the stack back after each file.
        test: {
          name: 'reliability',
          include: ['services/relay/test/reliability/**/*.int.test.ts'],
          pool: 'forks',
          testTimeout: 150_000,
          hookTimeout: 180_000,
          poolOptions: { forks: { singleFork: true } },
          sequence: { groupOrder: 1 },
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['e2e/**/*.e2e.test.ts'],
          pool: 'forks',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          poolOptions: { forks: { singleFork: true } },
        },
      },
      // The full chaos run against the cluster profile (./dev cluster chaos sets JIANYI_CLUSTER_CHAOS=1):
      // never part of ./dev test.
      ...(process.env.JIANYI_CLUSTER_CHAOS === '1'
        ? [
            {
              test: {
                name: 'cluster-chaos',
                include: ['infra/cluster/**/*.cluster.test.ts'],
                pool: 'forks' as const,
                testTimeout: 3_600_000,
                hookTimeout: 300_000,
                poolOptions: { forks: { singleFork: true } },
              },
            },
          ]
        : []),
    ],
  },
});
