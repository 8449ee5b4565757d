/**
 * 交办会 bulk assignment: how long the reviewer waits for one `POST /api/suggestions/bulk-assign`
 * of many accepted items, and how long until every item is assigned (projection) with its unit's
 * child workflow running. Also the resident memory of the API and worker processes before and after.
 *
 * Setup (untimed): deputies create and submit BENCH_ITEMS drafts, the reviewer accepts each.
 * Timed: one bulk call assigning all of them (lead unit JTJ, co-handler JYJ), then the wait until
 * the projection shows `assigned` for all (what the reviewer's list and the units' inboxes show), then
 * until every item's two unit workflows run (what a unit's sign-in needs), counted on Temporal.
 *
 *   node_modules/.bin/tsx bench/bulk-assign.bench.ts
 *   env: BENCH_ITEMS (default 1,000, one call: the API takes at most 1,000 items a call), BENCH_SETUP_CONCURRENCY (default 8), BENCH_MAX_SECONDS (default 600)
 *
 * Run by `./dev bench` on the test stack; addresses come from the stack's environment.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { DEMO_PASSWORD, demoId } from '../services/platform/src/db/seed';
import { ApiSession, apiBase } from '../services/platform/src/testing';
import { connectTemporal } from '../services/platform/src/temporal/client';
import { openDataSource } from '../services/platform/src/db/data-source';
import { envInt, machineInfo, pool, printTable, serviceRssMiB, sleep, writeResults } from './_shared';

const NAME = 'bulk-assign';
const params = {
  items: Math.floor(envInt('BENCH_ITEMS', 1000)),
  setupConcurrency: Math.floor(envInt('BENCH_SETUP_CONCURRENCY', 8)),
  api: apiBase(),
};
const MAX_RUN_MS = envInt('BENCH_MAX_SECONDS', 600) * 1000;
const JTJ = demoId('unit:JTJ');
const JYJ = demoId('unit:JYJ');

const rssMiB = serviceRssMiB;

/**
 * The phases of the batch, read from its history (ms after the workflow started): the `assignMany`
 * activity waiting for a worker, its one transaction, then the signalling tasks until the batch ended.
 */
async function batchPhases(temporal: Awaited<ReturnType<typeof connectTemporal>>, workflowId: string) {
  try {
    const h = await temporal.workflow.getHandle(workflowId).fetchHistory();
    const ms = (t: unknown) => {
      const ts = t as { seconds?: { toNumber(): number } | number; nanos?: number } | null | undefined;
      if (!ts) return null;
      const s = typeof ts.seconds === 'number' ? ts.seconds : (ts.seconds?.toNumber() ?? 0);
      return s * 1000 + (ts.nanos ?? 0) / 1e6;
    };
    const events = h.events ?? [];
    const t0 = ms(events[0]?.eventTime);
    const at = (pred: (e: (typeof events)[number]) => boolean) => {
      const e = events.find(pred);
      return e && t0 !== null ? Math.round(ms(e.eventTime)! - t0) : null;
    };
    const last = (pred: (e: (typeof events)[number]) => boolean) => {
      const e = [...events].reverse().find(pred);
      return e && t0 !== null ? Math.round(ms(e.eventTime)! - t0) : null;
    };
    return {
      assignManyStarted: at((e) => !!e.activityTaskStartedEventAttributes),
      assignManyCompleted: at((e) => !!e.activityTaskCompletedEventAttributes),
      lastSignalInitiated: last((e) => !!e.signalExternalWorkflowExecutionInitiatedEventAttributes),
      lastSignalDelivered: last((e) => !!e.externalWorkflowExecutionSignaledEventAttributes),
      batchCompleted: at((e) => !!e.workflowExecutionCompletedEventAttributes),
      historyEvents: events.length,
    };
  } catch (err) {
    console.log(`the batch's history could not be read: ${(err as Error).message}`);
    return null;
  }
}

