import { ConfigResourceTypes, Kafka, logLevel, type Admin, type SASLOptions } from 'kafkajs';
import { config } from '../config';

/** A Kafka client named `<JIANYI_KAFKA_CLIENT_ID_PREFIX>-<role>`, with the configured TLS and SASL. */
export function createKafka(role: string): Kafka {
  return new Kafka({
    clientId: `${config.kafka.clientIdPrefix}-${role.replace(/^jianyi-/, '')}`,
    brokers: [...config.kafka.brokers],
    ssl: config.kafka.tls || undefined,
    ...(config.kafka.sasl ? { sasl: config.kafka.sasl as SASLOptions } : {}),
    logLevel: logLevel.WARN,
    retry: { initialRetryTime: 200, retries: 10 },
  });
}

/**
 * Creates the project's topics when missing, with the configured partitions, replication factor and
 * `min.insync.replicas`; on an existing topic adds partitions up to the configured count and sets
 * `min.insync.replicas` when it differs (the replication factor of an existing topic is left as it is:
 * changing it is a partition reassignment, an operator's decision). Idempotent: returns what it changed,
 * nothing on a second run.
 */
export async function ensureTopics(admin: Admin, o: { createOnly?: boolean } = {}): Promise<string[]> {
  const k = config.kafka;
  const changes: string[] = [];
  const minIsr = String(k.minInsyncReplicas);
  const existing = new Set(await admin.listTopics());
  if (!existing.has(k.topic)) {
    await admin.createTopics({
      topics: [
        {
          topic: k.topic,
          numPartitions: k.partitions,
          replicationFactor: k.replicationFactor,
          configEntries: [{ name: 'min.insync.replicas', value: minIsr }],
        },
      ],
      waitForLeaders: true,
    });
    changes.push(
      `created topic ${k.topic} (partitions ${k.partitions}, replication ${k.replicationFactor}, min.insync.replicas ${minIsr})`,
    );
    return changes;
  }
  // A service making sure of its topic only creates a missing one; changing one is `setup`'s work.
  if (o.createOnly) return changes;
  const meta = await admin.fetchTopicMetadata({ topics: [k.topic] });
  const partitions = meta.topics[0]?.partitions.length ?? 0;
  if (partitions < k.partitions) {
    await admin.createPartitions({ topicPartitions: [{ topic: k.topic, count: k.partitions }] });
    changes.push(`topic ${k.topic}: partitions ${partitions} → ${k.partitions}`);
  }
  const described = await admin.describeConfigs({
    resources: [{ type: ConfigResourceTypes.TOPIC, name: k.topic, configNames: ['min.insync.replicas'] }],
    includeSynonyms: false,
  });
  const current = described.resources[0]?.configEntries.find((e) => e.configName === 'min.insync.replicas');
  if (current?.configValue !== minIsr) {
    await admin.alterConfigs({
      validateOnly: false,
      resources: [
        {
          type: ConfigResourceTypes.TOPIC,
          name: k.topic,
          configEntries: [{ name: 'min.insync.replicas', value: minIsr }],
        },
      ],
    });
    changes.push(`topic ${k.topic}: min.insync.replicas ${current?.configValue ?? '?'} → ${minIsr}`);
  }
  return changes;
}
