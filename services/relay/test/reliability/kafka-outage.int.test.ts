import { describe, expect, it } from 'vitest';
import { UNIT_INTERNAL_EVENTS } from '@jianyi/platform';
import { waitFor } from '@jianyi/platform/src/testing';
import {
  expectedInApp,
  inAppRows,
  Item,
  outboxFor,
  reliabilityFrame,
  shortRunEvents,
  startKafka,
  stopKafka,
  unpublishedCount,
} from '../support';

// Kafka stops in the middle of a run of lifecycle steps over several suggestions and starts again.
// The outbox keeps what was written meanwhile; afterwards every event is in Kafka once, the
// notifier has written each notice once, and a deputy's SSE client (dropped twice, resuming with
// Last-Event-ID) has seen each event of its items once, in order, and nothing of anyone else's.
const frame = reliabilityFrame({ sse: true });
const kafka = frame.kafka;

const all = (items: Item[], step: (i: Item) => Promise<void>) => Promise.all(items.map(step));

describe('Kafka outage', () => {
  it('loses nothing and shows nothing twice when Kafka stops mid-run and comes back', async () => {
    const mine = await Promise.all([Item.draft(frame.c), Item.draft(frame.c), Item.draft(frame.c)]);
    const other = await Item.draft(frame.c, frame.c.li, '关于增加社区图书室开放时间的建议'); // not wang's: never on his stream
    const items = [...mine, other];

    // Kafka up.
    await all(items, (i) => i.submit());
    await all(items, async (i) => {
      await i.accept();
      await i.until('accepted');
    });

    // Kafka stops while the next steps are being taken.
    const stopping = stopKafka();
    await all(items, (i) => i.assign(false));
    await stopping;
    const before = await unpublishedCount(frame.ds);
    await all(items, (i) => i.leadSignIn());
    await all(items, (i) => i.urge());
    frame.sse.drop(); // the deputy's connection drops during the outage and comes back with Last-Event-ID
    await all(items, (i) => i.contact());
    const during = await unpublishedCount(frame.ds);
    // The outbox fills: at least signed_in, handling_started, urged and contact_logged per item wait there.
    expect(during - before).toBeGreaterThanOrEqual(items.length * 4);
    await waitFor('the SSE client to reconnect during the outage', async () => frame.sse.connects >= 2);

    // Kafka comes back while the units keep working.
    const starting = startKafka();
    await all(items, (i) => i.draftReply());
    await all(items, (i) => i.signOff());
    await starting;
    await all(items, (i) => i.send());
    frame.sse.drop();
    await all(items, (i) => i.rate('satisfied'));

    // The outbox holds exactly the run's events and drains.
    const rows = await outboxFor(
      frame.ds,
      items.map((i) => i.id),
    );
    for (const i of items)
      expect(rows.filter((r) => r.event.suggestionId === i.id).map((r) => r.event.type)).toEqual(
        shortRunEvents,
      );
    await waitFor(
      'the outbox to drain',
      async () =>
        (
          await outboxFor(
            frame.ds,
            items.map((i) => i.id),
          )
        ).every((r) => r.publishedAt !== null),
      60_000,
    );
    const events = rows.map((r) => r.event);

    // Kafka: every event exactly once, keyed by its suggestion, in order per suggestion.
    await waitFor(
      'every event in Kafka',
      async () => [...kafka.counts(events.map((e) => e.id)).values()].every((n) => n >= 1),
      30_000,
    );
    expect([...kafka.counts(events.map((e) => e.id)).values()].every((n) => n === 1)).toBe(true);
    for (const i of items) {
      const onTopic = kafka.records.filter((r) => r.event.suggestionId === i.id);
      expect(new Set(onTopic.map((r) => r.key))).toEqual(new Set([i.id]));
      expect(onTopic.map((r) => r.eventId)).toEqual(
        rows.filter((r) => r.event.suggestionId === i.id).map((r) => r.eventId),
      );
    }

    // Notifier: each notice once, none missing.
    const expected = await expectedInApp(frame.ds, events);
    expect(expected.length).toBeGreaterThanOrEqual(events.length);
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
    expect(
      await inAppRows(
        frame.ds,
        events.map((e) => e.id),
      ),
    ).toEqual(expected);

    // SSE: the deputy saw each event of his items once, in outbox order, and none of li's, nor the
    // units' internal drafting and sign-off steps (the one visibility rule).
    const wangs = rows.filter(
      (r) => r.event.suggestionId !== other.id && !UNIT_INTERNAL_EVENTS.has(r.event.type),
    );
    await waitFor(
      'every event on the SSE stream',
      async () => frame.sse.about(items.map((i) => i.id)).length >= wangs.length,
      30_000,
    );
    await new Promise((r) => setTimeout(r, 500)); // a late duplicate would show up here
    const seen = frame.sse.about(items.map((i) => i.id));
    expect(seen.map((s) => s.event.id)).toEqual(wangs.map((r) => r.eventId));
    expect(seen.map((s) => s.sseId)).toEqual(wangs.map((r) => r.id));
    expect(frame.sse.connects).toBeGreaterThanOrEqual(3); // it did resume twice
  });
});
