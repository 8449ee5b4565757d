import { Kafka, logLevel, type Admin } from 'kafkajs';
import { config } from '../config';

export function createKafka(clientId: string): Kafka {
  return new Kafka({
    clientId,
    brokers: [...config.kafka.brokers],
    logLevel: logLevel.WARN,
    retry: { initialRetryTime: 200, retries: 10 },
  });
}

/** Creates the project's topics when missing, with the partitions it needs. */
export async function ensureTopics(admin: Admin): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const wanted = [
    { topic: config.kafka.topic, numPartitions: config.kafka.partitions, replicationFactor: 1 },
  ];
  const missing = wanted.filter((t) => !existing.has(t.topic));
  if (missing.length) await admin.createTopics({ topics: missing, waitForLeaders: true });
}
