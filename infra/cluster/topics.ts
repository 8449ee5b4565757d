/**
 * The cluster profile's topic (infra/cluster/cluster.sh): created with the cluster's replication factor
 * and min.insync.replicas (JIANYI_KAFKA_REPLICATION_FACTOR, default 3; JIANYI_KAFKA_MIN_INSYNC_REPLICAS,
 * default 2) before any service starts, so the services' own ensureTopics finds it there. Prints the
 * topic's partitions with their replicas and in-sync replicas.
 */
import { config, createKafka } from '../../services/platform/src';

const replicationFactor = Number(process.env.JIANYI_KAFKA_REPLICATION_FACTOR ?? 3);
const minIsr = String(process.env.JIANYI_KAFKA_MIN_INSYNC_REPLICAS ?? 2);

async function main() {
  const admin = createKafka('jianyi-cluster-setup').admin();
  await admin.connect();
  try {
    const topic = config.kafka.topic;
    if (!(await admin.listTopics()).includes(topic))
      await admin.createTopics({
        waitForLeaders: true,
        topics: [
          {
            topic,
            numPartitions: config.kafka.partitions,
            replicationFactor,
            configEntries: [{ name: 'min.insync.replicas', value: minIsr }],
          },
        ],
      });
    const meta = await admin.fetchTopicMetadata({ topics: [topic] });
    const parts = meta.topics[0]!.partitions;
    console.log(
      `topic ${topic}: ${parts.length} partitions, replicas ${parts.map((p) => p.replicas.length).join('/')}, ` +
        `in sync ${parts.map((p) => p.isr.length).join('/')}, min.insync.replicas ${minIsr}`,
    );
  } finally {
    await admin.disconnect();
  }
}
/**
 * Brokers that have just formed their quorum may not yet know a topic another broker created
 * ("This server does not host this topic-partition", retriable): try again for a minute.
 */
async function withRetries() {
  for (let attempt = 1; ; attempt++) {
    try {
      return await main();
    } catch (err) {
      if (attempt >= 12 || !(err as { retriable?: boolean }).retriable) throw err;
      console.error(`topic setup attempt ${attempt} failed (${(err as Error).message}); retrying`);
      await new Promise((r) => setTimeout(r, 5000));
    }
  }
}
withRetries().catch((err) => {
  console.error('cluster topic setup failed:', err);
  process.exit(1);
});