async function main() {
  // The setup and the timed part each get BENCH_MAX_SECONDS.
  let deadline = Date.now() + MAX_RUN_MS;
  const deputies = await Promise.all(
    ['wangjianguo', 'lixiuying', 'zhangzhiqiang', 'chenlihua'].map((u) => ApiSession.login(u, DEMO_PASSWORD)),
  );
  const reviewer = await ApiSession.login('reviewer', DEMO_PASSWORD);
  const tag = randomUUID().slice(0, 8);

  const ds = await openDataSource();
  const count = async (ids: string[], status: string) =>
    (
      await ds.query(
        `SELECT count(*)::int AS n FROM suggestions WHERE id = ANY($1::uuid[]) AND status = $2`,
        [ids, status],
      )
    )[0].n as number;
  // BENCH_REUSE_ACCEPTED=1: the accepted items an earlier (interrupted) setup of this bench left are
  // used first, so a loaded machine does not spend its time on the setup again.
  const reused: string[] = process.env.BENCH_REUSE_ACCEPTED
    ? (
        await ds.query(
          `SELECT id FROM suggestions WHERE status = 'accepted' AND title LIKE '%交办会基准测试事项%' ORDER BY created_at LIMIT $1`,
          [params.items],
        )
      ).map((r: { id: string }) => r.id)
    : [];
  console.log(`setting up ${params.items - reused.length} accepted items (${reused.length} reused) …`);
  const setupStart = performance.now();
  const created = await pool(params.items - reused.length, params.setupConcurrency, async (i) => {
    const d = deputies[i % deputies.length]!;
    const r = await d.call(
      'POST',
      '/api/suggestions',
      { title: `关于第${i + 1}号交办会基准测试事项的建议 ${tag}`, content: '用于测量交办会批量交办的性能。' },
      { 'Idempotency-Key': randomUUID() },
    );
    if (r.status !== 201) throw new Error(`draft: ${r.status} ${JSON.stringify(r.body)}`);
    const id = r.body.id as string;
    const s = await d.call('POST', `/api/suggestions/${id}/submit`);
    if (s.status !== 202) throw new Error(`submit: ${s.status}`);
    for (;;) {
      const a = await reviewer.call('POST', `/api/suggestions/${id}/review`, { decision: 'accept' });
      if (a.status === 200) break;
      // Under heavy load an update's RPC can time out (500) after the workflow accepted the item.
      // Under heavy load an update's RPC can time out (500) after the workflow accepted the item; its
      // retry is then refused (409): either way the item is accepted.
      if (
        a.status >= 409 &&
        (await reviewer.call('GET', `/api/suggestions/${id}`)).body?.status === 'accepted'
      )
        break;
      // 404 until the projection shows the submission to the reviewer; 409 until the workflow has it.
      if (![404, 409, 500, 503, 504].includes(a.status) || Date.now() > deadline)
        throw new Error(`accept: ${a.status} ${JSON.stringify(a.body)}`);
      await sleep(100);
    }
    return id;
  });
  const setupMs = performance.now() - setupStart;
  const ids = [...reused, ...created];
  // The projection shows accepted once the workflow has written it.
  for (;;) {
    if ((await count(ids, 'accepted')) === params.items) break;
    if (Date.now() > deadline) throw new Error('items did not all reach accepted');
    await sleep(200);
  }

  const temporal = await connectTemporal();
  const runningUnits = async () =>
    (await temporal.workflow.count(`WorkflowType = 'unitHandlingWorkflow' AND ExecutionStatus = 'Running'`))
      .count;
  const unitsBefore = await runningUnits();
  const memBefore = { api: rssMiB('api'), worker: rssMiB('worker') };
  deadline = Date.now() + MAX_RUN_MS;
  const t0 = performance.now();
  // Under heavy load the one call can outlast fetch's 300 s header timeout; the items go on being
  // assigned on the server, so the wait below still measures them (the call's time is then null).
  let callMs: number | null = null;
  const key = randomUUID();
  try {
    const bulk = await reviewer.call(
      'POST',
      '/api/suggestions/bulk-assign',
      {
        items: ids.map((id) => ({ id, assignment: { mode: 'lead', leadUnitId: JTJ, coUnitIds: [JYJ] } })),
      },
      { 'Idempotency-Key': key },
    );
    callMs = performance.now() - t0;
    if (bulk.status !== 200 || bulk.body.assigned !== params.items)
      throw new Error(`bulk-assign: ${bulk.status} ${JSON.stringify(bulk.body).slice(0, 500)}`);
  } catch (err) {
    if (!(err instanceof TypeError)) throw err;
    console.log(`the bulk call did not answer in time (${String(err.cause ?? err)}); waiting for the items`);
  }
  for (;;) {
    const n = await count(ids, 'assigned');
    if (n === params.items) break;
    if (Date.now() > deadline) throw new Error(`only ${n} of ${params.items} assigned in time`);
    await sleep(100);
  }
  const allAssignedMs = performance.now() - t0;
  for (;;) {
    if ((await runningUnits()) >= unitsBefore + 2 * params.items) break;
    if (Date.now() > deadline) throw new Error('the unit workflows did not all start in time');
    await sleep(200);
  }
  const unitsRunningMs = performance.now() - t0;
  const memAfter = { api: rssMiB('api'), worker: rssMiB('worker') };
  const phases = await batchPhases(temporal, `assignment-meeting-${key}`);

  const result = {
    name: NAME,
    params,
    machine: machineInfo(),
    setup: { items: params.items, reused: reused.length, ms: Math.round(setupMs) },
    bulkCall: {
      ms: callMs === null ? null : Math.round(callMs),
      itemsPerSecond: callMs === null ? null : Math.round((params.items / callMs) * 1000 * 10) / 10,
    },
    allAssigned: {
      ms: Math.round(allAssignedMs),
      itemsPerSecond: Math.round((params.items / allAssignedMs) * 1000 * 10) / 10,
    },
    allUnitWorkflowsRunning: {
      ms: Math.round(unitsRunningMs),
      itemsPerSecond: Math.round((params.items / unitsRunningMs) * 1000 * 10) / 10,
    },
    /** From the batch workflow's history: ms from its start (where the time goes). */
    batchPhases: phases,
    rssMiB: { before: memBefore, after: memAfter },
  };
  printTable(
    `交办会 bulk assignment of ${params.items} items (lead + co-handler each)`,
    ['measure', 'ms', 'items/s'],
    [
      ['bulk-assign call answered', result.bulkCall.ms ?? '> 300 s', result.bulkCall.itemsPerSecond ?? '-'],
      ['all items assigned (projection)', result.allAssigned.ms, result.allAssigned.itemsPerSecond],
      [
        'all unit workflows running (lead + co each)',
        result.allUnitWorkflowsRunning.ms,
        result.allUnitWorkflowsRunning.itemsPerSecond,
      ],
    ],
  );
  if (phases)
    printTable(
      'the batch workflow (assignmentMeetingWorkflow), from its history',
      ['phase', 'ms'],
      Object.entries(phases).map(([k, v]) => [k, v ?? '-']),
    );
  printTable(
    'resident memory (MiB)',
    ['process', 'before', 'after'],
    [
      ['api', memBefore.api ?? '-', memAfter.api ?? '-'],
      ['worker', memBefore.worker ?? '-', memAfter.worker ?? '-'],
    ],
  );
  console.log(`\nwrote ${writeResults(NAME, result)}`);
  await ds.destroy();
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
