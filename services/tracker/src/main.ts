import { hostname } from 'node:os';
import { config, createKafka, createLogger, openDataSource, requireSettings } from '@jianyi/platform';
import { defaultLimits, Tracker } from './tracker';

const log = createLogger('tracker');

async function main() {
  requireSettings('tracker');
  const ds = await openDataSource({ extra: { max: 10, application_name: 'jianyi-tracker' } });
  const tracker = new Tracker(ds, log, {
    ...defaultLimits,
    recheckMs: config.tracker.sessionRecheckMs,
    maxStreamsPerUser: config.tracker.maxStreamsPerUser,
    maxCatchUp: config.tracker.maxCatchUp,
  });
  await tracker.init();
  // Every tracker instance sees every event (its own group); clients that missed some catch up from the outbox.
  const consumer = createKafka('jianyi-tracker').consumer({
    groupId: `tracker-${hostname()}-${config.tracker.port}`,
  });
  await consumer.connect();
  await consumer.subscribe({ topic: config.kafka.topic, fromBeginning: false });
  await consumer.run({
    eachMessage: async ({ message }) => {
      // The message says the outbox is published up to its id; the rows themselves are read in id order.
      const outboxId = message.headers?.['outbox-id']?.toString();
      if (!outboxId || !/^\d+$/.test(outboxId)) return;
      await tracker.deliver(BigInt(outboxId));
    },
  });
  const server = tracker
    .app()
    .listen(config.tracker.port, '127.0.0.1', () =>
      log.info({ port: config.tracker.port }, 'tracker listening'),
    );
  const stop = () => {
    server.close();
    void consumer.disconnect().finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
main().catch((err) => {
  log.error(err, 'tracker failed');
  process.exit(1);
});
