/**
 * P1 lifecycle throughput against bare Temporal: full lifecycles per second through the whole system
 * (API → workflows → PostgreSQL/outbox), against a baseline in the same run on the same Temporal server:
 * a workflow with the same updates, child workflows and number of activities (read from the histories
 * of the system's own items), whose activities do nothing (workflows/bench/baseline.workflows.ts).
 *
 * One lifecycle: create → submit → accept → assign (lead JTJ + co-handler JYJ) → lead: sign-in, contact,
 * draft (A), sign-off, send; co-handler: sign-in, opinion → rate (satisfied) → closed and published.
 *
 *   node_modules/.bin/tsx bench/lifecycle.bench.ts     (./dev bench lifecycle; --heavy: 200 lifecycles)
 *   env: BENCH_LIFECYCLES (default 20), BENCH_CONCURRENCY (default 5)
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { DEMO_PASSWORD, demoId } from '../services/platform/src/db/seed';
import { ApiSession, apiBase } from '../services/platform/src/testing';
import { startBaseline } from '../workflows/bench/baseline';
import { envInt, machineInfo, printTable, sleep, writeResults } from './_shared';

const NAME = 'lifecycle';
const params = {
  lifecycles: Math.floor(envInt('BENCH_LIFECYCLES', process.env.BENCH_HEAVY ? 200 : 20)),
  concurrency: Math.floor(envInt('BENCH_CONCURRENCY', 5)),
  api: apiBase(),
};
const JTJ = demoId('unit:JTJ');
const JYJ = demoId('unit:JYJ');
const STEP_TIMEOUT_MS = 120_000;

type Res = Awaited<ReturnType<ApiSession['call']>>;
/**
 * Where a system lifecycle's time goes, per step of the timed runs: the successful call's own time, the
 * time spent before it (refused calls and the 50 ms pauses while the previous step was not yet visible),
 * and how many calls were refused.
 */
const perStep = new Map<string, { call: number[]; waited: number[]; refused: number }>();
let recording = false;
function record(what: string, call: number, waited: number, refused: number) {
  if (!recording) return;
  const key = what.replace(/^co /, 'co-handler ');
  const e = perStep.get(key) ?? { call: [], waited: [], refused: 0 };
  e.call.push(call);
  e.waited.push(waited);
  e.refused += refused;
  perStep.set(key, e);
}
/** A step the workflow may not be ready for yet: 404 (not visible or the unit's part not started) or 409 (previous step landing). */
async function step(what: string, call: () => Promise<Res>): Promise<Res> {
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  const t0 = performance.now();
  let refused = 0;
  for (;;) {
    const tc = performance.now();
    const r = await call();
    if (r.status >= 200 && r.status < 300) {
      const done = performance.now();
      record(what, done - tc, tc - t0, refused);
      return r;
    }
    refused++;
    if (![404, 409].includes(r.status) || Date.now() > deadline)
      throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
    await sleep(50);
  }
}
async function untilStatus(s: ApiSession, id: string, statuses: string[]) {
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  const t0 = performance.now();
  for (;;) {
    const r = await s.call('GET', `/api/suggestions/${id}`);
    if (statuses.includes(r.body?.status)) {
      record(`until ${statuses.join('/')}`, 0, performance.now() - t0, 0);
      return;
    }
    if (Date.now() > deadline)
      throw new Error(`${id} did not reach ${statuses.join('/')} (${r.body?.status})`);
    await sleep(50);
  }
}

async function pool(n: number, concurrency: number, fn: (i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, n) }, async () => {
      for (let i = next++; i < n; i = next++) await fn(i);
    }),
  );
}

