import { NativeConnection, Worker } from '@temporalio/worker';
import { config, createLogger, openDataSource } from '@jianyi/platform';
import { seededWorkCalendar } from '@jianyi/domain/src/calendar/seed';
import { loadPolicyRegistry } from '@jianyi/domain/src/policy/load-files';
import { createActivities } from './activities';

const log = createLogger('worker');

export async function runWorker(): Promise<void> {
  const ds = await openDataSource();
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    workflowsPath: require.resolve('./workflows'),
    activities: createActivities({ ds, policies: loadPolicyRegistry(), calendar: seededWorkCalendar() }),
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
