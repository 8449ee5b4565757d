import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Consumer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SuggestionEvent } from '@jianyi/domain';
import { appendOutbox, config, createKafka, openDataSource } from '@jianyi/platform';
import { waitFor } from '@jianyi/platform/src/testing';

// Runs against the relay process of the test stack (started by ./dev test).
let ds: DataSource;
let consumer: Consumer;
const seen: { key: string; partition: number; offset: string; event: SuggestionEvent; outboxId: string }[] =
  [];

const event = (suggestionId: string, n: number): SuggestionEvent => ({
  id: randomUUID(),
  version: 1,
  type: 'suggestion.returned',
  suggestionId,
  occurredAt: new Date(Date.UTC(2026, 10, 1, 0, 0, n)).toISOString(),
  actor: { userId: null, role: 'reviewer' },
  policyVersion: 'test',
  data: { from: 'submitted', to: 'returned', audience: { deputyIds: [], unitIds: [] }, comments: `第${n}轮` },
});

describe('outbox relay', () => {
  beforeAll(async () => {
    ds = await openDataSource();
    consumer = createKafka('relay-test').consumer({ groupId: `relay-test-${randomUUID()}` });
    await consumer.connect();
    await consumer.subscribe({ topic: config.kafka.topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        seen.push({
          key: message.key!.toString(),
          partition,
          offset: message.offset,
          event: JSON.parse(message.value!.toString()),
          outboxId: message.headers!['outbox-id']!.toString(),
        });
      },
    });
  });
  afterAll(async () => {
    await consumer?.disconnect();
    await ds?.destroy();
  });

  it('publishes each committed outbox row once, keyed by suggestion id, in order per suggestion', async () => {
    const a = randomUUID();
    const b = randomUUID();
    const events: SuggestionEvent[] = [];
    for (let i = 0; i < 30; i++) {
      const e = event(i % 2 ? a : b, i);
      events.push(e);
      await ds.transaction((m) => appendOutbox(m, e));
    }
    const ids = new Set(events.map((e) => e.id));
    await waitFor('all 30 events in Kafka', async () => seen.filter((s) => ids.has(s.event.id)).length >= 30);
    const mine = seen.filter((s) => ids.has(s.event.id));
    expect(mine).toHaveLength(30); // no duplicate
    for (const key of [a, b]) {
      const forKey = mine.filter((s) => s.key === key);
      expect(new Set(forKey.map((s) => s.partition)).size).toBe(1);
      expect(forKey.map((s) => s.event.occurredAt)).toEqual(
        events.filter((e) => e.suggestionId === key).map((e) => e.occurredAt),
      );
    }
    const unpublished: { n: number }[] = await ds.query(
      `SELECT count(*)::int AS n FROM outbox WHERE event_id = ANY($1::uuid[]) AND published_at IS NULL`,
      [[...ids]],
    );
    expect(unpublished[0]!.n).toBe(0);
  });

  it('never stores the same event twice, and a rolled-back transaction publishes nothing', async () => {
    const e = event(randomUUID(), 1);
    expect(await ds.transaction((m) => appendOutbox(m, e))).toBe(true);
    expect(await ds.transaction((m) => appendOutbox(m, e))).toBe(false);
    const ghost = event(randomUUID(), 2);
    await expect(
      ds.transaction(async (m) => {
        await appendOutbox(m, ghost);
        throw new Error('step failed');
      }),
    ).rejects.toThrow('step failed');
    await waitFor('the stored event in Kafka', async () => seen.some((s) => s.event.id === e.id));
    await new Promise((r) => setTimeout(r, 1000));
    expect(seen.filter((s) => s.event.id === e.id)).toHaveLength(1);
    expect(seen.some((s) => s.event.id === ghost.id)).toBe(false);
  });

  it('makes outbox rows visible in id order, even when transactions overlap', async () => {
    const runner = ds.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    const first = event(randomUUID(), 4);
    await appendOutbox(runner.manager, first);
    let secondDone = false;
    const second = event(randomUUID(), 5);
    const secondTx = ds
      .transaction((m) => appendOutbox(m, second))
      .then(() => {
        secondDone = true;
      });
    await new Promise((r) => setTimeout(r, 500));
    expect(secondDone).toBe(false); // waits for the first to commit
    await runner.commitTransaction();
    await runner.release();
    await secondTx;
    const ids: { event_id: string }[] = await ds.query(
      `SELECT event_id FROM outbox WHERE event_id = ANY($1::uuid[]) ORDER BY id`,
      [[first.id, second.id]],
    );
    expect(ids.map((r) => r.event_id)).toEqual([first.id, second.id]);
  });

  it('refuses to store an event that breaks its contract', async () => {
    const bad = { ...event(randomUUID(), 3), type: 'suggestion.accepted' } as SuggestionEvent; // no registrationNo
    await expect(ds.transaction((m) => appendOutbox(m, bad))).rejects.toThrow(/registrationNo/);
  });
});