async function main() {
  const login = (u: string) => ApiSession.login(u, DEMO_PASSWORD);
  const deputies = await Promise.all(['wangjianguo', 'lixiuying', 'zhangzhiqiang', 'chenlihua'].map(login));
  const [reviewer, jtjHandler, jtjLeader, jyjHandler] = await Promise.all(
    ['reviewer', 'jtj.handler', 'jtj.leader', 'jyj.handler'].map(login),
  );
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  const tag = randomUUID().slice(0, 8);

  const systemLifecycle = async (i: number) => {
    // i is -1 for the warm-up lifecycle.
    const d = deputies[(i + deputies.length) % deputies.length]!;
    const created = await step('create', () =>
      d.call(
        'POST',
        '/api/suggestions',
        { title: `关于第${i + 1}号全流程基准测试事项的建议 ${tag}`, content: '用于测量全流程吞吐量。' },
        { 'Idempotency-Key': randomUUID() },
      ),
    );
    const id = created.body.id as string;
    await step('submit', () => d.call('POST', `/api/suggestions/${id}/submit`));
    await step('accept', () =>
      reviewer!.call('POST', `/api/suggestions/${id}/review`, { decision: 'accept' }),
    );
    await step('assign', () =>
      reviewer!.call('POST', `/api/suggestions/${id}/assign`, {
        mode: 'lead',
        leadUnitId: JTJ,
        coUnitIds: [JYJ],
      }),
    );
    const lead = `/api/suggestions/${id}/units/${JTJ}`;
    const co = `/api/suggestions/${id}/units/${JYJ}`;
    await Promise.all([
      (async () => {
        await step('lead sign-in', () => jtjHandler!.call('POST', `${lead}/sign-in`));
        await step('contact', () =>
          jtjHandler!.call('POST', `${lead}/contacts`, {
            contactedOn: today,
            form: '电话',
            summary: '沟通办理思路',
          }),
        );
        await step('draft', () =>
          jtjHandler!.call('POST', `${lead}/reply`, {
            category: 'A',
            body: '经研究，已采纳代表建议，相关措施已落实到位。',
          }),
        );
        await step('sign-off', () => jtjLeader!.call('POST', `${lead}/reply/sign-off`));
      })(),
      (async () => {
        await step('co sign-in', () => jyjHandler!.call('POST', `${co}/sign-in`));
        await step('opinion', () =>
          jyjHandler!.call('POST', `${co}/opinion`, { body: '建议同步规划配套设施。' }),
        );
      })(),
    ]);
    await step('send', () => jtjHandler!.call('POST', `${lead}/reply/send`));
    await untilStatus(d, id, ['replied']);
    await step('rate', () =>
      d.call('POST', `/api/suggestions/${id}/rate`, { rating: 'satisfied', comment: '满意' }),
    );
    await untilStatus(d, id, ['published', 'closed']);
    return id;
  };

  const baseline = await startBaseline();
  try {
    // A warm-up lifecycle (untimed), whose histories give the baseline its shape.
    const first = await systemLifecycle(-1);
    const shape = await baseline.shapeOf(first, JTJ, JYJ);
    await baseline.lifecycle(shape);

    console.log(`system: ${params.lifecycles} lifecycles, ${params.concurrency} at a time …`);
    let t0 = performance.now();
    recording = true;
    await pool(params.lifecycles, params.concurrency, async (i) => void (await systemLifecycle(i)));
    recording = false;
    const systemMs = performance.now() - t0;

    console.log(`baseline: ${params.lifecycles} lifecycles, ${params.concurrency} at a time …`);
    t0 = performance.now();
    await pool(params.lifecycles, params.concurrency, () => baseline.lifecycle(shape));
    const baselineMs = performance.now() - t0;

    const perSecond = (ms: number) => Math.round((params.lifecycles / ms) * 1000 * 100) / 100;
    const result = {
      name: NAME,
      params,
      machine: machineInfo(),
      shape,
      system: { ms: Math.round(systemMs), lifecyclesPerSecond: perSecond(systemMs) },
      baseline: { ms: Math.round(baselineMs), lifecyclesPerSecond: perSecond(baselineMs) },
      ratio: Math.round((baselineMs / systemMs) * 100) / 100,
    };
    printTable(
      `P1 lifecycle throughput, ${params.lifecycles} lifecycles, ${params.concurrency} at a time`,
      ['run', 'ms', 'lifecycles/s'],
      [
        ['system (API + workflows + DB)', result.system.ms, result.system.lifecyclesPerSecond],
        [
          'bare Temporal baseline (no-op activities)',
          result.baseline.ms,
          result.baseline.lifecyclesPerSecond,
        ],
        ['ratio system / baseline (target ≥ 0.7)', '', result.ratio],
      ],
    );
    console.log(`activities per workflow (from the system's histories): ${JSON.stringify(shape)}`);
    const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
    const steps = [...perStep.entries()].map(([what, e]) => ({
      step: what,
      callMsP50: Math.round(med(e.call)),
      waitedMsP50: Math.round(med(e.waited)),
      refusedPerLifecycle: Math.round((e.refused / e.call.length) * 10) / 10,
    }));
    printTable(
      'where a system lifecycle spends its time (p50 per step; waited = refused calls and pauses before the step was accepted)',
      ['step', 'call ms', 'waited ms', 'refused calls'],
      steps.map((x) => [x.step, x.callMsP50, x.waitedMsP50, x.refusedPerLifecycle]),
    );
    Object.assign(result, { steps });
    console.log(`\nwrote ${writeResults(NAME, result)}`);
  } finally {
    await baseline.stop();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
