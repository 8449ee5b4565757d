import { describe, expect, it } from 'vitest';
import { appendOutbox, config, createKafka } from '@jianyi/platform';
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
  urgeEvent,
} from '../support';

// The notifier is killed (SIGKILL, no shutdown) in the middle of a batch of events and started
// again: Kafka hands it the uncommitted part of the batch a second time, and the unique
// (event, user, channel) index turns the replay into no-ops: every notice exists once.
const frame = reliabilityFrame();
const kafka = frame.kafka;

const BURST = 600;

describe('notifier crash', () => {
  it('writes each notice exactly once when killed mid-batch and restarted', async () => {
    const item = await Item.draft(frame.c);
    await item.submit();
    await item.accept();
    await item.until('accepted');

    // A backlog builds up in Kafka while the notifier is away: real steps and a burst of urges.
    await stopService('notifier');
    await item.assign();
    await item.leadSignIn();
    await item.urge();
    const burst = Array.from({ length: BURST }, (_, n) =>
      urgeEvent(item.id, 'handling', n, demoId('deputy:wang'), demoId('unit:JTJ')),
    );
    for (let i = 0; i < BURST; i += 100)
      await frame.ds.transaction(async (m) => {
        for (const e of burst.slice(i, i + 100)) await appendOutbox(m, e);
      });
    const backlog = (await outboxFor(frame.ds, [item.id])).map((r) => r.event);
    await waitFor(
      'the backlog in Kafka',
      async () => [...kafka.counts(backlog.map((e) => e.id)).values()].every((n) => n >= 1),
      30_000,
    );
    const expected = await expectedInApp(frame.ds, backlog);

    // It starts on the backlog and is killed part-way through.
    await startService('notifier');
    const ids = backlog.map((e) => e.id);
    const atKill = await waitFor(
      'the notifier to be part-way through',
      async () => {
        const n = (await inAppRows(frame.ds, ids)).length;
        return n >= expected.length / 5 ? n : false;
      },
      60_000,
    );
    await killService('notifier');
    const done = (await inAppRows(frame.ds, ids)).length;
    expect(done).toBeLessThan(expected.length); // the kill landed mid-backlog

    // What the notifier's group has committed: everything after it comes again.
    const admin = createKafka('reliability-admin').admin();
    await admin.connect();
    const committed = await admin
      .fetchOffsets({ groupId: 'notifier', topics: [config.kafka.topic] })
      .finally(() => admin.disconnect());
    const from = new Map(committed[0]!.partitions.map((p) => [p.partition, BigInt(p.offset)]));
    const handled = new Set((await inAppRows(frame.ds, ids)).map((k) => k.split('/')[0]));
    const redelivered = kafka.records.filter(
      (r) => handled.has(r.eventId) && BigInt(r.offset) >= (from.get(r.partition) ?? -1n),
    ).length;
    // Offsets are committed per fetched batch: the restarted notifier gets handled events again.
    expect(redelivered).toBeGreaterThan(0);

    await startService('notifier');
    await item.contact(); // and live events keep coming after the restart
    const all = (await outboxFor(frame.ds, [item.id])).map((r) => r.event);
    const allExpected = await expectedInApp(frame.ds, all);
    await waitFor(
      'every notice',
      async () =>
        (
          await inAppRows(
            frame.ds,
            all.map((e) => e.id),
          )
        ).length >= allExpected.length,
      90_000,
    );
    await new Promise((r) => setTimeout(r, 500));
    expect(
      await inAppRows(
        frame.ds,
        all.map((e) => e.id),
      ),
    ).toEqual(allExpected);
    console.info(
      `[notifier crash] killed after ${atKill}/${expected.length} notices; ${redelivered} handled events were not committed and came again`,
    );
  });
});
