import { spawn } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UNIT_INTERNAL_EVENTS } from '@jianyi/platform';
import { waitFor } from '@jianyi/platform/src/testing';
import {
  expectedInApp,
  inAppRows,
  infraCmd,
  isRunning,
  Item,
  killService,
  outboxFor,
  reliabilityFrame,
  shortRun,
  startService,
  type Service,
} from '../support';

// The small chaos test (issue 14; the full one runs on the cluster profile: ./dev cluster chaos).
// On the ordinary test stack (one Temporal dev server, one Kafka broker, one PostgreSQL) with a
// second worker beside the first, items are driven through their lifecycle while, one at a time:
// a worker is killed (SIGKILL) mid-lifecycle, Temporal is restarted mid-lifecycle and PostgreSQL is
// restarted mid-lifecycle. Afterwards every item is in the state its actions lead to, every event is
// on Kafka (once in effect: any copy carries the same event id) and reached the notifier and an SSE
// client once each, in order per suggestion.
const frame = reliabilityFrame({ sse: true });
const kafka = frame.kafka;
const ROOT = path.resolve(__dirname, '../../../..');
const DATA = process.env.JIANYI_DATA ?? path.join(ROOT, '.data', process.env.JIANYI_ENV ?? 'test');

/** A second worker process (the first is infra/services.sh's), in its own process group. */
function startSecondWorker(): { pid: number; stop: () => void } {
  const logf = path.join(DATA, 'logs', 'worker-2.log');
  const out = openSync(logf, 'w');
  const child = spawn('node', ['--enable-source-maps', path.join(ROOT, 'dist', 'worker.js')], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', out, out],
    env: {
      ...process.env,
      JIANYI_ENV: process.env.JIANYI_ENV ?? 'test',
      JIANYI_APP_NAME: 'jianyi-worker-2',
      JIANYI_WORKFLOW_BUNDLE: path.join(ROOT, 'dist', 'workflow-bundle.js'),
    },
  });
  child.unref();
  const pid = child.pid!;
  return {
    pid,
    stop: () => {
      try {
        process.kill(-pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
    },
  };
}

/**
 * Runs the short lifecycle on each item concurrently; `at` is called once every item has done `step`
 * steps. The items go on at once (`during`: the fault meets the next step in flight) or after it.
 */
async function drive(items: Item[], step: number, at: () => Promise<void>, during = false): Promise<void> {
  let reached = 0;
  let fault: Promise<void> | null = null;
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  await Promise.all(
    items.map(async (item) => {
      for (const [n, s] of shortRun.entries()) {
        if (n === step) {
          reached += 1;
          if (reached === items.length) {
            fault = at().finally(release);
            if (during) release();
          }
          await gate;
        }
        await s(item);
      }
    }),
  );
  await fault;
}

/** Like a supervisor (systemd Restart=always): starts again any service that exited, and says which. */
async function restartExited(): Promise<Service[]> {
  const exited: Service[] = [];
  for (const s of ['relay', 'notifier', 'tracker', 'worker', 'api'] as const)
    if (!isRunning(s)) {
      exited.push(s);
      await startService(s);
    }
  return exited;
}

describe('chaos (small)', () => {
  it('items reach their states and every event reaches Kafka, the notifier and SSE once, through a worker kill, a Temporal restart and a PostgreSQL restart', async () => {
    const second = startSecondWorker();
    try {
      await waitFor(
        'the second worker to start',
        async () =>
          readFileSync(path.join(DATA, 'logs', 'worker-2.log'), 'utf8').includes('"worker started"'),
        90_000,
      );
      const all: Item[] = [];
      const exitedAfter: Record<string, Service[]> = {};

      // 1. A worker is killed while items are mid-lifecycle: the other worker carries them on
      //    (sticky workflow tasks move to the shared queue; an activity it held is retried after its timeout).
      const a = await Promise.all([Item.draft(frame.c), Item.draft(frame.c)]);
      all.push(...a);
      await drive(
        a,
        3,
        async () => {
          // The sign-in (which starts the unit's handling) is under way when the worker dies.
          await killService('worker');
        },
        true,
      );
      exitedAfter.worker = await restartExited();

      // 2. Temporal restarted (its history persists): in-flight updates and timers resume.
      const b = await Promise.all([Item.draft(frame.c), Item.draft(frame.c)]);
      all.push(...b);
      // After 受理 (accept), whose activities may still be running, before 交办 (assign).
      await drive(b, 2, async () => {
        await infraCmd('stack', 'stop', 'temporal');
        await infraCmd('stack', 'start', 'temporal');
      });
      exitedAfter.temporal = await restartExited();

      // 3. PostgreSQL restarted: every connection the services hold is cut.
      const c = await Promise.all([Item.draft(frame.c), Item.draft(frame.c)]);
      all.push(...c);
      // After the reply is drafted, before its sign-off.
      await drive(c, 7, async () => {
        await infraCmd('stack', 'stop', 'postgres');
        await infraCmd('stack', 'start', 'postgres');
      });
      exitedAfter.postgres = await restartExited();
      console.info(
        `[chaos small] services that exited and were started again: ${JSON.stringify(exitedAfter)}`,
      );

      // Every item is in the state its actions lead to.
      for (const item of all) expect(await item.status()).toBe('published');

      // Every event on Kafka, first copies in the outbox's order per suggestion; a copy is the same event.
      const ids = all.map((i) => i.id);
      await waitFor(
        'the outbox to drain',
        async () => (await outboxFor(frame.ds, ids)).every((r) => r.publishedAt !== null),
        60_000,
      );
      const rows = await outboxFor(frame.ds, ids);
      const eventIds = rows.map((r) => r.eventId);
      await waitFor(
        'every event on Kafka',
        async () => [...kafka.counts(eventIds).values()].every((n) => n >= 1),
        60_000,
      );
      for (const [id, n] of kafka.counts(eventIds))
        if (n > 1)
          expect(new Set(kafka.records.filter((r) => r.eventId === id).map((r) => r.outboxId)).size).toBe(1);
      for (const item of all) {
        const want = rows.filter((r) => r.event.suggestionId === item.id).map((r) => r.eventId);
        const seen: string[] = [];
        for (const r of kafka.records)
          if (r.key === item.id && !seen.includes(r.eventId)) seen.push(r.eventId);
        expect(seen).toEqual(want);
      }

      // No notice twice (the set of notices is exactly the notifier's rule, duplicates kept).
      const expected = await expectedInApp(
        frame.ds,
        rows.map((r) => r.event),
      );
      await waitFor(
        'every notice',
        async () => (await inAppRows(frame.ds, eventIds)).length >= expected.length,
        60_000,
      );
      await new Promise((r) => setTimeout(r, 500));
      expect(await inAppRows(frame.ds, eventIds)).toEqual(expected);

      // The deputy's SSE client (it reconnects with Last-Event-ID) saw each of their events once, in order.
      const mine = ids; // Item.draft drafts as wangjianguo
      const forDeputy = rows.filter(
        (r) => mine.includes(r.event.suggestionId) && !UNIT_INTERNAL_EVENTS.has(r.event.type),
      );
      await waitFor(
        'every event on the SSE stream',
        async () => frame.sse.about(mine).length >= forDeputy.length,
        60_000,
      );
      for (const id of mine)
        expect(frame.sse.about([id]).map((s) => s.event.id)).toEqual(
          forDeputy.filter((r) => r.event.suggestionId === id).map((r) => r.eventId),
        );
    } finally {
      second.stop();
    }
  });
});
