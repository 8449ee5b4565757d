/**
 * The `setup` step (services/platform/src/setup.ts, compiled to dist/setup.js) on a fresh Temporal
 * namespace and a fresh Kafka topic of the test stack: the first run registers the namespace, its
 * search attributes and the topic with the configured partitions and min.insync.replicas; the second
 * run changes nothing.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { ConfigResourceTypes } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { config, createKafka, temporalConnectionOptions } from '../src';
import { searchAttributeTypes } from '../src/temporal/search-attributes';

const root = path.resolve(__dirname, '../../..');

function runSetup(env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'dist', 'setup.js')], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, out }));
  });
}

describe('setup', () => {
  it('registers a fresh namespace, its search attributes and the topic; a second run changes nothing', async () => {
    const suffix = randomUUID().slice(0, 8);
    const env = {
      JIANYI_TEMPORAL_NAMESPACE: `setup-test-${suffix}`,
      JIANYI_KAFKA_TOPIC: `setup-test-${suffix}`,
      JIANYI_KAFKA_PARTITIONS: '3',
      JIANYI_KAFKA_REPLICATION_FACTOR: '1',
      JIANYI_KAFKA_MIN_INSYNC_REPLICAS: '1',
    };
    const first = await runSetup(env);
    expect(first.code, first.out).toBe(0);
    expect(first.out).toContain(`registered namespace setup-test-${suffix}`);
    expect(first.out).toContain('added search attributes');
    expect(first.out).toContain(
      `created topic setup-test-${suffix} (partitions 3, replication 1, min.insync.replicas 1)`,
    );

    const second = await runSetup(env);
    expect(second.code, second.out).toBe(0);
    expect(second.out.trim()).toBe('setup: nothing to change');

    // What the first run made, read back from Temporal and Kafka.
    const connection = await Connection.connect(temporalConnectionOptions());
    try {
      const listed = await connection.operatorService.listSearchAttributes({
        namespace: env.JIANYI_TEMPORAL_NAMESPACE,
      });
      for (const [name, type] of Object.entries(searchAttributeTypes))
        expect(Number(listed.customAttributes?.[name]), name).toBe(type);
    } finally {
      await connection.close();
    }
    const admin = createKafka('setup-test').admin();
    await admin.connect();
    try {
      const meta = await admin.fetchTopicMetadata({ topics: [env.JIANYI_KAFKA_TOPIC] });
      expect(meta.topics[0]!.partitions).toHaveLength(3);
      const cfg = await admin.describeConfigs({
        resources: [
          {
            type: ConfigResourceTypes.TOPIC,
            name: env.JIANYI_KAFKA_TOPIC,
            configNames: ['min.insync.replicas'],
          },
        ],
        includeSynonyms: false,
      });
      expect(cfg.resources[0]!.configEntries[0]!.configValue).toBe('1');
      // More partitions configured later: setup adds them (never fewer), and says so.
      const grown = await runSetup({ ...env, JIANYI_KAFKA_PARTITIONS: '4' });
      expect(grown.out).toContain(`topic setup-test-${suffix}: partitions 3 → 4`);
      await admin.deleteTopics({ topics: [env.JIANYI_KAFKA_TOPIC] });
    } finally {
      await admin.disconnect();
    }
    // The stack's own namespace and topic (set up by ./dev through the same step) need nothing either.
    const stack = await runSetup({});
    expect(stack.code, stack.out).toBe(0);
    expect(stack.out.trim()).toBe('setup: nothing to change');
    expect(config.temporal.namespace).toBe(process.env.JIANYI_TEMPORAL_NAMESPACE ?? 'jianyi');
  });
});
