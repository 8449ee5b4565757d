/**
 * P5: many open lifecycles held by one worker with live timers (issue 13). Measures the worker's
 * resident memory while it holds N open unit parts (each a running `unitHandlingWorkflow` with its
 * deadline marks as durable timers, months away under the national policy), the lag of timers that
 * fire meanwhile (probe parts on the `test-fast` policy, whose marks fall due seconds after their start:
 * lag = when the workflow handled the timer, the `suggestion.deadline` event's time, minus the mark's
 * planned time), and the worker's restart and replay time (stop, start until ready, then a query to
 * parts no longer in its cache: each is replayed from its history).
 *
 * The parts are started directly (one per suggestion row written for the bench in state `assigned`),
 * with the clock planned as a 交办会 plans it (no planning activities), so the setup is fast; the items'
 * own workflows are not started (a parent holds no timer while its units handle).
 *
 *   ./dev bench open-lifecycles            N = 1,000 open parts, 200 probes
 *   ./dev bench --heavy open-lifecycles    N = 10,000 open parts, 1,000 probes
 *   env: BENCH_OPEN, BENCH_PROBES, BENCH_PROBE_SECONDS (over which the probes start, default 60),
 *        BENCH_START_CONCURRENCY (default 16), BENCH_REPLAY_QUERIES (default 100),
 *        BENCH_OPEN_RATE (open parts started per second at most; default 0: as fast as the bench can),
 *        BENCH_SETTLE (default 1: before the probes, wait until the worker has taken up every open part's
 *        first workflow task, i.e. the task queue's backlog is empty, as when parts arrive over many
 *        交办会 batches; 0: probes right after the start, behind that backlog),
 *        BENCH_LABEL (results file `open-lifecycles-<label>.json`, e.g. the worker setting measured)
 *
 * The worker's settings (JIANYI_WORKER_*, NODE_OPTIONS) are the ones it was started with: export them before
 * `./dev bench`, or restart the worker with them (`infra/services.sh stop worker; … start worker`) and export
 * the same here, so `params.worker` records them.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { calendarSource, connectTemporal, config, openDataSource } from '../services/platform/src';
import { demoId } from '../services/platform/src/db/seed';
import { loadPolicyRegistry } from '../services/domain/src/policy/load-files';
import { createActivities } from '../workflows/src/activities';
import { unitStateQuery, type UnitHandlingInput } from '../workflows/src/workflows/suggestion.messages';
import {
  envInt,
  machineInfo,
  pool,
  printTable,
  serviceRssMiB,
  sleep,
  stats,
  statHeader,
  statRow,
  writeResults,
} from './_shared';

const NAME = 'open-lifecycles';
const heavy = !!process.env.BENCH_HEAVY;
const params = {
  open: Math.floor(envInt('BENCH_OPEN', heavy ? 10_000 : 1000)),
  probes: Math.floor(envInt('BENCH_PROBES', heavy ? 1000 : 200)),
  probeSeconds: envInt('BENCH_PROBE_SECONDS', 60),
  startConcurrency: Math.floor(envInt('BENCH_START_CONCURRENCY', 16)),
  replayQueries: Math.floor(envInt('BENCH_REPLAY_QUERIES', 100)),
  openRate: envInt('BENCH_OPEN_RATE', 0, 0),
  settle: envInt('BENCH_SETTLE', 1, 0) > 0,
  label: process.env.BENCH_LABEL ?? '',
  openPolicy: 'national-default@2026.1',
  probePolicy: 'test-fast@1',
  worker: {
    maxCachedWorkflows: config.worker.maxCachedWorkflows,
    maxConcurrentWorkflowTaskExecutions: config.worker.maxConcurrentWorkflowTaskExecutions,
    maxConcurrentActivityTaskExecutions: config.worker.maxConcurrentActivityTaskExecutions,
    reuseV8Context: config.worker.reuseV8Context,
    maxConcurrentWorkflowTaskPolls: config.worker.maxConcurrentWorkflowTaskPolls,
    nonStickyToStickyPollRatio: config.worker.nonStickyToStickyPollRatio,
    nodeOptions: process.env.NODE_OPTIONS ?? '',
  },
};
const JTJ = demoId('unit:JTJ');

const workerRssMiB = () => serviceRssMiB('worker');
const MiB = (b: number | undefined) => (b === undefined ? null : Math.round(b / 104857.6) / 10);

/**
 * Where the worker's memory is: its main thread's V8 heap and external memory (from its operations port's
 * metrics); the rest of the RSS is the workflow thread's V8 heap (the SDK runs workflows in a worker thread
 * with its own heap), the Rust core and the process's code.
 */
