import path from 'node:path';
import { Context } from '@temporalio/activity';
import {
  DefaultLogger,
  NativeConnection,
  Runtime,
  Worker,
  type ActivityInterceptorsFactory,
  type WorkerOptions,
} from '@temporalio/worker';
import {
  calendarSource,
  config,
  Counter,
  createLogger,
  onShutdown,
  registry,
  startOps,
  temporalConnectionOptions,
  ensureCalendarSeeded,
  openDataSource,
  requireSettings,
} from '@jianyi/platform';
import { loadPolicyRegistry } from '@jianyi/domain/src/policy/load-files';
import { createActivities } from './activities';
import { WORKFLOW_PRELOAD_MODULES } from './bundle-options';
import { createMessageActivities } from './activities/message.activities';

const log = createLogger('worker');

/**
 * The workflow code: the bundle built once by `pnpm build` (infra/build.ts) when configured, else
 * bundled now from the TypeScript sources (tsx, tests: several seconds of webpack).
 */
export const workflowSource = (): Pick<
  WorkerOptions,
  'workflowBundle' | 'workflowsPath' | 'bundlerOptions'
> =>
  config.worker.workflowBundle
    ? { workflowBundle: { codePath: config.worker.workflowBundle } }
    : {
        workflowsPath: require.resolve(path.join(__dirname, 'workflows')),
        bundlerOptions: { preloadModules: WORKFLOW_PRELOAD_MODULES },
      };

/** The tuning of config.worker (README, "Benchmarks": worker tuning). */
export const workerTuning = (): Partial<WorkerOptions> => ({
  maxCachedWorkflows: config.worker.maxCachedWorkflows,
  maxConcurrentWorkflowTaskExecutions: config.worker.maxConcurrentWorkflowTaskExecutions,
  maxConcurrentWorkflowTaskPolls: Math.min(
    config.worker.maxConcurrentWorkflowTaskPolls,
    config.worker.maxConcurrentWorkflowTaskExecutions,
  ),
  nonStickyToStickyPollRatio: config.worker.nonStickyToStickyPollRatio,
  maxConcurrentActivityTaskExecutions: config.worker.maxConcurrentActivityTaskExecutions,
  reuseV8Context: config.worker.reuseV8Context,
});

/** Activities run by this worker, by type and outcome (the SDK's own metrics add latencies and workflows). */
const activityRuns = new Counter({
  name: 'jianyi_activity_executions_total',
  help: 'Activity executions on this worker, by activity type and outcome',
  labelNames: ['activity', 'outcome'] as const,
  registers: [registry],
});
/** Counts each activity execution, and logs a failure with the workflow (the suggestion) it served. */
export const activityMetrics: ActivityInterceptorsFactory = () => ({
  inbound: {
    async execute(input, next) {
      const info = Context.current().info;
      const workflowId = info.workflowExecution?.workflowId ?? '';
      try {
        const r = await next(input);
        activityRuns.inc({ activity: info.activityType, outcome: 'completed' });
        return r;
      } catch (err) {
        activityRuns.inc({ activity: info.activityType, outcome: 'failed' });
        log.warn(
          {
            activity: info.activityType,
            workflowId,
            ...(workflowId.startsWith('suggestion-')
              ? { suggestionId: workflowId.slice('suggestion-'.length) }
              : {}),
            attempt: info.attempt,
            err: (err as Error)?.message,
          },
          'activity failed',
        );
        throw err;
      }
    },
  },
});

export async function runWorker(): Promise<void> {
  requireSettings('worker');
  // The process's Temporal runtime: this process handles SIGTERM itself (below) rather than the SDK's
  // default handler, and serves the SDK's own metrics (workflow/activity counts and latencies, polls,
  // sticky cache) in Prometheus format when JIANYI_WORKER_SDK_METRICS_ADDRESS is set.
  const runtime = (metrics: boolean) =>
    Runtime.install({
      logger: new DefaultLogger('WARN'),
      shutdownSignals: [],
      ...(metrics && config.worker.sdkMetricsAddress
        ? { telemetryOptions: { metrics: { prometheus: { bindAddress: config.worker.sdkMetricsAddress } } } }
        : {}),
    });
  try {
    runtime(true);
  } catch (err) {
    // The metrics address taken (another worker on the same host): run without the SDK's metrics.
    log.warn(
      { err: (err as Error).message, address: config.worker.sdkMetricsAddress },
      'SDK metrics not served',
    );
    runtime(false);
  }
  const t0 = Date.now();
  const ds = await openDataSource({
    extra: { max: config.worker.pgPoolSize, application_name: config.appName },
  } as never);
  // One calendar source for every process: the table (seeded from chinese-days when empty), re-read
  // at most once a minute; the re-plan activity reads it fresh.
  const seeded = await ensureCalendarSeeded(ds);
  if (seeded.length) log.warn({ years: seeded }, 'calendar table was empty: seeded from chinese-days');
  const calendar = calendarSource(ds);
  const connection = await NativeConnection.connect(temporalConnectionOptions());
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    ...workflowSource(),
    ...workerTuning(),
    interceptors: { activity: [activityMetrics] },
    activities: {
      ...createActivities({ ds, policies: loadPolicyRegistry(), calendar }),
      ...createMessageActivities({ ds }),
    },
  });
  const ops = startOps('worker', log, {
    database: () => ds.query('SELECT 1'),
    worker: () => {
      const state = worker.getState();
      if (state !== 'RUNNING') throw new Error(`worker ${state}`);
    },
  });
  log.info(
    {
      taskQueue: config.temporal.taskQueue,
      startMs: Date.now() - t0,
      uptimeMs: Math.round(process.uptime() * 1000),
      prebuiltBundle: !!config.worker.workflowBundle,
      sdkMetrics: config.worker.sdkMetricsAddress,
    },
    'worker started',
  );
  const running = worker.run();
  // SIGTERM: stop polling, let the tasks and activities in hand finish (worker.shutdown() drains them),
  // then close the connection and the database.
  onShutdown(ops, log, [
    [
      'drain worker',
      async () => {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await running;
      },
    ],
    ['close temporal connection', () => connection.close()],
    ['close database', () => ds.destroy()],
  ]);
  try {
    await running;
  } catch (err) {
    // A worker that fails on its own (not a shutdown) stops the process: the orchestrator restarts it.
    log.error(err, 'worker failed');
    await connection.close().catch(() => undefined);
    await ds.destroy().catch(() => undefined);
    process.exit(1);
  }
}

if (require.main === module) {
  runWorker().catch((err) => {
    log.error(err, 'worker failed');
    process.exit(1);
  });
}
