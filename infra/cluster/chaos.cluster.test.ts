/**
 * The full chaos run on the cluster profile (issue 14): `./dev cluster up`, then `./dev cluster chaos`.
 * Not part of `./dev test` (vitest.config.ts adds its project only with JIANYI_CLUSTER_CHAOS=1).
 *
 * A steady load of lifecycle actions runs through the API balancer (JIANYI_CHAOS_USERS concurrent
 * items at a time, each the short handling run) while, one at a time, a component is killed (SIGKILL)
 * and after JIANYI_CHAOS_FAULT_SECONDS started again: a Kafka broker, a Temporal server process, a
 * worker, an API instance, a tracker (the SSE clients reconnect through the balancer to the other),
 * the relay holding the outbox lock, a notifier; and PostgreSQL is restarted. Like a supervisor
 * (systemd Restart=always, a Kubernetes restart), any service that exited meanwhile is started again,
 * and the report says which. Per fault: the load's requests, error rate and latency (p50/p99) in the
 * fault's window. Afterwards the invariants of the reliability tests (services/relay/test/support.ts):
 * items in the state their actions lead to, every event on Kafka (copies carry the same event id),
 * first copies in order per suggestion, each in-app notice once, each SSE client saw its events once
 * in order. Writes bench/results/chaos.json.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { config, openDataSource, UNIT_INTERNAL_EVENTS } from '../../services/platform/src';
import { ApiSession, waitFor } from '../../services/platform/src/testing';
import { machineInfo, stats, writeResults } from '../../bench/_shared';
import { loadPolicyRegistry } from '../../services/domain/src/policy/load-files';
import { creditsFor, loadPointsRules } from '../../services/notifier/src/points';
import {
  expectedInApp,
  inAppRows,
  Item,
  loginCast,
  outboxFor,
  shortRun,
  SseClient,
  TopicReader,
  type Cast,
} from '../../services/relay/test/support';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');
const USERS = Number(process.env.JIANYI_CHAOS_USERS ?? 4);
const FAULT_MS = Number(process.env.JIANYI_CHAOS_FAULT_SECONDS ?? 15) * 1000;
const SETTLE_MS = Number(process.env.JIANYI_CHAOS_SETTLE_SECONDS ?? 15) * 1000;
const BASELINE_MS = Number(process.env.JIANYI_CHAOS_BASELINE_SECONDS ?? 20) * 1000;
const SERVICES = [
  'worker-1',
  'worker-2',
  'relay-1',
  'relay-2',
  'notifier-1',
  'notifier-2',
  'tracker-1',
  'tracker-2',
  'api-1',
  'api-2',
];

const cluster = async (...args: string[]) =>
  (
    await run('bash', [path.join(ROOT, 'infra/cluster/cluster.sh'), ...args], {
      cwd: ROOT,
      maxBuffer: 1 << 24,
    })
  ).stdout;

// ---------- every HTTP call of the load, timed ----------
interface Sample {
  at: number;
  ms: number;
  method: string;
  ok: boolean;
  status: number | null;
}
const samples: Sample[] = [];
const originalCall = ApiSession.prototype.call;
ApiSession.prototype.call = async function (
  this: ApiSession,
  method: string,
  p: string,
  body?: unknown,
  headers?: Record<string, string>,
) {
  const at = Date.now();
  try {
    const r = await originalCall.call(this, method, p, body, headers);
    samples.push({ at, ms: Date.now() - at, method, ok: r.status < 500, status: r.status });
    return r;
  } catch (err) {
    samples.push({ at, ms: Date.now() - at, method, ok: false, status: null });
    throw err;
  }
};

// ---------- the load ----------
interface Driven {
  item: Item;
  done: boolean;
  failedStep: number | null;
  error: string | null;
}
const driven: Driven[] = [];
let loadOn = true;

/** A step as a person would retry it: again after an error (a 409 then means the first attempt took effect). */
async function step(fn: () => Promise<void>): Promise<void> {
  let last: unknown;
  for (let attempt = 0; attempt < 10; attempt++) {
    try {
      await fn();
      return;
    } catch (err) {
      last = err;
      if (attempt > 0 && / 409 /.test(String(err))) return;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  throw last;
}

async function loadLoop(c: Cast): Promise<void> {
  while (loadOn) {
    let d: Driven;
    try {
      d = { item: await Item.draft(c), done: false, failedStep: null, error: null };
    } catch {
      await new Promise((r) => setTimeout(r, 1000));
      continue;
    }
    driven.push(d);
    for (const [n, s] of shortRun.entries()) {
      try {
        await step(() => s(d.item));
      } catch (err) {
        d.failedStep = n;
        d.error = String(err).slice(0, 300);
        break;
      }
    }
    d.done = d.failedStep === null;
  }
}

// ---------- faults ----------
interface Fault {
  name: string;
  component: () => Promise<string>;
  restart?: boolean; // PostgreSQL: a clean restart rather than a kill
}
const LEADER_LOCK = 0x6a69616e;
let ds: Awaited<ReturnType<typeof openDataSource>>;

/** Which relay holds the outbox lock: the lock's session → its client port → the process with that socket. */
async function leaderRelay(): Promise<string> {
  const rows: { port: number }[] = await ds.query(
    `SELECT a.client_port AS port FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
      WHERE l.locktype = 'advisory' AND l.objid = $1 AND l.granted`,
    [LEADER_LOCK],
  );
  if (!rows[0]) throw new Error('no relay holds the lock');
  // A local port is unique per destination only: the socket to PostgreSQL from that port, and of the
  // processes listed, the relay's.
  const ss = (
    await run('ss', [
      '-Htnp',
      'state',
      'established',
      `( sport = :${rows[0].port} and dport = :${config.pg.port} )`,
    ])
  ).stdout;
  const pids = [...ss.matchAll(/pid=(\d+)/g)].map((m) => m[1]!);
  const status = await cluster('status');
  for (const line of status.split('\n'))
    if (line.startsWith('relay-') && pids.some((pid) => line.includes(` pid ${pid} `)))
      return line.split(/\s+/)[0]!;
  throw new Error(`no relay process owns port ${rows[0].port} (${ss.trim()})`);
}
const fixed = (c: string) => async () => c;
const faults: Fault[] = [
  { name: 'Kafka broker', component: fixed('kafka-2') },
  { name: 'Temporal server process', component: fixed('temporal-2') },
  { name: 'worker', component: fixed('worker-1') },
  { name: 'API instance', component: fixed('api-1') },
  { name: 'tracker (SSE clients reconnect to the other)', component: fixed('tracker-1') },
  { name: 'relay holding the lock', component: leaderRelay },
  { name: 'notifier', component: fixed('notifier-1') },
  { name: 'PostgreSQL restart', component: fixed('postgres'), restart: true },
];

interface Window {
  fault: string;
  component: string;
  from: number;
  to: number;
  restoredAfterMs: number;
  exitedAndRestarted: string[];
}
const windows: Window[] = [];

async function restartExited(): Promise<string[]> {
  const status = await cluster('status');
  const down = SERVICES.filter((s) => new RegExp(`^${s}\\s+down`, 'm').test(status));
  if (down.length) await cluster('start', ...down);
  return down;
}

function windowStats(from: number, to: number) {
  const inWin = samples.filter((s) => s.at >= from && s.at < to);
  const actions = inWin.filter((s) => s.method === 'POST');
  const errors = inWin.filter((s) => !s.ok).length;
  const st = stats(actions.filter((s) => s.ok).map((s) => s.ms));
  const errorKinds: Record<string, number> = {};
  for (const e of inWin.filter((x) => !x.ok)) {
    const k = e.status === null ? 'network' : String(e.status);
    errorKinds[k] = (errorKinds[k] ?? 0) + 1;
  }
  return {
    requests: inWin.length,
    actions: actions.length,
    errors,
    errorKinds,
    errorRate: inWin.length ? Math.round((errors / inWin.length) * 10000) / 100 : 0,
    actionLatencyMs: st ? { p50: st.p50, p99: st.p99, max: st.max } : null,
  };
}

let cast: Cast;
const kafka = new TopicReader();
const sse: SseClient[] = [];

describe('chaos on the cluster profile', () => {
  beforeAll(async () => {
    ds = await openDataSource();
    cast = await loginCast();
    await kafka.start();
    for (let i = 0; i < 2; i++) {
      const s = await SseClient.as('wangjianguo');
      await s.start();
      sse.push(s);
    }
  });
  afterAll(async () => {
    loadOn = false;
    for (const s of sse) await s.close();
    await kafka.stop();
    await ds?.destroy();
  });

  it('keeps every invariant while each component in turn is lost and restored under load', async () => {
    const started = Date.now();
    const loops = Array.from({ length: USERS }, () => loadLoop(cast));
    await new Promise((r) => setTimeout(r, BASELINE_MS));
    const baseline = { from: started, to: Date.now() };

    for (const f of faults) {
      const component = await f.component();
      const from = Date.now();
      console.info(`[chaos] ${f.name}: ${f.restart ? 'restarting' : 'killing'} ${component}`);
      if (f.restart) {
        await cluster('stop', component);
        await new Promise((r) => setTimeout(r, 3000));
      } else {
        await cluster('kill', component);
        await new Promise((r) => setTimeout(r, FAULT_MS));
      }
      await cluster('start', component);
      const restoredAfterMs = Date.now() - from;
      const exited = (await restartExited()).filter((s) => s !== component);
      await new Promise((r) => setTimeout(r, SETTLE_MS));
      windows.push({
        fault: f.name,
        component,
        from,
        to: Date.now(),
        restoredAfterMs,
        exitedAndRestarted: exited,
      });
      console.info(
        `[chaos] ${f.name}: restored after ${restoredAfterMs} ms; exited meanwhile: ${exited.join(', ') || 'none'}`,
      );
    }

    loadOn = false;
    await Promise.all(loops);
    const loadEnded = Date.now();

    // ---------- invariants ----------
    const items = driven.map((d) => d.item);
    const ids = items.map((i) => i.id);
    const finalStatus = new Map<string, string>();
    for (const d of driven) finalStatus.set(d.item.id, await d.item.status());
    const completed = driven.filter((d) => d.done);
    const wrongState = completed.filter((d) => finalStatus.get(d.item.id) !== 'published');

    await waitFor(
      'the outbox to drain',
      async () => (await outboxFor(ds, ids)).every((r) => r.publishedAt !== null),
      120_000,
    );
    const rows = await outboxFor(ds, ids);
    const eventIds = rows.map((r) => r.eventId);
    await waitFor(
      'every event on Kafka',
      async () => [...kafka.counts(eventIds).values()].every((n) => n >= 1),
      120_000,
    );
    const counts = kafka.counts(eventIds);
    const duplicated = [...counts].filter(([, n]) => n > 1).map(([id]) => id);
    const copiesDiffer = duplicated.filter(
      (id) => new Set(kafka.records.filter((r) => r.eventId === id).map((r) => r.outboxId)).size !== 1,
    );
    const outOfOrder = items.filter((item) => {
      const want = rows.filter((r) => r.event.suggestionId === item.id).map((r) => r.eventId);
      const seen: string[] = [];
      for (const r of kafka.records) if (r.key === item.id && !seen.includes(r.eventId)) seen.push(r.eventId);
      return JSON.stringify(seen) !== JSON.stringify(want);
    });
    const expected = await expectedInApp(
      ds,
      rows.map((r) => r.event),
    );
    await waitFor(
      'every notice',
      async () => (await inAppRows(ds, eventIds)).length >= expected.length,
      120_000,
    ).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 1000));
    const notices = await inAppRows(ds, eventIds);
    const noticeSet = new Set(notices);
    const duplicateNotices = notices.length - noticeSet.size;
    const missingNotices = expected.filter((k) => !noticeSet.has(k)).length;
    const forDeputy = rows.filter((r) => !UNIT_INTERNAL_EVENTS.has(r.event.type));
    await waitFor(
      'every event on the SSE streams',
      async () => sse.every((s) => s.about(ids).length >= forDeputy.length),
      120_000,
    ).catch(() => undefined);
    const sseChecks = sse.map((s, n) => {
      const got = s.about(ids);
      const bad = items.filter(
        (item) =>
          JSON.stringify(got.filter((g) => g.event.suggestionId === item.id).map((g) => g.event.id)) !==
          JSON.stringify(forDeputy.filter((r) => r.event.suggestionId === item.id).map((r) => r.eventId)),
      );
      return {
        client: n + 1,
        connects: s.connects,
        received: got.length,
        expected: forDeputy.length,
        itemsNotExact: bad.length,
      };
    });

    // 履职积分 (the notifier's points consumer): the ledger of the run's items holds exactly the credits
    // the rules give for their events, in outbox order (a rule paid once per suggestion pays the first).
    const rules = loadPointsRules();
    const policies = loadPolicyRegistry();
    const creditKey = (eventId: string, deputyId: string, rule: string) => `${eventId}|${deputyId}|${rule}`;
    const expectedCredits = new Set<string>();
    const paidOnce = new Set<string>();
    for (const r of rows)
      for (const c of creditsFor(r.event, rules, policies)) {
        const once = `${r.event.suggestionId}|${c.deputyId}|${c.rule}`;
        if (c.once === 'suggestion' && paidOnce.has(once)) continue;
        paidOnce.add(once);
        expectedCredits.add(creditKey(r.eventId, c.deputyId, c.rule));
      }
    const ledgerOf = async () =>
      (
        (await ds.query(
          `SELECT event_id, deputy_id, rule FROM points_ledger WHERE suggestion_id = ANY($1::uuid[])`,
          [ids],
        )) as { event_id: string; deputy_id: string; rule: string }[]
      ).map((l) => creditKey(l.event_id, l.deputy_id, l.rule));
    await waitFor(
      'every credit',
      async () => (await ledgerOf()).length >= expectedCredits.size,
      120_000,
    ).catch(() => undefined);
    const ledger = await ledgerOf();
    const ledgerSet = new Set(ledger);
    const points = {
      expected: expectedCredits.size,
      credited: ledger.length,
      missing: [...expectedCredits].filter((k) => !ledgerSet.has(k)).length,
      unexpected: ledger.filter((k) => !expectedCredits.has(k)).length,
      duplicated: ledger.length - ledgerSet.size,
    };

    // Mail: the notifier sends at least once (a kill between the SMTP server's acceptance and the
    // delivery's commit sends it again); Mailpit's count beyond the deliveries marked sent is that excess.
    // Mails are held outside the policy's notice hours (09:00–17:30 China time on working days): a run
    // at night sends none and this check has nothing to count (the report says how many were held).
    const mailpit = `http://127.0.0.1:${process.env.JIANYI_CLUSTER_MAILPIT_UI_PORT ?? 40006}`;
    await waitFor(
      'the due mails to go out',
      async () =>
        (
          await ds.query(
            `SELECT count(*)::int AS n FROM notification_deliveries WHERE channel = 'email' AND status = 'pending' AND deliver_after <= now()`,
          )
        )[0].n === 0,
      120_000,
    ).catch(() => undefined);
    const mailsInMailpit = await fetch(`${mailpit}/api/v1/messages?limit=1`)
      .then(async (r) => ((await r.json()) as { total: number }).total)
      .catch(() => null);
    const mailCounts: { sent: number; run_sent: number; held: number; failed: number }[] = await ds.query(
      `SELECT count(*) FILTER (WHERE status = 'sent')::int AS sent,
              count(*) FILTER (WHERE status = 'sent' AND suggestion_id = ANY($1::uuid[]))::int AS run_sent,
              count(*) FILTER (WHERE status = 'pending' AND deliver_after > now())::int AS held,
              count(*) FILTER (WHERE status = 'failed')::int AS failed
         FROM notification_deliveries WHERE channel = 'email'`,
      [ids],
    );
    const emailsSent = mailCounts[0]!.sent;

    const report = {
      machine: machineInfo(),
      settings: {
        users: USERS,
        faultSeconds: FAULT_MS / 1000,
        settleSeconds: SETTLE_MS / 1000,
        baselineSeconds: BASELINE_MS / 1000,
      },
      load: {
        durationS: Math.round((loadEnded - started) / 1000),
        items: driven.length,
        completed: completed.length,
        abandoned: driven
          .filter((d) => !d.done)
          .map((d) => ({
            id: d.item.id,
            failedStep: d.failedStep,
            status: finalStatus.get(d.item.id),
            error: d.error,
          })),
        ...windowStats(started, loadEnded),
      },
      baseline: windowStats(baseline.from, baseline.to),
      faults: windows.map((w) => ({
        fault: w.fault,
        component: w.component,
        windowS: Math.round((w.to - w.from) / 1000),
        restoredAfterMs: w.restoredAfterMs,
        exitedAndRestarted: w.exitedAndRestarted,
        ...windowStats(w.from, w.to),
      })),
      invariants: {
        completedItemsNotPublished: wrongState.length,
        events: rows.length,
        eventsMissingOnKafka: [...counts.values()].filter((n) => n === 0).length,
        eventsDuplicatedOnKafka: duplicated.length,
        duplicatesWithDifferentOutboxId: copiesDiffer.length,
        itemsOutOfOrderOnKafka: outOfOrder.length,
        noticesExpected: expected.length,
        duplicateNotices,
        missingNotices,
        emailDeliveriesSent: emailsSent,
        emailDeliveriesSentForTheRunsItems: mailCounts[0]!.run_sent,
        emailDeliveriesHeldForNoticeHours: mailCounts[0]!.held,
        emailDeliveriesFailed: mailCounts[0]!.failed,
        mailsInMailpit,
        mailsSentMoreThanOnce: mailsInMailpit === null ? null : Math.max(0, mailsInMailpit - emailsSent),
        sse: sseChecks,
        points,
      },
    };
    const file = writeResults('chaos', report);
    console.info(
      `[chaos] report: ${file}\n${JSON.stringify({ baseline: report.baseline, faults: report.faults, invariants: report.invariants }, null, 2)}`,
    );

    expect(wrongState.map((d) => d.item.id)).toEqual([]);
    expect(report.invariants.eventsMissingOnKafka).toBe(0);
    expect(copiesDiffer).toEqual([]);
    expect(outOfOrder.map((i) => i.id)).toEqual([]);
    expect(duplicateNotices).toBe(0);
    expect(missingNotices).toBe(0);
    for (const s of sseChecks) expect(s.itemsNotExact).toBe(0);
    expect(points.missing).toBe(0);
    expect(points.unexpected).toBe(0);
  });
});