async function workerMemory() {
  const rss = workerRssMiB();
  try {
    const text = await (
      await fetch(`http://127.0.0.1:${process.env.JIANYI_WORKER_OPS_PORT ?? 3114}/metrics`)
    ).text();
    const metric = (name: string) => {
      const m = new RegExp(`^jianyi_${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text);
      return m ? Number(m[1]) : undefined;
    };
    const heapUsed = MiB(metric('nodejs_heap_size_used_bytes'));
    const heapTotal = MiB(metric('nodejs_heap_size_total_bytes'));
    const external = MiB(metric('nodejs_external_memory_bytes'));
    return {
      rss,
      mainHeapUsed: heapUsed,
      mainHeapTotal: heapTotal,
      mainExternal: external,
      rest:
        rss !== null && heapTotal !== null && external !== null
          ? Math.round((rss - heapTotal - external) * 10) / 10
          : null,
    };
  } catch {
    return { rss, mainHeapUsed: null, mainHeapTotal: null, mainExternal: null, rest: null };
  }
}

/** Lines of the worker's log since `from` (bytes) that report a workflow task the server no longer knew. */
function workerLogSince(from: number) {
  const file = path.join(
    process.env.JIANYI_DATA ?? path.resolve(__dirname, '../.data/test'),
    'logs',
    'worker.log',
  );
  try {
    const text = readFileSync(file, 'utf8').slice(from);
    return { taskNotFound: (text.match(/not found/gi) ?? []).length, size: statSync(file).size };
  } catch {
    return { taskNotFound: 0, size: 0 };
  }
}

async function main() {
  const ds = await openDataSource();
  const client = await connectTemporal();
  const acts = createActivities({ ds, policies: loadPolicyRegistry(), calendar: calendarSource(ds) });
  const [creator] = (await ds.query(`SELECT id FROM users WHERE username = 'reviewer'`)) as { id: string }[];
  const lead = demoId('deputy:wang');
  const tag = randomUUID().slice(0, 8);
  const total = params.open + params.probes;

  // The items, assigned to JTJ, written in one statement each (the bench's own rows, tagged).
  const ids = Array.from({ length: total }, () => randomUUID());
  const policyOf = (i: number) => (i < params.open ? params.openPolicy : params.probePolicy);
  await ds.query(
    `INSERT INTO suggestions (id, title, content, status, lead_deputy_id, created_by, policy_version)
     SELECT id, '持有大量在办事项基准 ' || $2 || ' #' || n, '用于测量工作进程的内存和计时器延迟。', 'assigned', $3, $4, p
     FROM unnest($1::uuid[], $5::varchar[]) WITH ORDINALITY AS x(id, p, n)`,
    [ids, tag, lead, creator!.id, ids.map((_, i) => policyOf(i))],
  );

  const unitInput = async (i: number, startedAt: string): Promise<UnitHandlingInput> => {
    const policyVersion = policyOf(i);
    const plan = await acts.planClock(policyVersion, 'reply', startedAt);
    return {
      suggestionId: ids[i]!,
      parentWorkflowId: `bench-${tag}-none`,
      unitId: JTJ,
      role: 'lead',
      round: 1,
      policyVersion,
      audience: { deputyIds: [lead], unitIds: [JTJ] },
      clock: 'reply',
      startedAt,
      deadlineAt: plan.deadlineAt,
      assignedAt: startedAt,
      plan,
      unitPolicy: await acts.unitPolicy(policyVersion, startedAt, startedAt),
    };
  };
  const start = async (i: number, input: UnitHandlingInput) => {
    await ds.query(
      `INSERT INTO assignments (id, suggestion_id, unit_id, role, round, status, deadline_at, assigned_at)
       VALUES (gen_random_uuid(), $1, $2, 'lead', 1, 'pending', $3, $4)`,
      [input.suggestionId, JTJ, input.deadlineAt, input.startedAt],
    );
    await client.workflow.start('unitHandlingWorkflow', {
      taskQueue: config.temporal.taskQueue,
      workflowId: `bench-open-${tag}-${i}`,
      args: [input],
    });
  };

  /** The workflow task queue's backlog (tasks not yet taken up by a worker; the server's approximation). */
  const backlog = async () => {
    const r = await client.workflowService.describeTaskQueue({
      namespace: config.temporal.namespace,
      taskQueue: {
        name: config.temporal.taskQueue,
        kind: 1 /* TASK_QUEUE_KIND_NORMAL */,
      },
      taskQueueType: 1 /* TASK_QUEUE_TYPE_WORKFLOW */,
      reportStats: true,
    });
    return Number(r.stats?.approximateBacklogCount ?? 0);
  };

  const log0 = workerLogSince(0).size;
  const rss: ({ at: string } & Awaited<ReturnType<typeof workerMemory>>)[] = [
    { at: 'before', ...(await workerMemory()) },
  ];
  let peak = rss[0]!.rss ?? 0;
  const sampler = setInterval(() => (peak = Math.max(peak, workerRssMiB() ?? 0)), 500);
  let maxBacklog = 0;
  const backlogSampler = setInterval(
    () =>
      void backlog().then(
        (b) => (maxBacklog = Math.max(maxBacklog, b)),
        () => undefined,
      ),
    2000,
  );

  console.log(`starting ${params.open} open parts …`);
  const t0 = performance.now();
  await pool(params.open, params.startConcurrency, async (i) => {
    if (params.openRate > 0) {
      const wait = t0 + (i * 1000) / params.openRate - performance.now();
      if (wait > 0) await sleep(wait);
    }
    await start(i, await unitInput(i, new Date().toISOString()));
  });
  const openMs = performance.now() - t0;
  const peakWhileStarting = peak;
  // Until the worker has taken up every open part's first workflow task (or 10 s without settling).
  let settleMs: number | null = null;
  if (params.settle) {
    const limit = Date.now() + 1_800_000;
    let empty = 0;
    while (Date.now() < limit) {
      empty = (await backlog()) === 0 ? empty + 1 : 0;
      if (empty >= 3) break;
      await sleep(1000);
    }
    settleMs = Math.round(performance.now() - t0 - openMs);
    console.log(`backlog taken up ${settleMs} ms after the last start`);
  }
  await sleep(10_000);
  rss.push({ at: `${params.open} open`, ...(await workerMemory()) });
  const peakBeforeProbes = peak;

  // Probes: started evenly over probeSeconds; each fires its four marks within 10 s of its start.
  console.log(`starting ${params.probes} probe parts over ${params.probeSeconds} s …`);
  const probes: { i: number; marks: { level: string; fraction: number | null; at: string }[] }[] = [];
  const gap = (params.probeSeconds * 1000) / Math.max(1, params.probes);
  const t1 = performance.now();
  await pool(params.probes, params.startConcurrency, async (k) => {
    const due = t1 + k * gap;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const i = params.open + k;
    const input = await unitInput(i, new Date().toISOString());
    probes.push({ i, marks: input.plan!.marks });
    await start(i, input);
  });
  // Every probe's marks (the last at +10 s) have fired and been recorded, or the wait gives up.
  const expected = probes.reduce((s, p) => s + p.marks.length, 0);
  const probeIds = probes.map((p) => ids[p.i]!);
  const deadlineWait = Date.now() + 180_000;
  let events: { sid: string; at: string; level: string; fraction: number | null }[] = [];
  for (;;) {
    events = await ds.query(
      `SELECT aggregate_id AS sid, payload->>'occurredAt' AS at, payload->'data'->>'level' AS level,
              (payload->'data'->>'fraction')::float AS fraction
       FROM outbox WHERE type = 'suggestion.deadline' AND aggregate_id = ANY($1::uuid[])`,
      [probeIds],
    );
    if (events.length >= expected || Date.now() > deadlineWait) break;
    await sleep(1000);
  }
  rss.push({ at: `${params.open} open + probes fired`, ...(await workerMemory()) });
  const peakWithProbes = peak;
  const planned = new Map(
    probes.flatMap((p) =>
      p.marks.map((m) => [`${ids[p.i]}/${m.level}/${m.fraction ?? ''}`, Date.parse(m.at)]),
    ),
  );
  const lags = events
    .map((e) => Date.parse(e.at) - (planned.get(`${e.sid}/${e.level}/${e.fraction ?? ''}`) ?? NaN))
    .filter((x) => Number.isFinite(x));
  clearInterval(sampler);
  clearInterval(backlogSampler);
  const lateTasks = workerLogSince(log0).taskNotFound;

  // Restart: stop the worker, start it again until ready; then query parts it no longer has cached.
  const services = path.resolve(__dirname, '../infra/services.sh');
  const t2 = performance.now();
  execFileSync('bash', [services, 'stop', 'worker'], { stdio: 'ignore' });
  const stopMs = performance.now() - t2;
  const t3 = performance.now();
  execFileSync('bash', [services, 'start', 'worker'], { stdio: 'ignore' });
  const startMs = performance.now() - t3;
  const rssAfterRestart = workerRssMiB();
  const log1 = workerLogSince(0).size;
  const queryMs: number[] = [];
  const step = Math.max(1, Math.floor(params.open / params.replayQueries));
  const t4 = performance.now();
  for (let i = 0; i < params.open && queryMs.length < params.replayQueries; i += step) {
    const q0 = performance.now();
    await client.workflow.getHandle(`bench-open-${tag}-${i}`).query(unitStateQuery);
    queryMs.push(performance.now() - q0);
  }
  const replayAllMs = performance.now() - t4;
  rss.push({ at: `after restart + ${queryMs.length} replays`, ...(await workerMemory()) });

  // The bench's parts end (terminated), so later runs and benches do not carry them (its rows stay, tagged).
  await pool(total, params.startConcurrency, async (i) => {
    await client.workflow
      .getHandle(`bench-open-${tag}-${i}`)
      .terminate('bench done')
      .catch(() => undefined);
  });

  const result = {
    name: NAME,
    params,
    machine: machineInfo(),
    start: {
      parts: params.open,
      ms: Math.round(openMs),
      perSecond: Math.round((params.open / openMs) * 10000) / 10,
      backlogTakenUpMsAfterLastStart: settleMs,
      maxWorkflowTaskBacklog: maxBacklog,
    },
    workerRssMiB: {
      samples: rss,
      peakWhileStarting: Math.round(peakWhileStarting * 10) / 10,
      peakBeforeProbes: Math.round(peakBeforeProbes * 10) / 10,
      peakWithProbes: Math.round(peakWithProbes * 10) / 10,
      peak: Math.round(peak * 10) / 10,
    },
    workerLog: {
      taskNotFoundBeforeRestart: lateTasks,
      taskNotFoundAfterRestart: workerLogSince(log1).taskNotFound,
    },
    timerLagMs: { expected, recorded: events.length, ...stats(lags) },
    restart: {
      stopMs: Math.round(stopMs),
      startUntilReadyMs: Math.round(startMs),
      rssAfterStartMiB: rssAfterRestart,
      replayQueryMs: stats(queryMs),
      replayAllMs: Math.round(replayAllMs),
    },
  };
  printTable(
    `P5: ${params.open} open parts (${params.openPolicy}) + ${params.probes} probes (${params.probePolicy})`,
    ['measure', 'value'],
    [
      ['start of the open parts', `${result.start.ms} ms (${result.start.perSecond}/s)`],
      ['backlog taken up after the last start', settleMs === null ? '-' : `${settleMs} ms`],
      ['workflow task backlog, max (sampled every 2 s)', maxBacklog],
      ...rss.map((r) => [
        `worker RSS: ${r.at}`,
        `${r.rss ?? '-'} MiB (main heap ${r.mainHeapUsed ?? '-'}/${r.mainHeapTotal ?? '-'}, external ${r.mainExternal ?? '-'}, rest ${r.rest ?? '-'})`,
      ]),
      [
        'worker RSS peak while starting / before probes / with probes',
        `${result.workerRssMiB.peakWhileStarting} / ${result.workerRssMiB.peakBeforeProbes} / ${result.workerRssMiB.peakWithProbes} MiB`,
      ],
      ['worker RSS peak (sampled every 0.5 s)', `${result.workerRssMiB.peak} MiB`],
      [
        'worker log: "not found" (late task completions) before / after restart',
        `${lateTasks} / ${result.workerLog.taskNotFoundAfterRestart}`,
      ],
      ['timer marks recorded / expected', `${events.length} / ${expected}`],
      ['worker stop (SIGTERM, drained)', `${result.restart.stopMs} ms`],
      ['worker start until ready', `${result.restart.startUntilReadyMs} ms`],
      [`replay: ${queryMs.length} queries to uncached parts`, `${result.restart.replayAllMs} ms`],
    ],
  );
  printTable('latencies', statHeader, [
    statRow('timer fire lag (event time − planned)', stats(lags)),
    statRow('query of an uncached part (replay)', stats(queryMs)),
  ]);
  console.log(`\nwrote ${writeResults(params.label ? `${NAME}-${params.label}` : NAME, result)}`);
  await ds.destroy();
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
