/**
 * 履职积分 against the real stack: events written to the outbox reach the notifier's points consumer
 * through Kafka; the ledger is read through the API; a rebuild from the outbox gives the same ledger.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { loadPolicyRegistry } from '@jianyi/domain/src/policy/load-files';
import { config, createKafka, openDataSource } from '@jianyi/platform';
import { ApiSession, waitFor } from '@jianyi/platform/src/testing';
import { loadPointsRules, rebuildPoints } from '../src/points';
import { World } from './support';

let ds: DataSource;
let world: World;
const policies = loadPolicyRegistry();
const national = policies.get('national-default@2026.1').points;

beforeAll(async () => {
  ds = await openDataSource();
  world = new World(ds);
});
afterAll(async () => {
  await ds?.destroy();
});

const ledger = (deputyIds: string[]) =>
  ds.query(
    `SELECT deputy_id AS "deputyId", event_id AS "eventId", rule, points, suggestion_id AS "suggestionId", reason FROM points_ledger
   WHERE deputy_id = ANY($1::uuid[]) ORDER BY deputy_id, event_id, rule`,
    [deputyIds],
  );

/** True when the relay has published the whole outbox and the points consumer group has read all of it. */
async function caughtUp(): Promise<boolean> {
  const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL`);
  if (n > 0) return false;
  const admin = createKafka('jianyi-points-test').admin();
  await admin.connect();
  try {
    const high = await admin.fetchTopicOffsets(config.kafka.topic);
    const [group] = await admin.fetchOffsets({ groupId: 'points', topics: [config.kafka.topic] });
    const read = new Map(group!.partitions.map((p) => [p.partition, Number(p.offset)]));
    return high.every((h) => Number(h.high) === 0 || read.get(h.partition) === Number(h.high));
  } finally {
    await admin.disconnect();
  }
}

describe('points (履职积分)', () => {
  it('are credited by rule from events, once per suggestion, shown by the API, and rebuilt from the outbox with the same totals', async () => {
    const lead = await world.deputy(`领衔代表${world.tag}`);
    const cosigner = await world.deputy(`联名代表${world.tag}`);
    const s = await world.suggestion(lead);
    const base = {
      suggestionId: s.id,
      deputyIds: [lead, cosigner],
      policyVersion: 'national-default@2026.1',
    };
    const events = [
      world.event('suggestion.submitted', { ...base, from: 'draft', to: 'submitted' }),
      world.event(
        'suggestion.returned',
        { ...base, from: 'submitted', to: 'returned' },
        { comments: '请补充' },
      ),
      world.event('suggestion.submitted', { ...base, from: 'returned', to: 'submitted' }), // resubmission: no second credit
      world.event(
        'suggestion.accepted',
        { ...base, from: 'submitted', to: 'accepted' },
        { registrationNo: `2026-第${world.tag}号` },
      ),
      world.event(
        'suggestion.rated',
        { ...base, from: 'replied', to: 'rehandling' },
        { round: 1, rating: 'unsatisfied' },
      ),
      world.event(
        'suggestion.rated',
        { ...base, from: 'replied', to: 'closed' },
        { round: 2, rating: 'satisfied' },
      ),
    ];
    // The lead deputy gave both ratings; the second one (any rating) earns nothing more: once per suggestion.
    for (const e of events.filter((x) => x.type === 'suggestion.rated'))
      e.actor = { userId: null, role: 'deputy', name: `领衔代表${world.tag}`, deputyId: lead };
    await world.publish(...events);

    // Points reward the deputy's own duty (submitting, co-signing, feedback in time), never a 满意 rating.
    const leadTotal = national.submitted + national.accepted + national.feedbackOnTime;
    const cosignerTotal = national.submitted + national.accepted;
    await waitFor('the credits', async () => (await ledger([lead, cosigner])).length === 5, 30_000);
    const credited = await ledger([lead, cosigner]);
    expect(
      credited
        .filter((c: { deputyId: string }) => c.deputyId === lead)
        .map((c: { rule: string }) => c.rule)
        .sort(),
    ).toEqual(['accepted', 'feedback_on_time', 'submitted']);
    expect(
      credited
        .filter((c: { deputyId: string }) => c.deputyId === cosigner)
        .map((c: { rule: string; points: number }) => [c.rule, c.points])
        .sort(),
    ).toEqual([
      ['accepted', national.accepted],
      ['submitted', national.submitted],
    ]);

    // Through the API: the reviewer sees the deputy's points; the ranking by town lists both.
    const reviewer = await ApiSession.login('reviewer');
    const r = await reviewer.call('GET', `/api/deputies/${lead}/points`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ deputyId: lead, total: leadTotal });
    expect(r.body.entries).toHaveLength(3);
    expect(r.body.entries[0]).toEqual({
      id: expect.any(String),
      eventId: expect.any(String),
      rule: expect.any(String),
      points: expect.any(Number),
      suggestionId: s.id,
      createdAt: expect.any(String),
      reason: expect.any(String),
    });
    const ranking = await reviewer.call(
      'GET',
      `/api/points/ranking?town=${encodeURIComponent(`测试镇${world.tag}`)}`,
    );
    // Ranked within the town filter (its delegation is the world's; rank 1 has the most points).
    expect(ranking.body.items).toEqual([
      {
        deputyId: lead,
        name: `领衔代表${world.tag}`,
        town: `测试镇${world.tag}`,
        delegation: expect.any(String),
        total: leadTotal,
        rank: 1,
      },
      {
        deputyId: cosigner,
        name: `联名代表${world.tag}`,
        town: `测试镇${world.tag}`,
        delegation: expect.any(String),
        total: cosignerTotal,
        rank: 2,
      },
    ]);
    expect(
      (await reviewer.call('GET', `/api/deputies/00000000-0000-4000-8000-000000000000/points`)).status,
    ).toBe(404);

    // Replaying (the consumer seeing events again) credits nothing new; a rebuild gives the same ledger.
    // Every deputy's total, once the consumer has read everything (other tests' events may still be in flight).
    await waitFor('the points consumer to catch up', caughtUp, 60_000);
    const totalsBefore = await ds.query(
      `SELECT deputy_id AS "deputyId", sum(points)::int AS total FROM points_ledger GROUP BY 1 ORDER BY 1`,
    );
    const rebuilt = await rebuildPoints(ds, loadPointsRules(), policies);
    expect(rebuilt.events).toBeGreaterThanOrEqual(events.length - 1);
    expect(await ledger([lead, cosigner])).toEqual(credited);
    expect(
      await ds.query(
        `SELECT deputy_id AS "deputyId", sum(points)::int AS total FROM points_ledger GROUP BY 1 ORDER BY 1`,
      ),
    ).toEqual(totalsBefore);
  });

  it("GET /api/points/me answers the calling deputy's own points", async () => {
    const wang = await ApiSession.login('wangjianguo');
    const me = await wang.call('GET', '/api/me');
    const r = await wang.call('GET', '/api/points/me');
    expect(r.status).toBe(200);
    expect(r.body.deputyId).toBe(me.body.user.deputyId);
    expect(r.body.total).toBe(r.body.entries.reduce((s: number, e: { points: number }) => s + e.points, 0));
    expect((await (await ApiSession.login('reviewer')).call('GET', '/api/points/me')).status).toBe(403);
  });
});
