import { NativeConnection, Worker } from '@temporalio/worker';
import { config, createLogger, loadWorkCalendar, openDataSource } from '@jianyi/platform';
import type { WorkCalendar } from '@jianyi/domain';
import { seededWorkCalendar } from '@jianyi/domain/src/calendar/seed';
import { loadPolicyRegistry } from '@jianyi/domain/src/policy/load-files';
import { createActivities } from './activities';
import { createMessageActivities } from './activities/message.activities';

const log = createLogger('worker');

export async function runWorker(): Promise<void> {
  const ds = await openDataSource();
  // The admin-editable calendar from PostgreSQL, re-read at most once a minute; the package's data
  // when the table has not been seeded.
  let cached: { at: number; calendar: WorkCalendar } | null = null;
  const calendar = async (): Promise<WorkCalendar> => {
    if (!cached || Date.now() - cached.at > 60_000) {
      const rows: { n: number }[] = await ds.query('SELECT count(*)::int AS n FROM work_calendar_days');
      cached = {
        at: Date.now(),
        calendar: rows[0]!.n > 0 ? await loadWorkCalendar(ds) : seededWorkCalendar(),
      };
    }
    return cached.calendar;
  };
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
