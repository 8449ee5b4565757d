import { config, createKafka, createLogger, ensureTopics, requireSettings } from '@jianyi/platform';
import { OutboxRelay } from './relay';

const log = createLogger('relay');

async function main() {
  requireSettings('relay');
  const kafka = createKafka('jianyi-relay');
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin);
  await admin.disconnect();
  // Idempotent producer: a retried send after a lost ack is not written twice to the log.
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
  });
  const relay = new OutboxRelay({ pgConfig: config.pg, producer, topic: config.kafka.topic, log });
  await relay.start();
  log.info('relay started');
  const stop = () => void relay.stop().finally(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
main().catch((err) => {
  log.error(err, 'relay failed');
  process.exit(1);
});
