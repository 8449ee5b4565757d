import path from 'node:path';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import {
  calendarSource,
  config,
  createLogger,
  ensureCalendarSeeded,
  openDataSource,
  requireSettings,
} from '@jianyi/platform';
import { loadPolicyRegistry } from '@jianyi/domain/src/policy/load-files';
import { createActivities } from './activities';

const log = createLogger('worker');

/**
 * The workflow code: the bundle built once by `pnpm build` (infra/build.ts) when configured, else
 * bundled now from the TypeScript sources (tsx, tests: several seconds of webpack).
 */
export const workflowSource = (): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> =>
  config.worker.workflowBundle
    ? { workflowBundle: { codePath: config.worker.workflowBundle } }
    : { workflowsPath: require.resolve(path.join(__dirname, 'workflows')) };

/** The tuning of config.worker (README, "Benchmarks": worker tuning). */
export const workerTuning = (): Partial<WorkerOptions> => ({
  maxCachedWorkflows: config.worker.maxCachedWorkflows,
  maxConcurrentWorkflowTaskExecutions: config.worker.maxConcurrentWorkflowTaskExecutions,
  maxConcurrentActivityTaskExecutions: config.worker.maxConcurrentActivityTaskExecutions,
  reuseV8Context: config.worker.reuseV8Context,
});

export async function runWorker(): Promise<void> {
  requireSettings('worker');
  const t0 = Date.now();
  const ds = await openDataSource({
    extra: { max: config.worker.pgPoolSize, application_name: config.appName },
  } as never);
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
    ...workflowSource(),
    ...workerTuning(),
    activities: createActivities({ ds, policies: loadPolicyRegistry(), calendar }),
  });
  log.info(
    {
      taskQueue: config.temporal.taskQueue,
      startMs: Date.now() - t0,
      uptimeMs: Math.round(process.uptime() * 1000),
      prebuiltBundle: !!config.worker.workflowBundle,
    },
    'worker started',
  );
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
