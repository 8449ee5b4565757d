import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendOutbox, openDataSource } from '@jianyi/platform';
import { demoId } from '@jianyi/platform/src/db/seed';
import { waitFor } from '@jianyi/platform/src/testing';
import { SseClient, urgeEvent } from '../../relay/test/support';

// The tracker's SSE stream against the running test stack: events arrive in outbox id order with
// no gap, even when one relay batch spans several Kafka partitions (Kafka orders per partition
// only) and when a client resumes with a Last-Event-ID whose successors gain a digit.
let ds: DataSource;
let supervisor: SseClient;
beforeAll(async () => {
  // As the schema's owner: the test moves the outbox id sequence (setval), which the services' role may not.
  ds = await openDataSource({}, 'owner');
  supervisor = await SseClient.as('supervisor');
  await supervisor.start();
});
afterAll(async () => {
  await supervisor?.close();
  await ds?.destroy();
});

const wang = demoId('deputy:wang');
const ordered = async (ids: string[]) =>
  (
    await ds.query(`SELECT event_id FROM outbox WHERE event_id = ANY($1::uuid[]) ORDER BY outbox.id`, [ids])
  ).map((r: { event_id: string }) => r.event_id) as string[];

describe('tracker SSE order', () => {
  it('hands out one batch spread over many partitions in outbox order, each event once', async () => {
    // 24 suggestions (keys) committed together: one relay batch, spread over the topic's partitions.
    const events = Array.from({ length: 24 }, (_, n) => urgeEvent(randomUUID(), 'handling', n, wang));
    await ds.transaction(async (m) => {
      for (const e of events) await appendOutbox(m, e);
    });
    const ids = events.map((e) => e.id);
    const mine = () => supervisor.received.filter((r) => ids.includes(r.event.id)).map((r) => r.event.id);
    await waitFor('the batch on the stream', async () => mine().length >= ids.length, 15_000).catch(
      () => undefined,
    );
    expect(mine()).toEqual(await ordered(ids));
  });

  it('resumes with Last-Event-ID across ids that gain a digit (999 → 1000), with no gap', async () => {
    const client = await SseClient.as('wangjianguo');
    await client.start();
    try {
      const first = urgeEvent(randomUUID(), 'handling', 0, wang);
      await ds.transaction((m) => appendOutbox(m, first));
      await waitFor('the first event', async () => client.received.some((r) => r.event.id === first.id));
      // The connection drops; meanwhile the outbox ids pass the next power of ten.
      let reconnect!: () => void;
      client.drop(
        new Promise<void>((r) => {
          reconnect = r;
        }),
      );
      const max: string = (await ds.query(`SELECT max(id)::text AS max FROM outbox`))[0].max;
      const next = 10n ** BigInt(max.length + 1);
      await ds.query(`SELECT setval(pg_get_serial_sequence('outbox', 'id'), $1)`, [(next - 4n).toString()]);
      const missed = Array.from({ length: 8 }, (_, n) => urgeEvent(randomUUID(), 'handling', n + 1, wang));
      for (const e of missed) await ds.transaction((m) => appendOutbox(m, e));
      const ids = missed.map((e) => e.id);
      await waitFor(
        'the missed events published',
        async () =>
          (
            await ds.query(
              `SELECT count(*)::int AS n FROM outbox WHERE event_id = ANY($1::uuid[]) AND published_at IS NOT NULL`,
              [ids],
            )
          )[0].n === ids.length,
      );
      await new Promise((r) => setTimeout(r, 300)); // let the tracker consume them too
      reconnect();
      const mine = () => client.received.filter((r) => ids.includes(r.event.id));
      await waitFor(
        'the missed events after the reconnect',
        async () => mine().length >= ids.length,
        15_000,
      ).catch(() => undefined);
      expect(mine().map((r) => r.event.id)).toEqual(ids);
      expect(mine().map((r) => BigInt(r.sseId) >= next - 3n)).toEqual(ids.map(() => true));
      expect(client.connects).toBe(2);
    } finally {
      await client.close();
    }
  });
});
