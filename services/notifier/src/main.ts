import { parseEvent } from '@jianyi/domain';
import { config, createKafka, createLogger, openDataSource } from '@jianyi/platform';
import { notifyInApp } from './notifier';

const log = createLogger('notifier');

async function main() {
  const ds = await openDataSource({ extra: { max: 5, application_name: 'jianyi-notifier' } });
  const consumer = createKafka('jianyi-notifier').consumer({ groupId: 'notifier' });
  await consumer.connect();
  await consumer.subscribe({ topic: config.kafka.topic, fromBeginning: true });
  await consumer.run({
    // Offsets are committed after the handler returns; a crash replays, and the unique index dedupes.
    eachMessage: async ({ message }) => {
      if (!message.value) return;
      const event = parseEvent(JSON.parse(message.value.toString()));
      const n = await notifyInApp(ds, event);
      log.debug({ eventId: event.id, type: event.type, notified: n }, 'notified');
    },
  });
  log.info('notifier started');
  const stop = () => void consumer.disconnect().finally(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
main().catch((err) => {
  log.error(err, 'notifier failed');
  process.exit(1);
});
