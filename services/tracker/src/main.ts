import { hostname } from 'node:os';
import {
  closeHttpServer,
  config,
  consumerLagGauge,
  consumerState,
  createKafka,
  createLogger,
  Gauge,
  onShutdown,
  openDataSource,
  registry,
  requireSettings,
  startOps,
} from '@jianyi/platform';
import { defaultLimits, Tracker } from './tracker';

const log = createLogger('tracker');

async function main() {
  requireSettings('tracker');
  const ds = await openDataSource({
    extra: { max: config.pgPool.tracker, application_name: 'jianyi-tracker' },
  });
  const tracker = new Tracker(ds, log, {
    ...defaultLimits,
    recheckMs: config.tracker.sessionRecheckMs,
    maxStreamsPerUser: config.tracker.maxStreamsPerUser,
    maxCatchUp: config.tracker.maxCatchUp,
  });
  await tracker.init();
  // Every tracker instance sees every event (its own group); clients that missed some catch up from the outbox.
  const kafka = createKafka('tracker');
  const groupId = `tracker-${hostname()}-${config.tracker.port}`;
  const consumer = kafka.consumer({ groupId });
  const consumerReady = consumerState(consumer);
  let server: ReturnType<ReturnType<Tracker['app']>['listen']> | null = null;
  const ops = startOps('tracker', log, {
    http: () => {
      if (!server?.listening) throw new Error('not listening yet');
    },
    database: () => ds.query('SELECT 1'),
    kafka: consumerReady,
  });
  new Gauge({
    name: 'jianyi_sse_clients',
    help: 'Live SSE streams open on this tracker',
    registers: [registry],
    collect() {
      this.set(tracker.subscriberCount);
    },
  });
  const stopLag = consumerLagGauge(kafka, config.kafka.topic, [groupId]);
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
  const app = tracker.app(ops);
  server = app.listen(config.tracker.port, config.httpHost, () =>
    log.info({ host: config.httpHost, port: config.tracker.port }, 'tracker listening'),
  );
  // SIGTERM: not ready, no new streams, open streams ended (clients reconnect elsewhere and resume),
  // then the consumer commits its offsets and leaves its group.
  onShutdown(ops, log, [
    [
      'close streams',
      () => {
        const closing = closeHttpServer(server!);
        tracker.endAll('server-shutdown');
        return closing;
      },
    ],
    ['kafka consumer: commit and disconnect', () => consumer.disconnect()],
    ['kafka admin', () => stopLag()],
    ['close database', () => ds.destroy()],
  ]);
}
main().catch((err) => {
  log.error(err, 'tracker failed');
  process.exit(1);
});
