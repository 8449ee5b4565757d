import { NativeConnection, Worker } from '@temporalio/worker';
import { calendarSource, config, createLogger, ensureCalendarSeeded, openDataSource } from '@jianyi/platform';
import { loadPolicyRegistry } from '@jianyi/domain/src/policy/load-files';
import { createActivities } from './activities';
import { createMessageActivities } from './activities/message.activities';

const log = createLogger('worker');

export async function runWorker(): Promise<void> {
  const ds = await openDataSource();
  // One calendar source for every process: the table (seeded from chinese-days when empty), re-read
  // at most once a minute; the re-plan activity reads it fresh.
  const seeded = await ensureCalendarSeeded(ds);
  if (seeded.length) log.warn({ years: seeded }, 'calendar table was empty: seeded from chinese-days');
  const calendar = calendarSource(ds);
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    workflowsPath: require.resolve('./workflows'),
    activities: {
      ...createActivities({ ds, policies: loadPolicyRegistry(), calendar }),
      ...createMessageActivities({ ds }),
    },
  });
  log.info({ taskQueue: config.temporal.taskQueue }, 'worker started');
  try {
    await worker.run();
  } finally {
    await connection.close();
    await ds.destroy();
  }
}

if (require.main === module) {
  runWorker().catch((err) => {
    log.error(err, 'worker failed');
    process.exit(1);
  });
}
