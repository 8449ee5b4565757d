import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suggestionEventSchema } from '@jianyi/domain';
import { openDataSource } from '@jianyi/platform';
import { waitFor } from '@jianyi/platform/src/testing';
import { Item, loginCast, outboxFor, type Cast } from './support';

// Contracts: every workflow step of one suggestion, driven through the API of the running test
// stack, writes exactly one outbox event of a declared type (the zod union in @jianyi/domain),
// carrying its id, the suggestion id, the actor, the time and the policy version; and one audit row.
let ds: DataSource;
let c: Cast;
beforeAll(async () => {
  ds = await openDataSource();
  c = await loginCast();
});
afterAll(async () => {
  await ds?.destroy();
});

const userIds = async (names: string[]) => {
  const rows: { username: string; id: string }[] = await ds.query(
    `SELECT username, id FROM users WHERE username = ANY($1)`,
    [names],
  );
  return Object.fromEntries(rows.map((r) => [r.username, r.id]));
};

describe('event contracts', () => {
  it('each step of a full lifecycle emits exactly one event of a declared type, in order', async () => {
    const item = await Item.draft(c);
    const expected: [type: string, by: string | null][] = [];
    const step = async (run: () => Promise<void>, ...events: [string, string | null][]) => {
      await run();
      expected.push(...events);
    };
    await step(() => item.submit(), ['suggestion.submitted', 'wangjianguo']);
    await step(async () => {
      await item.returnForRevision();
      await item.until('returned');
    }, ['suggestion.returned', 'reviewer']);
    await step(async () => {
      await item.resubmit();
      await item.until('submitted');
    }, ['suggestion.submitted', 'wangjianguo']);
    await step(async () => {
      await item.accept();
      await item.until('accepted');
    }, ['suggestion.accepted', 'reviewer']);
    await step(() => item.keySupervision(), ['suggestion.key_supervision_set', 'supervisor']);
    await step(() => item.assign(), ['suggestion.assigned', 'coordinator']); // the coordinator who assigned is the actor
    await step(
      () => item.leadSignIn(),
      ['suggestion.signed_in', 'jtj.handler'],
      ['suggestion.handling_started', null],
    );
    await step(() => item.urge(), ['suggestion.urged', 'coordinator']);
    await step(() => item.requestExtension(), ['suggestion.extension_requested', 'jtj.handler']);
    await step(() => item.decideExtension(), ['suggestion.extension_decided', 'reviewer']);
    await step(() => item.contact(), ['suggestion.contact_logged', 'jtj.handler']);
    await step(() => item.coSignIn(), ['suggestion.signed_in', 'jyj.handler']);
    await step(() => item.coOpinion(), ['suggestion.opinion_sent', 'jyj.handler']);
    await step(() => item.draftReply('B'), ['suggestion.reply_drafted', 'jtj.handler']);
    await step(() => item.signOff(), ['suggestion.reply_signed', 'jtj.leader']);
    await step(() => item.send(), ['suggestion.reply_sent', 'jtj.handler'], ['suggestion.replied', null]);
    await step(
      () => item.rate('unsatisfied'),
      ['suggestion.rated', 'wangjianguo'],
      ['suggestion.rehandling', null],
    );
    await step(() => item.leadSignIn(false), ['suggestion.signed_in', 'jtj.handler']);
    await step(() => item.contact(), ['suggestion.contact_logged', 'jtj.handler']);
    await step(() => item.draftReply('A'), ['suggestion.reply_drafted', 'jtj.handler']);
    await step(() => item.signOff(), ['suggestion.reply_signed', 'jtj.leader']);
    await step(() => item.send(), ['suggestion.reply_sent', 'jtj.handler'], ['suggestion.replied', null]);
    await step(
      () => item.rate('satisfied'),
      ['suggestion.rated', 'wangjianguo'],
      ['suggestion.closed', null],
      ['suggestion.published', null],
    );

    const rows = await outboxFor(ds, [item.id]);
    const events = rows.map((r) => r.event);
    // Exactly one event per step, in the order the steps happened (outbox id order).
    expect(events.map((e) => e.type)).toEqual(expected.map(([t]) => t));
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    const ids = await userIds([
      'wangjianguo',
      'reviewer',
      'supervisor',
      'coordinator',
      'jtj.handler',
      'jtj.leader',
      'jyj.handler',
    ]);
    expect(events.map((e) => e.actor.userId)).toEqual(
      expected.map(([, by]) => (by === null ? null : ids[by])),
    );

    let previous: string | null = null;
    let at = 0;
    for (const [i, e] of events.entries()) {
      // The declared type: the stored payload parses with the contract, unchanged.
      expect(suggestionEventSchema.parse(rows[i]!.event)).toEqual(e);
      expect(e.version).toBe(1);
      expect(e.suggestionId).toBe(item.id);
      expect(rows[i]!.eventId).toBe(e.id);
      expect(e.policyVersion).toMatch(/\S+@\S+/);
      expect(Date.parse(e.occurredAt)).toBeGreaterThanOrEqual(at);
      at = Date.parse(e.occurredAt);
      // Statuses chain: each event starts where the previous one left the item.
      if (previous !== null) expect(`${e.type}: ${e.data.from}`).toBe(`${e.type}: ${previous}`);
      previous = e.data.to;
    }
    expect(events[0]!.data.from).toBe('draft');
    expect(previous).toBe('published');
    expect(new Set(events.map((e) => e.policyVersion)).size).toBe(1); // the item keeps its policy
    // The transitions among them: one event for each status change of the state machine.
    expect(events.filter((e) => e.data.from !== e.data.to).map((e) => `${e.data.from}→${e.data.to}`)).toEqual(
      [
        'draft→submitted',
        'submitted→returned',
        'returned→submitted',
        'submitted→accepted',
        'accepted→assigned',
        'assigned→handling',
        'handling→replied',
        'replied→rehandling',
        'rehandling→replied',
        'replied→closed',
        'closed→published',
      ],
    );

    // One audit row per event, same action and actor, in the same order (after the draft's own row).
    const audit: { action: string; actor_user_id: string | null }[] = await ds.query(
      `SELECT action, actor_user_id FROM audit_log WHERE entity_type = 'suggestion' AND entity_id = $1 ORDER BY id`,
      [item.id],
    );
    expect(audit[0]!.action).toBe('suggestion.draft_created');
    expect(audit.slice(1).map((a) => [a.action, a.actor_user_id])).toEqual(
      events.map((e) => [e.type, e.actor.userId]),
    );

    // And each reached Kafka through the relay (stamped published).
    await waitFor('all published', async () =>
      (await outboxFor(ds, [item.id])).every((r) => r.publishedAt !== null),
    );
  });
});
