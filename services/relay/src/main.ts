import {
  config,
  Counter,
  createKafka,
  createLogger,
  ensureTopics,
  Gauge,
  onShutdown,
  registry,
  requireSettings,
  startOps,
} from '@jianyi/platform';
import { Pool } from 'pg';
import { OutboxRelay } from './relay';

const log = createLogger('relay');

async function main() {
  requireSettings('relay');
  // `setup` (services/platform/src/setup.ts) creates the topic with the configured replication; the
  // relay creates it too when it is missing, and never changes an existing one.
  const kafka = createKafka('relay');
  const admin = kafka.admin();
  await admin.connect();
  const changes = await ensureTopics(admin, { createOnly: true });
  if (changes.length) log.warn({ changes }, 'topic was not set up: created or changed by the relay');
  await admin.disconnect();
  // Idempotent producer: a retried send after a lost ack is not written twice to the log.
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
  });
  let producerConnected = false;
  producer.on(producer.events.CONNECT, () => (producerConnected = true));
  producer.on(producer.events.DISCONNECT, () => (producerConnected = false));
  const relay = new OutboxRelay({ pgConfig: config.pg, producer, topic: config.kafka.topic, log });
  // A small pool for the readiness check and the outbox-lag gauge (the relay's own connections stay its own).
  const probe = new Pool({ ...config.pg, max: 1, application_name: 'jianyi-relay-ops' });
  const ops = startOps('relay', log, {
    database: () => probe.query('SELECT 1'),
    // A standby relay (another holds the lock) is ready: it takes over when the active one goes.
    kafka: () => {
      if (relay.standingBy) return;
      if (!relay.active) throw new Error('starting');
      if (!producerConnected) throw new Error('producer not connected');
    },
  });
  // 发件箱积压: rows not yet on Kafka and the age of the oldest (0 when none).
  const outbox = new Gauge({
    name: 'jianyi_outbox_pending_rows',
    help: 'Outbox rows not yet published to Kafka',
    registers: [registry],
    async collect() {
      const r = await probe.query<{ n: number; age: number }>(
        `SELECT count(*)::int AS n, coalesce(extract(epoch FROM now() - min(created_at)), 0)::float8 AS age
           FROM outbox WHERE published_at IS NULL`,
      );
      this.set(r.rows[0]?.n ?? 0);
      oldest.set(r.rows[0]?.age ?? 0);
    },
  });
  const oldest = new Gauge({
    name: 'jianyi_outbox_oldest_unpublished_seconds',
    help: 'Age of the oldest outbox row not yet published (0 when none); read with jianyi_outbox_pending_rows',
    registers: [registry],
  });
  void outbox;
  new Counter({
    name: 'jianyi_relay_published_total',
    help: 'Outbox rows this relay published to Kafka',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(relay.published);
    },
  });
  new Gauge({
    name: 'jianyi_relay_active',
    help: '1 when this relay holds the leader lock and publishes, 0 on standby',
    registers: [registry],
    collect() {
      this.set(relay.active ? 1 : 0);
    },
  });
  // SIGTERM: the batch in hand is published and stamped (or rolled back), the lock released.
  onShutdown(ops, log, [
    ['relay: finish batch, release lock, disconnect producer', () => relay.stop()],
    ['probe pool', () => probe.end()],
  ]);
  await relay.start();
  log.info('relay started');
}
main().catch((err) => {
  log.error(err, 'relay failed');
  process.exit(1);
});
