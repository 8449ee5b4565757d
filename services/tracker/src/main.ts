import { hostname } from 'node:os';
import { parseEvent } from '@jianyi/domain';
import { config, createKafka, createLogger, openDataSource } from '@jianyi/platform';
import { Tracker } from './tracker';

const log = createLogger('tracker');

async function main() {
  const ds = await openDataSource({ extra: { max: 10, application_name: 'jianyi-tracker' } });
  const tracker = new Tracker(ds, log);
  // Every tracker instance sees every event (its own group); clients that missed some catch up from the outbox.
  const consumer = createKafka('jianyi-tracker').consumer({ groupId: `tracker-${hostname()}-${config.tracker.port}` });
  await consumer.connect();
  await consumer.subscribe({ topic: config.kafka.topic, fromBeginning: false });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const outboxId = message.headers?.['outbox-id']?.toString();
      if (!outboxId || !message.value) return;
      try {
        tracker.deliver(BigInt(outboxId), parseEvent(JSON.parse(message.value.toString())));
      } catch (err) {
        log.warn({ err: (err as Error).message, outboxId }, 'skipping malformed event');
      }
    },
  });
  const server = tracker.app().listen(config.tracker.port, '127.0.0.1', () => log.info({ port: config.tracker.port }, 'tracker listening'));
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
