import { describe, expect, it } from 'vitest';
import { appendOutbox, UNIT_INTERNAL_EVENTS } from '@jianyi/platform';
import { demoId } from '@jianyi/platform/src/db/seed';
import { waitFor } from '@jianyi/platform/src/testing';
import {
  expectedInApp,
  inAppRows,
  Item,
  killService,
  outboxFor,
  reliabilityFrame,
  startService,
  stopService,
  unpublishedCount,
  urgeEvent,
} from '../support';

// The relay is killed (SIGKILL) while events flow and started again. What the system guarantees:
// - nothing is lost: a row is stamped published only after Kafka acknowledged it, in the same
//   transaction, so the restarted relay sends every row it had not stamped;
// - Kafka may hold an event twice, when the kill fell between Kafka's acknowledgement and the
//   stamp's commit (at most the one batch in flight); the copy has the same event id and outbox id;
// - consumers see each event once in effect: the notifier dedupes by (event, user, channel), the
//   tracker by outbox id, so neither the notices nor an SSE client show a duplicate.
const frame = reliabilityFrame({ sse: true });
const kafka = frame.kafka;

const BURST = 2000;

describe('relay crash', () => {
  it('loses nothing when killed while publishing; duplicates on Kafka carry the same event id and reach no one twice', async () => {
    const item = await Item.draft(frame.c);
    await item.submit();
    await item.accept();
    await item.until('accepted');
    await item.assign(false);
    await item.leadSignIn();

    // Events flow: bursts of urges in transactions of 100, with real steps alongside; the relay dies part-way.
    const burst = Array.from({ length: BURST }, (_, n) =>
      urgeEvent(item.id, 'handling', n, demoId('deputy:wang')),
    );
    const insert = async (from: number, to: number) => {
      for (let i = from; i < to; i += 100)
        await frame.ds.transaction(async (m) => {
          for (const e of burst.slice(i, Math.min(i + 100, to))) await appendOutbox(m, e);
        });
    };
    const firstHalf = insert(0, BURST / 2);
    await waitFor(
      'the relay to be publishing the burst',
      async () => kafka.counts(burst.slice(0, 300).map((e) => e.id)).get(burst[299]!.id)! > 0,
      30_000,
    );
    await killService('relay');
    await Promise.all([firstHalf, item.urge()]);
    await insert(BURST / 2, BURST);
    await item.contact();
    // With the relay down the outbox keeps the rows.
    expect(await unpublishedCount(frame.ds)).toBeGreaterThan(BURST / 2);
    await startService('relay');
    await item.draftReply();

    const rows = await outboxFor(frame.ds, [item.id]);
    await waitFor(
      'the outbox to drain',
      async () => (await outboxFor(frame.ds, [item.id])).every((r) => r.publishedAt !== null),
      60_000,
    );
    const ids = rows.map((r) => r.eventId);
    await waitFor(
      'every event in Kafka',
      async () => [...kafka.counts(ids).values()].every((n) => n >= 1),
      30_000,
    );

    // Kafka: every event at least once; any copy is the same event with the same outbox id; first copies in order.
    const counts = kafka.counts(ids);
    const dupes = [...counts].filter(([, n]) => n > 1).map(([id]) => id);
    expect(dupes.length).toBeLessThanOrEqual(500); // at most the batch in flight
    for (const id of dupes)
      expect(new Set(kafka.records.filter((r) => r.eventId === id).map((r) => r.outboxId)).size).toBe(1);
    const firstSeen: string[] = [];
    const seenOnce = new Set<string>();
    for (const r of kafka.records)
      if (r.key === item.id && !seenOnce.has(r.eventId)) {
        seenOnce.add(r.eventId);
        firstSeen.push(r.eventId);
      }
    expect(firstSeen).toEqual(ids);

    // Notifier: once each. SSE: once each, in order (the deputy's client gets no unit-internal
    // drafting or sign-off steps: the one visibility rule).
    const events = rows.map((r) => r.event);
    const forDeputy = rows.filter((r) => !UNIT_INTERNAL_EVENTS.has(r.event.type));
    const expected = await expectedInApp(frame.ds, events);
    await waitFor(
      'every notice',
      async () => (await inAppRows(frame.ds, ids)).length >= expected.length,
      60_000,
    );
    await waitFor(
      'every event on the SSE stream',
      async () => frame.sse.about([item.id]).length >= forDeputy.length,
      30_000,
    );
    await new Promise((r) => setTimeout(r, 500));
    expect(await inAppRows(frame.ds, ids)).toEqual(expected);
    expect(frame.sse.about([item.id]).map((s) => s.event.id)).toEqual(forDeputy.map((r) => r.eventId));
    console.info(`[relay crash] ${rows.length} events, ${dupes.length} duplicated on Kafka by the kill`);
  });

  it("sends a batch again when killed between Kafka's acknowledgement and the stamp; consumers show it once", async () => {
    const item = await Item.draft(frame.c);
    await item.submit();
    await item.accept();
    await item.until('accepted');

    await stopService('relay');
    const burst = Array.from({ length: 300 }, (_, n) =>
      urgeEvent(item.id, 'accepted', n, demoId('deputy:wang')),
    );
    for (let i = 0; i < burst.length; i += 100)
      await frame.ds.transaction(async (m) => {
        for (const e of burst.slice(i, i + 100)) await appendOutbox(m, e);
      });
    const ids = burst.map((e) => e.id);

    // SHARE mode lets the relay lock its batch (FOR UPDATE) and send it, but holds its stamping UPDATE:
    // the relay is killed with the batch acknowledged by Kafka and not stamped in PostgreSQL.
    const lock = frame.ds.createQueryRunner();
    await lock.connect();
    await lock.startTransaction();
    try {
      await lock.query('LOCK TABLE outbox IN SHARE MODE');
      await startService('relay');
      await waitFor(
        'the batch on Kafka',
        async () => [...kafka.counts(ids).values()].every((n) => n >= 1),
        30_000,
      );
      await killService('relay');
    } finally {
      await lock.rollbackTransaction();
      await lock.release();
    }
    expect(
      (await outboxFor(frame.ds, [item.id])).filter((r) => ids.includes(r.eventId) && r.publishedAt === null),
    ).toHaveLength(ids.length);

    await startService('relay');
    await waitFor(
      'the outbox to drain',
      async () => (await outboxFor(frame.ds, [item.id])).every((r) => r.publishedAt !== null),
      30_000,
    );
    await waitFor(
      'the batch on Kafka again',
      async () => [...kafka.counts(ids).values()].every((n) => n >= 2),
      30_000,
    );
    // On Kafka twice, recognisable: the same event id and outbox id.
    expect([...kafka.counts(ids).values()].every((n) => n === 2)).toBe(true);
    for (const id of ids.slice(0, 20))
      expect(new Set(kafka.records.filter((r) => r.eventId === id).map((r) => r.outboxId)).size).toBe(1);

    // Reaching no one twice.
    const events = (await outboxFor(frame.ds, [item.id])).map((r) => r.event);
    const expected = await expectedInApp(frame.ds, events);
    await waitFor(
      'every notice',
      async () =>
        (
          await inAppRows(
            frame.ds,
            events.map((e) => e.id),
          )
        ).length >= expected.length,
      30_000,
    );
    await waitFor(
      'every event on the SSE stream',
      async () =>
        frame.sse.about([item.id]).length >= events.filter((e) => !UNIT_INTERNAL_EVENTS.has(e.type)).length,
      30_000,
    ).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 500));
    expect(
      await inAppRows(
        frame.ds,
        events.map((e) => e.id),
      ),
    ).toEqual(expected);
    expect(frame.sse.about([item.id]).map((s) => s.event.id)).toEqual(
      events.filter((e) => !UNIT_INTERNAL_EVENTS.has(e.type)).map((e) => e.id),
    );
  });
});
